import { describe, expect, it } from "vitest";
import { DEFAULT_FORM } from "@/lib/db/default-form";
import { formSettingsSchema } from "@/lib/forms/schema";

describe("the form a new installation starts with", () => {
  it("is stored as the form settings' schema would make it, defaults included", () => {
    expect(formSettingsSchema.parse(DEFAULT_FORM.settings)).toEqual(DEFAULT_FORM.settings);
  });
});
