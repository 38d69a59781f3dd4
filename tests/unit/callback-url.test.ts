import { describe, expect, it } from "vitest";
import { safeCallbackUrl } from "@/lib/auth/callback-url";

describe("safeCallbackUrl", () => {
  it("keeps paths inside the admin, with their query", () => {
    expect(safeCallbackUrl("/admin")).toBe("/admin");
    expect(safeCallbackUrl("/admin/leads?stage=won&page=2")).toBe("/admin/leads?stage=won&page=2");
    expect(safeCallbackUrl("/admin?x=1")).toBe("/admin?x=1");
  });

  it("sends everything else to the admin's home", () => {
    for (const bad of [
      "https://evil.example/admin",
      "//evil.example/admin",
      "/\\evil.example",
      "/admin\\..\\evil",
      "/administrator",
      "/f/contact",
      "javascript:alert(1)",
      "/admin/\nSet-Cookie: x",
      "",
      null,
      42,
    ]) {
      expect(safeCallbackUrl(bad), String(bad)).toBe("/admin");
    }
  });
});
