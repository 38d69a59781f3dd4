import { describe, expect, it } from "vitest";
import * as settingsRoute from "@/app/api/admin/settings/route";
import { companyProfile } from "@/lib/company/profile";
import { newTenant } from "../support/fixtures";
import { call, json, newUser, sessionCookie } from "../support/staff";

const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

async function admin() {
  const tenant = await newTenant();
  const cookie = await sessionCookie(await newUser(tenant.company.id, "admin"));
  const save = (body: unknown) =>
    call(settingsRoute, "/api/admin/settings", { method: "PATCH", cookie, body });
  return { ...tenant, cookie, save };
}

describe("the company profile (Settings)", () => {
  it("is data an admin edits: name, phone, reply-to, logo, colour, time zone, hours", async () => {
    const { company, save, cookie } = await admin();
    const before = await companyProfile(company.id);
    // Until an admin chooses, UTC stands in and the page says so; weekdays 8 to 6.
    expect(before).toMatchObject({
      timeZone: "UTC",
      timeZoneChosen: false,
      replyWithin: "2 hours",
      logo: null,
    });
    expect(before.businessHours.slice(0, 2)).toEqual([
      { open: "08:00", close: "18:00" },
      { open: "08:00", close: "18:00" },
    ]);
    const saved = await save({
      name: "Clearview Windows",
      phone: "612.555.0100",
      replyTo: "office@clearview.example",
      logo: `data:image/png;base64,${PNG.toString("base64")}`,
      color: "#0F766E",
      timeZone: "America/Chicago",
      businessHours: [null, { open: "09:00", close: "17:30" }, null, null, null, null, null],
      replyWithin: "1 business day",
    });
    expect(saved.status).toBe(200);
    const profile = await companyProfile(company.id);
    expect(profile).toMatchObject({
      name: "Clearview Windows",
      phone: "+16125550100",
      replyTo: "office@clearview.example",
      color: "#0f766e",
      timeZone: "America/Chicago",
      timeZoneChosen: true,
      replyWithin: "1 business day",
    });
    expect(profile.logo).toBe(`data:image/png;base64,${PNG.toString("base64")}`);
    expect(profile.businessHours[1]).toEqual({ open: "09:00", close: "17:30" });
    // It is the company's name everywhere from now on.
    const read = await call(settingsRoute, "/api/admin/settings", { cookie });
    expect((await json<{ data: { name: string } }>(read)).data.name).toBe("Clearview Windows");
    // Clearing: an empty phone and no logo.
    expect((await save({ phone: "", logo: null })).status).toBe(200);
    expect(await companyProfile(company.id)).toMatchObject({
      phone: null,
      logo: null,
      name: "Clearview Windows",
    });
  });

  it("refuses what it cannot use, naming each field: nothing is saved", async () => {
    const { company, save } = await admin();
    const svg = `data:image/png;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>').toString("base64")}`;
    const refused = await save({
      name: " ",
      phone: "12",
      replyTo: "not an address",
      logo: svg,
      color: "teal",
      timeZone: "Mars/Olympus_Mons",
      businessHours: [{ open: "18:00", close: "08:00" }, null, null, null, null, null, null],
    });
    expect(refused.status).toBe(400);
    const body = await json<{ errors: { field: string; message: string }[] }>(refused);
    expect(Object.fromEntries(body.errors.map((e) => [e.field, e.message]))).toEqual({
      name: "The business needs a name",
      phone: "That is not a phone number",
      replyTo: "That is not an email address",
      logo: "That file is not a PNG, JPEG or WebP image",
      color: "Use a colour such as #0f766e",
      timeZone: "Choose a time zone from the list",
      businessHours: "Closing must be after opening",
    });
    const big = Buffer.concat([PNG, Buffer.alloc(160_000)]);
    const tooBig = await save({ logo: `data:image/png;base64,${big.toString("base64")}` });
    expect(tooBig.status).toBe(400);
    expect((await json<{ errors: { message: string }[] }>(tooBig)).errors[0]!.message).toBe(
      "The logo must be under 150 KB",
    );
    expect((await companyProfile(company.id)).name).toBe(company.name);
  });

  it("is for admins: a member is refused", async () => {
    const tenant = await newTenant();
    const cookie = await sessionCookie(await newUser(tenant.company.id, "member"));
    const refused = await call(settingsRoute, "/api/admin/settings", {
      method: "PATCH",
      cookie,
      body: { name: "Mine now" },
    });
    expect(refused.status).toBe(403);
    expect((await companyProfile(tenant.company.id)).name).toBe(tenant.company.name);
  });
});
