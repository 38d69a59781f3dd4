import { describe, expect, it } from "vitest";
import type { LeadRow } from "@/lib/db/schema";
import { normaliseLeadInput } from "@/lib/leads/normalise";
import { phoneDigits, toE164 } from "@/lib/leads/phone";
import { leadInputSchema } from "@/lib/leads/schema";
import { parseTagFilter } from "@/lib/leads/tags";
import { valueScore } from "@/lib/leads/value-score";

describe("parseTagFilter", () => {
  it("is empty for a missing or empty value", () => {
    expect(parseTagFilter(undefined)).toEqual([]);
    expect(parseTagFilter("")).toEqual([]);
  });

  it("splits on commas, trims and lower-cases", () => {
    expect(parseTagFilter("roof,WINDOWS")).toEqual(["roof", "windows"]);
    expect(parseTagFilter(" roof ,  Windows ,gutter ")).toEqual(["roof", "windows", "gutter"]);
  });

  it("drops empty entries and duplicates", () => {
    expect(parseTagFilter(",roof,,ROOF, ,")).toEqual(["roof"]);
    expect(parseTagFilter(" , ")).toEqual([]);
  });
});

describe("toE164", () => {
  it.each([
    "(612) 555-0100",
    "612.555.0100",
    "+1 612 555 0100",
    "6125550100",
    "+16125550100",
    "612-555-0100",
    "1 (612) 555-0100",
  ])("reads %s as +16125550100 in the default region US", (input) => {
    expect(toE164(input)).toBe("+16125550100");
  });

  it("uses the region given for numbers without a country code", () => {
    expect(toE164("020 7946 0958", "GB")).toBe("+442079460958");
    expect(toE164("+44 20 7946 0958")).toBe("+442079460958");
  });

  it.each(["", "abc", "123", "555-0100", "+1 000 000 0000", "not a phone"])(
    "returns null for the unparseable %j",
    (input) => {
      expect(toE164(input)).toBeNull();
    },
  );
});

describe("phoneDigits", () => {
  it("keeps the digits of an E.164 number, without the plus", () => {
    expect(phoneDigits("+16125550100")).toBe("16125550100");
    expect(phoneDigits("+442079460958")).toBe("442079460958");
  });
});

/**
 * A row with nothing filled in, so each case sets only what it scores. Built loosely typed so that a
 * column added to the table (such as a generated one valueScore never reads) does not break it.
 */
function row(overrides: Partial<LeadRow> = {}): LeadRow {
  const at = new Date("2026-01-01T00:00:00.000Z");
  const empty: Record<string, unknown> = {
    id: "00000000-0000-4000-8000-000000000000",
    companyId: "00000000-0000-4000-8000-000000000001",
    name: null,
    email: null,
    emailLc: null,
    phone: null,
    phoneDigits: null,
    addressStreet1: null,
    addressStreet2: null,
    addressCity: null,
    addressState: null,
    addressZip: null,
    addressCountry: null,
    followUpDate: null,
    notes: null,
    priority: null,
    projectedValue: null,
    serviceType: null,
    source: null,
    stage: null,
    tags: [],
    tagsLc: [],
    archived: false,
    archivedAt: null,
    assignedTo: null,
    latitude: null,
    longitude: null,
    createdAt: at,
    updatedAt: at,
  };
  return { ...empty, ...overrides } as LeadRow;
}

describe("valueScore", () => {
  const full: Partial<LeadRow> = {
    projectedValue: 25_000,
    priority: "high",
    phone: "+16125550100",
    email: "jane@example.com",
    addressStreet1: "1 Main St",
    addressCity: "Minneapolis",
    serviceType: "roofing",
    followUpDate: new Date("2026-05-01T00:00:00Z"),
    notes: "call back",
  };

  it.each<[string, Partial<LeadRow>, number]>([
    ["an empty lead", {}, 0],
    ["a name and tags only", { name: "Jane", tags: ["roof"], source: "web", stage: "new" }, 0],
    ["a phone", { phone: "+16125550100" }, 10],
    ["an email", { email: "jane@example.com" }, 5],
    ["a phone and an email", { phone: "+16125550100", email: "jane@example.com" }, 15],
    ["priority high", { priority: "high" }, 20],
    ["priority medium", { priority: "medium" }, 12],
    ["priority low", { priority: "low" }, 5],
    ["a street and a city", { addressStreet1: "1 Main St", addressCity: "Minneapolis" }, 10],
    ["a street and a zip", { addressStreet1: "1 Main St", addressZip: "55401" }, 10],
    ["a street alone", { addressStreet1: "1 Main St" }, 0],
    ["a city and zip without a street", { addressCity: "Minneapolis", addressZip: "55401" }, 0],
    ["a service type", { serviceType: "roofing" }, 5],
    ["a follow-up date", { followUpDate: new Date("2026-05-01T00:00:00Z") }, 5],
    ["notes", { notes: "n" }, 5],
    ["projected value 0", { projectedValue: 0 }, 0],
    ["projected value 25,000", { projectedValue: 25_000 }, 40],
    ["projected value above 25,000 is capped", { projectedValue: 1_000_000 }, 40],
    // 40 × log10(1001) / log10(25001) = 27.29
    ["projected value 1,000", { projectedValue: 1_000 }, 27],
    // 40 × log10(100) / log10(25001) = 18.19
    ["projected value 99", { projectedValue: 99 }, 18],
    // 27.29 + 12 = 39.29
    ["projected value 1,000 and medium priority", { projectedValue: 1_000, priority: "medium" }, 39],
    ["everything", full, 100],
    ["everything with a huge value is still capped at 100", { ...full, projectedValue: 1e12 }, 100],
  ])("scores %s as %i", (_label, overrides, expected) => {
    expect(valueScore(row(overrides))).toBe(expected);
  });

  it("is deterministic and always an integer in 0..100", () => {
    const lead = row({ projectedValue: 4321.5, priority: "medium", phone: "+16125550100" });
    const first = valueScore(lead);
    expect(valueScore(lead)).toBe(first);
    expect(valueScore(row({ projectedValue: 4321.5, priority: "medium", phone: "+16125550100" }))).toBe(
      first,
    );
    expect(Number.isInteger(first)).toBe(true);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThanOrEqual(100);
  });
});

