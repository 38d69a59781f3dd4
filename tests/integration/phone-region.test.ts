import { describe, expect, it } from "vitest";
import { newTenant } from "../support/fixtures";
import { withSettings } from "../support/settings";

// A British business.
withSettings({ DEFAULT_PHONE_REGION: "GB" });

type Lead = { id: string; phone: string | null; tags: string[] };

describe("DEFAULT_PHONE_REGION", () => {
  it("reads a number written without its country code as one of that region's", async () => {
    const { api } = await newTenant();
    const made = await api.post<Lead>({ name: "Ann", phone: "020 7946 0018" });
    expect(made.status).toBe(201);
    expect(made.body.phone).toBe("+442079460018");

    // The same person with the country code is the same lead.
    const again = await api.post<Lead>({ phone: "+44 20 7946 0018", tags: ["gutters"] });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(made.body.id);

    // An American number written the American way is not a British number; with +1 it is taken.
    const national = await api.post({ name: "Bo", phone: "(612) 555-0100" });
    expect(national.status).toBe(400);
    expect(national.body).toEqual({
      status: "error",
      message: "Validation failed",
      errors: [{ field: "phone", message: "Invalid phone number" }],
    });
    const international = await api.post<Lead>({ name: "Bo", phone: "+1 612 555 0100" });
    expect(international.body.phone).toBe("+16125550100");
  });
});