describe("normaliseLeadInput", () => {
  const normalise = (body: unknown) => normaliseLeadInput(leadInputSchema.parse(body));

  it("gives no fields and no tags for an empty body", () => {
    expect(normalise({})).toEqual({ id: undefined, fields: {}, tags: [] });
  });

  it("trims strings and maps them to columns", () => {
    const changes = normalise({
      name: "  Jane Doe  ",
      address_street1: " 1 Main St ",
      address_street2: "Apt 2",
      address_city: "Minneapolis ",
      address_state: " MN",
      address_zip: "55401",
      address_country: "US",
      notes: " call after 5 ",
      service_type: " roofing ",
      source: " website ",
      stage: " new ",
    });
    expect(changes.fields).toEqual({
      name: "Jane Doe",
      addressStreet1: "1 Main St",
      addressStreet2: "Apt 2",
      addressCity: "Minneapolis",
      addressState: "MN",
      addressZip: "55401",
      addressCountry: "US",
      notes: "call after 5",
      serviceType: "roofing",
      source: "website",
      stage: "new",
    });
  });

  it("treats empty and blank strings as not given", () => {
    const changes = normalise({
      name: "",
      email: "   ",
      phone: "",
      notes: " ",
      follow_up_date: "",
      priority: "",
    });
    expect(changes.fields).toEqual({});
  });

  it("keeps null as a clear, for every kind of field", () => {
    const changes = normalise({
      name: null,
      email: null,
      phone: null,
      follow_up_date: null,
      priority: null,
      projected_value: null,
      notes: null,
      tags: null,
    });
    expect(changes.fields).toEqual({
      name: null,
      email: null,
      emailLc: null,
      phone: null,
      phoneDigits: null,
      followUpDate: null,
      priority: null,
      projectedValue: null,
      notes: null,
    });
    expect(changes.tags).toEqual([]);
  });

  it("keeps the email as given and a lower-cased copy for matching", () => {
    expect(normalise({ email: "  Jane@Example.COM " }).fields).toEqual({
      email: "Jane@Example.COM",
      emailLc: "jane@example.com",
    });
  });

  it("stores the phone in E.164 with its digits", () => {
    expect(normalise({ phone: " (612) 555-0100 " }).fields).toEqual({
      phone: "+16125550100",
      phoneDigits: "16125550100",
    });
  });

  it("reads a date alone as midnight UTC and normalises date-times to UTC", () => {
    expect(normalise({ follow_up_date: "2026-05-01" }).fields.followUpDate).toEqual(
      new Date("2026-05-01T00:00:00.000Z"),
    );
    expect(normalise({ follow_up_date: "2026-05-01T15:30:00+02:00" }).fields.followUpDate).toEqual(
      new Date("2026-05-01T13:30:00.000Z"),
    );
    expect(normalise({ follow_up_date: "2026-05-01T15:30:00Z" }).fields.followUpDate).toEqual(
      new Date("2026-05-01T15:30:00.000Z"),
    );
    expect(normalise({ follow_up_date: "2026-05-01T15:30:00" }).fields.followUpDate).toEqual(
      new Date("2026-05-01T15:30:00.000Z"),
    );
  });

  it("keeps priority and projected value, including zero", () => {
    expect(normalise({ priority: "medium", projected_value: 0 }).fields).toEqual({
      priority: "medium",
      projectedValue: 0,
    });
    expect(normalise({ projected_value: 1234.5 }).fields).toEqual({ projectedValue: 1234.5 });
  });

  it("trims tags and drops empty ones, leaving the merge to the database", () => {
    expect(normalise({ tags: [" Roof ", "roof", "gutter", "", "  ", "GUTTER"] }).tags).toEqual([
      "Roof",
      "roof",
      "gutter",
      "GUTTER",
    ]);
  });

  it("passes the id through and ignores unknown fields", () => {
    const id = "182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e";
    const changes = normalise({ id, favourite_colour: "blue", name: "Jane" });
    expect(changes).toEqual({ id, fields: { name: "Jane" }, tags: [] });
  });
});
