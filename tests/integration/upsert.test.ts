import { and, count, eq, sql, TransactionRollbackError } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { now, setClock } from "@/lib/clock";
import { getDb } from "@/lib/db/client";
import { leads, outbox, webhookEndpoints } from "@/lib/db/schema";
import type { LeadChanges } from "@/lib/leads/normalise";
import { upsertLead } from "@/lib/leads/upsert";
import { fullLead, newTenant } from "../support/fixtures";

/** A 400 with the contract's body, naming only this field. */
function expectRefusedOn(res: { status: number; body: unknown }, field: string) {
  expect(res.status).toBe(400);
  expect(res.body).toEqual({
    status: "error",
    message: "Validation failed",
    errors: [{ field, message: expect.any(String) }],
  });
}

type Lead = Record<string, unknown> & { id: string; tags: string[] };
type Api = Awaited<ReturnType<typeof newTenant>>["api"];
interface ListBody {
  data: Lead[];
  pagination: { has_more: boolean; limit: number; page: number; total: number };
  status: string;
}

const CREATED = "Lead created successfully";
const UPDATED = "Lead updated successfully";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Every key of Rotor's example response for POST /leads. */
const ROTOR_KEYS = [
  "id",
  "address_city",
  "address_country",
  "address_state",
  "address_street1",
  "address_street2",
  "address_zip",
  "archived",
  "archived_at",
  "assigned_to",
  "created_at",
  "email",
  "follow_up_date",
  "lead_source",
  "location",
  "message",
  "name",
  "notes",
  "phone",
  "priority",
  "projected_value",
  "property_city",
  "property_country",
  "property_state",
  "property_street1",
  "property_street2",
  "property_zip",
  "service_type",
  "source",
  "stage",
  "status",
  "tags",
  "value_score",
];

const EMPTY_FIELDS = {
  name: null,
  email: null,
  phone: null,
  address_street1: null,
  address_street2: null,
  address_city: null,
  address_state: null,
  address_zip: null,
  address_country: null,
  property_street1: null,
  property_street2: null,
  property_city: null,
  property_state: null,
  property_zip: null,
  property_country: null,
  follow_up_date: null,
  notes: null,
  priority: null,
  projected_value: null,
  service_type: null,
  source: null,
  lead_source: null,
  stage: null,
  tags: [],
  archived: false,
  archived_at: null,
  assigned_to: null,
  location: [],
  value_score: 0,
};

/** The lead as GET and the list show it: the POST response without message and status. */
function stored(body: Lead): Lead {
  const lead: Record<string, unknown> = { ...body };
  delete lead.message;
  delete lead.status;
  return lead as Lead;
}

async function create(api: Api, body: Record<string, unknown>): Promise<Lead> {
  const res = await api.post<Lead>(body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(res.body.message).toBe(CREATED);
  return res.body;
}

async function update(api: Api, body: Record<string, unknown>): Promise<Lead> {
  const res = await api.post<Lead>(body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.message).toBe(UPDATED);
  expect(res.body.status).toBe("success");
  return res.body;
}

async function fetchLead(api: Api, id: string): Promise<Lead> {
  const res = await api.get<{ data: Lead; status: string }>(id);
  expect(res.status).toBe(200);
  return res.body.data;
}

async function allLeads(api: Api): Promise<ListBody> {
  const res = await api.list<ListBody>({ limit: 1000, archived: true });
  expect(res.status).toBe(200);
  return res.body;
}

async function archive(id: string, at: Date): Promise<void> {
  const db = await getDb();
  await db.update(leads).set({ archived: true, archivedAt: at }).where(eq(leads.id, id));
}

afterEach(() => setClock(null));

describe("POST /open-api/leads: the response", () => {
  it("creates an empty lead from {} with every key of Rotor's example, absent values null", async () => {
    const { api } = await newTenant();
    setClock(() => new Date("2026-03-04T05:06:07.089Z"));
    const res = await api.post<Lead>({});
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(Object.keys(res.body).sort()).toEqual([...ROTOR_KEYS].sort());
    expect(res.body).toEqual({
      id: expect.stringMatching(UUID),
      ...EMPTY_FIELDS,
      created_at: "2026-03-04T05:06:07.089Z",
      message: CREATED,
      status: "success",
    });
    expect(await fetchLead(api, res.body.id)).toEqual(stored(res.body));
  });

  it("mirrors address_* as property_* and source as lead_source, with every field filled", async () => {
    const { api } = await newTenant();
    const body = await create(api, fullLead());
    expect(body).toEqual({
      id: expect.stringMatching(UUID),
      name: "Jane Doe",
      email: "jane@example.com",
      phone: "+16125550100",
      address_street1: "1 Main St",
      address_street2: "Apt 2",
      address_city: "Minneapolis",
      address_state: "MN",
      address_zip: "55401",
      address_country: "US",
      property_street1: "1 Main St",
      property_street2: "Apt 2",
      property_city: "Minneapolis",
      property_state: "MN",
      property_zip: "55401",
      property_country: "US",
      follow_up_date: "2026-05-01T00:00:00.000Z",
      notes: "Call after 5",
      priority: "high",
      projected_value: 1234.56,
      service_type: "roofing",
      source: "website",
      lead_source: "website",
      stage: "new",
      tags: ["roof"],
      archived: false,
      archived_at: null,
      assigned_to: null,
      created_at: expect.stringMatching(ISO_UTC),
      location: [],
      value_score: expect.any(Number),
      message: CREATED,
      status: "success",
    });
    expect(Object.keys(body).sort()).toEqual([...ROTOR_KEYS].sort());
    expect(await fetchLead(api, body.id)).toEqual(stored(body));
  });

  it("keeps created_at on update and takes it from the clock, in UTC", async () => {
    const { api } = await newTenant();
    setClock(() => new Date("2026-01-02T03:04:05.678Z"));
    const first = await create(api, { phone: "612 555 0100" });
    expect(first.created_at).toBe("2026-01-02T03:04:05.678Z");
    setClock(() => new Date("2026-06-07T08:09:10.111Z"));
    const second = await update(api, { phone: "612 555 0100", name: "Later" });
    expect(second.created_at).toBe("2026-01-02T03:04:05.678Z");
  });
});

describe("POST /open-api/leads: matching", () => {
  it("updates the lead with the given id (200) even when the phone belongs to another lead", async () => {
    const { api } = await newTenant();
    const a = await create(api, { name: "A", phone: "(612) 555-0101" });
    const b = await create(api, { name: "B", phone: "(612) 555-0102" });
    const res = await update(api, { id: a.id, name: "A2", phone: "(612) 555-0102" });
    expect(res).toEqual({ ...a, name: "A2", phone: "+16125550102", message: UPDATED });
    expect(await fetchLead(api, b.id)).toEqual(stored(b));
    expect((await allLeads(api)).pagination.total).toBe(2);
  });

  it("answers 404 for an unknown id and for another company's lead, creating nothing", async () => {
    const { api } = await newTenant();
    const other = await newTenant();
    const theirs = await create(other.api, { name: "Theirs" });

    for (const id of ["182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e", theirs.id]) {
      const res = await api.post({ id, name: "Nope" });
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ status: "error", message: "Not found" });
    }
    expect((await allLeads(api)).pagination.total).toBe(0);
    expect(await fetchLead(other.api, theirs.id)).toEqual(stored(theirs));
  });

  it("answers 400 on id for an id that is not a uuid", async () => {
    const { api } = await newTenant();
    const res = await api.post({ id: "not-a-uuid" });
    expectRefusedOn(res, "id");
  });

  it("treats an empty id as not given, like any other empty string", async () => {
    const { api } = await newTenant();
    const res = await api.post<Lead>({ id: "", name: "Jane" });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.name).toBe("Jane");
  });

  it("trims the id like any other string", async () => {
    const { api } = await newTenant();
    const a = await create(api, { name: "Jane" });
    const res = await api.post<Lead>({ id: `  ${a.id} `, name: "Jane D" });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.id).toBe(a.id);
    expect(res.body.name).toBe("Jane D");
  });

  it("matches by phone", async () => {
    const { api } = await newTenant();
    const a = await create(api, { name: "Jane", phone: "(612) 555-0100", email: "jane@example.com" });
    const res = await update(api, { phone: "612.555.0100", notes: "second visit" });
    expect(res).toEqual({ ...a, notes: "second visit", value_score: res.value_score, message: UPDATED });
    expect((await allLeads(api)).pagination.total).toBe(1);
  });

  it("matches by email when no lead has the phone, and the given phone replaces the stored one", async () => {
    const { api } = await newTenant();
    const a = await create(api, { name: "Jane", phone: "(612) 555-0100", email: "jane@example.com" });
    const res = await update(api, { phone: "(612) 555-0199", email: "jane@example.com" });
    expect(res.id).toBe(a.id);
    expect(res.phone).toBe("+16125550199");
    expect(res.name).toBe("Jane");
    expect((await allLeads(api)).pagination.total).toBe(1);
  });

  it("matches by email alone", async () => {
    const { api } = await newTenant();
    const a = await create(api, { name: "Jane", email: "jane@example.com" });
    const res = await update(api, { email: "jane@example.com", stage: "contacted" });
    expect(res).toEqual({ ...a, stage: "contacted", message: UPDATED });
  });

  it("updates the phone's lead when the phone matches A and the email matches B; B is untouched", async () => {
    const { api } = await newTenant();
    const a = await create(api, { name: "A", phone: "(612) 555-0101", email: "a@example.com", tags: ["a"] });
    const b = await create(api, { name: "B", phone: "(612) 555-0102", email: "b@example.com", tags: ["b"] });
    const res = await update(api, {
      phone: "+1 612 555 0101",
      email: "B@example.com",
      name: "Merged",
      tags: ["x"],
    });
    expect(res).toEqual({
      ...a,
      name: "Merged",
      email: "B@example.com",
      tags: ["a", "x"],
      message: UPDATED,
    });
    expect(await fetchLead(api, b.id)).toEqual(stored(b));
    expect((await allLeads(api)).pagination.total).toBe(2);
  });

  it("creates a new lead when neither phone nor email matches", async () => {
    const { api } = await newTenant();
    const a = await create(api, { name: "A", phone: "(612) 555-0101", email: "a@example.com" });
    const b = await create(api, { name: "B", phone: "(612) 555-0102", email: "b@example.com" });
    expect(b.id).not.toBe(a.id);
    const c = await create(api, { name: "C" });
    expect(c.id).not.toBe(a.id);
    const d = await create(api, { name: "C" });
    expect(d.id).not.toBe(c.id);
    const list = await allLeads(api);
    expect(list.pagination.total).toBe(4);
    expect(await fetchLead(api, a.id)).toEqual(stored(a));
  });

  it("matches only inside the key's company", async () => {
    const one = await newTenant();
    const two = await newTenant();
    const theirs = await create(one.api, { name: "One", phone: "(612) 555-0100", email: "jane@example.com" });
    const mine = await create(two.api, { name: "Two", phone: "(612) 555-0100", email: "jane@example.com" });
    expect(mine.id).not.toBe(theirs.id);
    expect(await fetchLead(one.api, theirs.id)).toEqual(stored(theirs));
    expect((await two.api.get(theirs.id)).status).toBe(404);
  });

  it("reads every common US phone format as one phone, stored in E.164", async () => {
    const { api } = await newTenant();
    const first = await create(api, { phone: "(612) 555-0100", tags: ["f0"] });
    expect(first.phone).toBe("+16125550100");
    const formats = ["612.555.0100", "+1 612 555 0100", "6125550100", "+16125550100"];
    for (const [i, phone] of formats.entries()) {
      const res = await update(api, { phone, tags: [`f${i + 1}`] });
      expect(res.id).toBe(first.id);
      expect(res.phone).toBe("+16125550100");
    }
    const list = await allLeads(api);
    expect(list.pagination.total).toBe(1);
    expect(list.data[0]!.phone).toBe("+16125550100");
    expect(list.data[0]!.tags).toEqual(["f0", "f1", "f2", "f3", "f4"]);
  });

  it.each(["not a phone", "123", "555-0100", "+1 000 000 0000"])(
    "refuses the unparseable phone %j with 400 on phone",
    async (phone) => {
      const { api } = await newTenant();
      const res = await api.post({ phone, name: "Jane" });
      expectRefusedOn(res, "phone");
      expect((await allLeads(api)).pagination.total).toBe(0);
    },
  );

  it("compares emails trimmed and case-insensitively; the latest spelling given is stored", async () => {
    const { api } = await newTenant();
    const a = await create(api, { email: "Jane@Example.com" });
    expect(a.email).toBe("Jane@Example.com");
    const res = await update(api, { email: "  jane@example.COM " });
    expect(res.id).toBe(a.id);
    expect(res.email).toBe("jane@example.COM");
    expect((await allLeads(api)).pagination.total).toBe(1);
  });

  it("refuses an invalid email with Rotor's exact body", async () => {
    const { api } = await newTenant();
    const res = await api.post({ email: "not-an-email" });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      status: "error",
      message: "Validation failed",
      errors: [{ field: "email", message: "Invalid email format" }],
    });
  });

  it("matches archived leads too, and an update does not unarchive", async () => {
    const { api } = await newTenant();
    const a = await create(api, { name: "Jane", phone: "(612) 555-0100", email: "jane@example.com" });
    const archivedAt = new Date("2026-02-03T04:05:06.007Z");
    await archive(a.id, archivedAt);

    const byPhone = await update(api, { phone: "6125550100", notes: "back again" });
    expect(byPhone).toEqual({
      ...a,
      notes: "back again",
      value_score: byPhone.value_score,
      archived: true,
      archived_at: "2026-02-03T04:05:06.007Z",
      message: UPDATED,
    });
    const byEmail = await update(api, { email: "JANE@example.com", stage: "returning" });
    expect(byEmail.id).toBe(a.id);
    expect(byEmail.archived).toBe(true);
    expect(byEmail.archived_at).toBe("2026-02-03T04:05:06.007Z");
    const byId = await update(api, { id: a.id, name: "Jane D" });
    expect(byId.archived).toBe(true);

    const all = await allLeads(api);
    expect(all.pagination.total).toBe(1);
    const active = await api.list<ListBody>();
    expect(active.body.pagination.total).toBe(0);
  });
});

describe("POST /open-api/leads: field updates", () => {
  const full = fullLead({ projected_value: 5000 });

  it("keeps every stored field when it is absent", async () => {
    const { api } = await newTenant();
    const a = await create(api, full);
    const res = await update(api, { phone: "612.555.0100" });
    expect(res).toEqual({ ...a, message: UPDATED });
  });

  it("treats empty strings as not given", async () => {
    const { api } = await newTenant();
    const a = await create(api, full);
    const res = await update(api, {
      phone: "612.555.0100",
      name: "",
      email: "",
      address_street1: "",
      address_city: "",
      follow_up_date: "",
      notes: "",
      priority: "",
      service_type: "",
      source: "",
      stage: "",
      tags: [],
    });
    expect(res).toEqual({ ...a, message: UPDATED });
  });

  it("treats blank strings as empty once trimmed", async () => {
    const { api } = await newTenant();
    const a = await create(api, full);
    const res = await update(api, { phone: "612.555.0100", name: "   ", notes: " \t " });
    expect(res).toEqual({ ...a, message: UPDATED });
  });

  it("clears a field given as null", async () => {
    const { api } = await newTenant();
    const a = await create(api, full);
    const res = await update(api, { phone: "612.555.0100", notes: null });
    expect(res).toEqual({ ...a, notes: null, value_score: (a.value_score as number) - 5, message: UPDATED });
  });

  it("clears every nullable field given as null; tags: null adds nothing", async () => {
    const { api } = await newTenant();
    const a = await create(api, full);
    const res = await update(api, {
      id: a.id,
      name: null,
      email: null,
      phone: null,
      address_street1: null,
      address_street2: null,
      address_city: null,
      address_state: null,
      address_zip: null,
      address_country: null,
      follow_up_date: null,
      notes: null,
      priority: null,
      projected_value: null,
      service_type: null,
      source: null,
      stage: null,
      tags: null,
    });
    expect(res).toEqual({
      ...EMPTY_FIELDS,
      id: a.id,
      created_at: a.created_at,
      tags: ["roof"],
      message: UPDATED,
      status: "success",
    });
    expect(await fetchLead(api, a.id)).toEqual(stored(res));
  });

  it("replaces a given field", async () => {
    const { api } = await newTenant();
    const a = await create(api, full);
    const res = await update(api, {
      email: "jane@example.com",
      name: "Jane Smith",
      address_city: "St Paul",
      priority: "low",
      projected_value: 0,
      stage: "quoted",
      source: "phone",
    });
    expect(res).toEqual({
      ...a,
      name: "Jane Smith",
      address_city: "St Paul",
      property_city: "St Paul",
      priority: "low",
      projected_value: 0,
      stage: "quoted",
      source: "phone",
      lead_source: "phone",
      value_score: res.value_score,
      message: UPDATED,
    });
  });

  it("merges tags: existing first, case-insensitive, first spelling kept", async () => {
    const { api } = await newTenant();
    const a = await create(api, { phone: "(612) 555-0100", tags: ["Roof", "gutter"] });
    expect(a.tags).toEqual(["Roof", "gutter"]);
    const res = await update(api, { phone: "(612) 555-0100", tags: ["roof", "Windows"] });
    expect(res.tags).toEqual(["Roof", "gutter", "Windows"]);
    const again = await update(api, { phone: "(612) 555-0100", tags: ["WINDOWS", "GUTTER", "deck"] });
    expect(again.tags).toEqual(["Roof", "gutter", "Windows", "deck"]);
    const absent = await update(api, { phone: "(612) 555-0100" });
    expect(absent.tags).toEqual(["Roof", "gutter", "Windows", "deck"]);
  });

  it("collapses duplicate tags inside one request, trimmed", async () => {
    const { api } = await newTenant();
    const a = await create(api, { tags: ["Roof", "roof", " ROOF ", "gutter", "", "Gutter"] });
    expect(a.tags).toEqual(["Roof", "gutter"]);
  });

  it("trims every string", async () => {
    const { api } = await newTenant();
    const a = await create(api, {
      name: "  Jane Doe  ",
      email: "  jane@example.com ",
      phone: " (612) 555-0100 ",
      address_street1: " 1 Main St ",
      address_city: "\tMinneapolis\n",
      notes: "  call  ",
      service_type: " roofing ",
      source: " website ",
      stage: " new ",
      tags: ["  roof  "],
    });
    expect(a).toMatchObject({
      name: "Jane Doe",
      email: "jane@example.com",
      phone: "+16125550100",
      address_street1: "1 Main St",
      property_street1: "1 Main St",
      address_city: "Minneapolis",
      property_city: "Minneapolis",
      notes: "call",
      service_type: "roofing",
      source: "website",
      lead_source: "website",
      stage: "new",
      tags: ["roof"],
    });
  });

  it("ignores unknown fields, including server-owned ones", async () => {
    const { api } = await newTenant();
    setClock(() => new Date("2026-03-04T05:06:07.089Z"));
    const res = await api.post<Lead>({
      name: "Jane",
      favourite_colour: "blue",
      archived: true,
      archived_at: "2020-01-01T00:00:00Z",
      assigned_to: "bob",
      created_at: "2000-01-01T00:00:00Z",
      value_score: 99,
      location: [1, 2],
      company_id: "182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e",
      lead_source: "ignored",
      property_city: "ignored",
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(UUID),
      ...EMPTY_FIELDS,
      name: "Jane",
      created_at: "2026-03-04T05:06:07.089Z",
      message: CREATED,
      status: "success",
    });
  });

  it.each([
    ["2026-05-01", "2026-05-01T00:00:00.000Z"],
    ["2026-05-01T15:30:00Z", "2026-05-01T15:30:00.000Z"],
    ["2026-05-01T15:30:00+02:00", "2026-05-01T13:30:00.000Z"],
    ["2026-05-01T09:00:00.250-05:00", "2026-05-01T14:00:00.250Z"],
    ["2026-05-01T23:30:00-03:00", "2026-05-02T02:30:00.000Z"],
  ])("stores follow_up_date %s as %s", async (given, expected) => {
    const { api } = await newTenant();
    const a = await create(api, { follow_up_date: given });
    expect(a.follow_up_date).toBe(expected);
    expect((await fetchLead(api, a.id)).follow_up_date).toBe(expected);
  });

  it.each(["tomorrow", "2026-13-01", "2026-02-30", "05/01/2026"])(
    "refuses the follow_up_date %j with 400 on follow_up_date",
    async (value) => {
      const { api } = await newTenant();
      const res = await api.post({ follow_up_date: value });
      expectRefusedOn(res, "follow_up_date");
    },
  );

  it("round-trips projected_value and priority", async () => {
    const { api } = await newTenant();
    const a = await create(api, { phone: "(612) 555-0100", projected_value: 1234.56, priority: "medium" });
    expect(a.projected_value).toBe(1234.56);
    expect(a.priority).toBe("medium");
    const b = await update(api, { phone: "(612) 555-0100", projected_value: 0, priority: "high" });
    expect(b.projected_value).toBe(0);
    expect(b.priority).toBe("high");
    expect(await fetchLead(api, a.id)).toEqual(stored(b));
  });

  it.each<[string, string | Record<string, unknown>]>([
    ["projected_value", { projected_value: -1 }],
    ["projected_value", { projected_value: "100" }],
    ["projected_value", '{"projected_value": 1e400}'],
    ["priority", { priority: "urgent" }],
    ["notes", { notes: "x".repeat(2001) }],
    ["service_type", { service_type: "x".repeat(101) }],
    ["name", { name: "x".repeat(501) }],
    ["tags", { tags: "roof" }],
    ["tags", { tags: Array.from({ length: 51 }, (_, i) => `t${i}`) }],
    ["tags", { tags: ["x".repeat(101)] }],
  ])("refuses a bad %s with 400 naming it", async (field, body) => {
    const { api } = await newTenant();
    const res = await api.post(body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      status: "error",
      message: "Validation failed",
      errors: [{ field, message: expect.any(String) }],
    });
    expect((await allLeads(api)).pagination.total).toBe(0);
  });

  it("accepts the longest allowed values", async () => {
    const { api } = await newTenant();
    const a = await create(api, {
      notes: "n".repeat(2000),
      service_type: "s".repeat(100),
      name: "x".repeat(500),
      tags: Array.from({ length: 50 }, (_, i) => `${i}`.padEnd(100, "t")),
    });
    expect((a.notes as string).length).toBe(2000);
    expect(a.tags).toHaveLength(50);
  });
});

describe("POST /open-api/leads: value_score", () => {
  it("is 0 for an empty lead and 100 for a lead with everything", async () => {
    const { api } = await newTenant();
    expect((await create(api, {})).value_score).toBe(0);
    const rich = await create(api, {
      phone: "(612) 555-0100",
      email: "jane@example.com",
      address_street1: "1 Main St",
      address_city: "Minneapolis",
      follow_up_date: "2026-05-01",
      notes: "n",
      priority: "high",
      projected_value: 25_000,
      service_type: "roofing",
    });
    expect(rich.value_score).toBe(100);
  });

  it("follows the README's table", async () => {
    const { api } = await newTenant();
    const cases: [Record<string, unknown>, number][] = [
      [{ phone: "(612) 555-0101" }, 10],
      [{ email: "a@example.com" }, 5],
      [{ priority: "medium" }, 12],
      [{ priority: "low" }, 5],
      [{ address_street1: "1 Main St", address_zip: "55401" }, 10],
      [{ address_street1: "1 Main St" }, 0],
      [{ projected_value: 1000, priority: "medium" }, 39],
      [{ name: "Jane", source: "web", stage: "new", tags: ["a"] }, 0],
    ];
    for (const [body, score] of cases) {
      expect((await create(api, body)).value_score, JSON.stringify(body)).toBe(score);
    }
  });

  it("is deterministic: the same lead always scores the same, and a richer lead scores more", async () => {
    const { api } = await newTenant();
    const empty = await create(api, {});
    const body = { phone: "(612) 555-0100", projected_value: 777, priority: "medium", notes: "n" };
    const a = await create(api, body);
    expect(Number.isInteger(a.value_score)).toBe(true);
    expect(a.value_score).toBeGreaterThan(0);
    expect(a.value_score).toBeLessThanOrEqual(100);
    expect(a.value_score).toBeGreaterThan(empty.value_score as number);

    const again = await update(api, body);
    expect(again.value_score).toBe(a.value_score);
    expect((await fetchLead(api, a.id)).value_score).toBe(a.value_score);
    const listed = (await allLeads(api)).data.find((l) => l.id === a.id);
    expect(listed?.value_score).toBe(a.value_score);

    const other = await newTenant();
    expect((await create(other.api, body)).value_score).toBe(a.value_score);
  });
});

// One process sends its writes in batches, one batch at a time (see the next block), so here the
// batching and lead_upsert's order of matching decide; tests/integration/two-processes.test.ts races
// two processes' batches over PostgreSQL, where lead_upsert's advisory locks decide.
describe("POST /open-api/leads: concurrency", () => {
  it("200 simultaneous submissions of 20 people make exactly 20 leads, each with all its tags", async () => {
    const { api } = await newTenant();
    const PEOPLE = 20;
    const PER_PERSON = 10;
    const nn = (p: number) => String(p).padStart(2, "0");
    const phoneFormats = [
      (p: number) => `(612) 555-01${nn(p)}`,
      (p: number) => `612.555.01${nn(p)}`,
      (p: number) => `+1 612 555 01${nn(p)}`,
    ];
    const emailSpellings = [
      (p: number) => `person${p}@example.com`,
      (p: number) => `Person${p}@Example.com`,
      (p: number) => `  PERSON${p}@EXAMPLE.COM `,
      (p: number) => `person${p}@EXAMPLE.com`,
    ];

    const submissions: { person: number; body: Record<string, unknown> }[] = [];
    // Each person's submissions are adjacent, so with a pool of a few connections the transactions in
    // flight together are mostly the same person's: without the database serialising them they would
    // all miss each other and create duplicates.
    for (let p = 0; p < PEOPLE; p++) {
      for (let j = 0; j < PER_PERSON; j++) {
        const i = p * PER_PERSON + j;
        const body: Record<string, unknown> = {
          email: emailSpellings[(j + p) % emailSpellings.length]!(p),
          tags: [`s${i}`],
        };
        // Every third submission (j = 2, 5, 8) carries the email only.
        if (j % 3 !== 2) body.phone = phoneFormats[(j + p) % phoneFormats.length]!(p);
        if (j === PER_PERSON - 1) body.name = `Person ${p}`;
        submissions.push({ person: p, body });
      }
    }
    expect(submissions).toHaveLength(200);

    const results = await Promise.all(submissions.map(({ body }) => api.post<Lead>(body)));

    for (const res of results) expect([200, 201], JSON.stringify(res.body)).toContain(res.status);
    expect(results.filter((r) => r.status === 201)).toHaveLength(PEOPLE);
    // Every submission of one person landed on one lead.
    const idsByPerson = new Map<number, Set<string>>();
    results.forEach((res, k) => {
      const person = submissions[k]!.person;
      idsByPerson.set(person, (idsByPerson.get(person) ?? new Set()).add(res.body.id));
    });
    for (const ids of idsByPerson.values()) expect(ids.size).toBe(1);

    const list = await allLeads(api);
    expect(list.pagination.total).toBe(PEOPLE);
    expect(list.data).toHaveLength(PEOPLE);
    for (let p = 0; p < PEOPLE; p++) {
      const lead = list.data.find((l) => l.phone === `+161255501${nn(p)}`);
      expect(lead, `person ${p}`).toBeDefined();
      expect(lead!.id).toBe([...idsByPerson.get(p)!][0]);
      expect((lead!.email as string).toLowerCase()).toBe(`person${p}@example.com`);
      expect(lead!.name).toBe(`Person ${p}`);
      const expectedTags = Array.from({ length: PER_PERSON }, (_, j) => `s${p * PER_PERSON + j}`);
      expect([...lead!.tags].sort()).toEqual([...expectedTags].sort());
    }
  });
});

/** The transaction that last wrote each of these leads (PostgreSQL's xmin). */
async function writtenBy(ids: string[]): Promise<Map<string, string>> {
  const db = await getDb();
  const { rows } = (await db.execute(
    sql`select id::text as id, xmin::text as tx from leads where id in (${sql.join(
      ids.map((id) => sql`${id}::uuid`),
      sql`, `,
    )})`,
  )) as unknown as { rows: { id: string; tx: string }[] };
  return new Map(rows.map((r) => [r.id, r.tx]));
}

describe("lead writes in batches", () => {
  const phone = (n: number) => `+1612555${String(7000 + n)}`;
  const change = (n: number, tag: string): LeadChanges => ({
    fields: { name: `Batch ${n}`, phone: phone(n), phoneDigits: phone(n).slice(1) },
    tags: [tag],
  });

  it("writes of one turn go together, those arriving meanwhile in the next batch, in their order", async () => {
    const { company } = await newTenant();
    // Made in the same turn of the event loop: one batch.
    const first = [
      upsertLead(company.id, change(0, "a")),
      upsertLead(company.id, change(1, "a")),
      upsertLead(company.id, change(2, "a")),
    ];
    // The next turn: the first batch has been sent, so these wait for it and go together.
    await new Promise((resolve) => setImmediate(resolve));
    const second = [
      upsertLead(company.id, change(3, "a")),
      // The same person as the second write of the first batch: it finds the lead made there.
      upsertLead(company.id, change(1, "B")),
      // The same person as the write just before it, in the same batch: it finds that one too.
      upsertLead(company.id, change(3, "C")),
    ];
    const results = await Promise.all([...first, ...second]);
    expect(results.map((r) => r.created)).toEqual([true, true, true, true, false, false]);
    expect(results[4]!.lead.id).toBe(results[1]!.lead.id);
    expect(results[4]!.lead.tags).toEqual(["a", "B"]);
    expect(results[5]!.lead.id).toBe(results[3]!.lead.id);
    expect(results[5]!.lead.tags).toEqual(["a", "C"]);

    const tx = await writtenBy(results.map((r) => r.lead.id));
    const [one, two] = [tx.get(results[0]!.lead.id), tx.get(results[3]!.lead.id)];
    // Lead 1 was written again by the second batch; leads 0 and 2 show the first.
    expect([0, 2].map((i) => tx.get(results[i]!.lead.id))).toEqual([one, one]);
    expect([1, 3].map((i) => tx.get(results[i]!.lead.id))).toEqual([two, two]);
    expect(two).not.toBe(one);
  });

  it("a batch's new people and lone updates are written as one write at a time would write them", async () => {
    const { company } = await newTenant();
    const known = await upsertLead(company.id, change(20, "old"));
    const email = "shared.person@example.com";
    const other = "other.person@example.com";
    const archived = await upsertLead(company.id, {
      fields: { ...change(25, "").fields, archived: true },
      tags: ["x"],
    });
    const reached = await upsertLead(company.id, {
      fields: { ...change(26, "").fields, email: other, emailLc: other },
      tags: ["b"],
    });
    const tagged = (n: number, tags: string[], extra: LeadChanges["fields"] = {}): LeadChanges => ({
      fields: { ...change(n, "").fields, ...extra },
      tags,
    });
    const results = await Promise.all([
      // New: defaults under the fields, tags without blanks or case-insensitive repeats.
      upsertLead(company.id, tagged(21, ["Roof", "", "roof", "deck"], { notes: null }), {
        source: "form",
        stage: "new",
        notes: "default note",
      }),
      // An update by phone, then by id a phone no lead has yet: the next write of that phone finds
      // this lead.
      upsertLead(company.id, tagged(20, ["new"])),
      upsertLead(company.id, { id: known.lead.id, fields: { phone: phone(22) }, tags: [] }),
      upsertLead(company.id, tagged(22, ["after-id"])),
      // Two new people sharing an email: the second finds the first's lead by it.
      upsertLead(company.id, tagged(23, ["first"], { email, emailLc: email })),
      upsertLead(company.id, tagged(24, ["second"], { email, emailLc: email })),
      // Neither phone nor email: always a new lead.
      upsertLead(company.id, { fields: { name: "Nameless" }, tags: [] }),
      // A lone update of an archived lead: it stays archived, its tags merged, its name replaced.
      upsertLead(company.id, tagged(25, ["X", "y"], { name: "Renamed" })),
      // One lead reached by two writes, by its phone and by its email: one after the other.
      upsertLead(company.id, tagged(26, ["by-phone"], { notes: "first" })),
      upsertLead(company.id, tagged(27, ["by-email"], { email: other, emailLc: other, notes: "second" })),
    ]);
    expect(results.map((r) => r.created)).toEqual([
      true,
      false,
      false,
      false,
      true,
      false,
      true,
      false,
      false,
      false,
    ]);

    const [made, updated, byId, afterId, first, second, nameless, unarchived, byPhone, byEmail] = results.map(
      (r) => r.lead,
    );
    expect(made).toMatchObject({ phone: phone(21), source: "form", stage: "new", notes: null });
    expect(made!.tags).toEqual(["Roof", "deck"]);
    expect(made!.tagsLc).toEqual(["roof", "deck"]);
    expect(updated!.id).toBe(known.lead.id);
    expect(updated!.tags).toEqual(["old", "new"]);
    expect(byId!.id).toBe(known.lead.id);
    expect(afterId!.id).toBe(known.lead.id);
    expect(afterId!.tags).toEqual(["old", "new", "after-id"]);
    expect(second!.id).toBe(first!.id);
    // The phone's match rule: the second write's phone is new, its email is the first's.
    expect(second).toMatchObject({ phone: phone(24), tags: ["first", "second"] });
    expect(nameless).toMatchObject({ name: "Nameless", phone: null, emailLc: null });
    expect(unarchived).toMatchObject({
      id: archived.lead.id,
      name: "Renamed",
      archived: true,
      tags: ["x", "y"],
    });
    expect(unarchived!.archivedAt).toEqual(archived.lead.archivedAt);
    expect(unarchived!.updatedAt.getTime()).toBeGreaterThanOrEqual(archived.lead.updatedAt.getTime());
    expect(byPhone).toMatchObject({ id: reached.lead.id, notes: "first", tags: ["b", "by-phone"] });
    expect(byEmail).toMatchObject({ id: reached.lead.id, phone: phone(27), notes: "second" });
    expect(byEmail!.tags).toEqual(["b", "by-phone", "by-email"]);

    const db = await getDb();
    const stored = await db.select({ id: leads.id }).from(leads).where(eq(leads.companyId, company.id));
    expect(stored).toHaveLength(6);
  });

  it("each write says how many webhook events it queued: one per active endpoint of its company", async () => {
    const hooked = await newTenant();
    const quiet = await newTenant();
    const [known, byId] = await Promise.all([
      upsertLead(hooked.company.id, change(30, "a")),
      upsertLead(hooked.company.id, change(31, "a")),
    ]);
    const item = (company: string, n: number, id: string | null = null) => ({
      company,
      id,
      phone: id ? null : phone(n),
      email_lc: null,
      fields: { phone: phone(n), phone_digits: phone(n).slice(1) },
      defaults: {},
      tags: [],
      now: now().toISOString(),
      replace_tags: false,
    });
    let answers: { created: boolean; lead: { id: string }; queued: number }[] = [];
    let queued = -1;
    const db = await getDb();
    // In a transaction rolled back: the endpoints and their events are gone afterwards.
    try {
      await db.transaction(async (tx) => {
        await tx.insert(webhookEndpoints).values(
          ["a", "b", "off"].map((name) => ({
            companyId: hooked.company.id,
            url: `https://hooks.example.com/${name}`,
            secret: `whsec_${name}`,
            active: name !== "off",
          })),
        );
        const { rows } = (await tx.execute(sql`
          select result from lead_upsert_many(${JSON.stringify([
            // A new person, a lone update, a write by id (through lead_upsert), another company's.
            item(hooked.company.id, 32),
            item(hooked.company.id, 30),
            item(hooked.company.id, 33, byId.lead.id),
            item(quiet.company.id, 34),
          ])}::jsonb) order by ord`)) as unknown as { rows: { result: (typeof answers)[number] }[] };
        answers = rows.map((row) => row.result);
        const [events] = await tx
          .select({ n: count() })
          .from(outbox)
          .where(and(eq(outbox.companyId, hooked.company.id), eq(outbox.kind, "webhook")));
        queued = Number(events!.n);
        tx.rollback();
      });
    } catch (error) {
      if (!(error instanceof TransactionRollbackError)) throw error;
    }
    expect(answers.map((a) => [a.created, a.queued])).toEqual([
      [true, 2],
      [false, 2],
      [false, 2],
      [true, 0],
    ]);
    expect(answers.slice(1, 3).map((a) => a.lead.id)).toEqual([known.lead.id, byId.lead.id]);
    expect(queued).toBe(6);
  });

  it("a write the database refuses fails alone: the others of its batch are written", async () => {
    const { company } = await newTenant();
    const first = upsertLead(company.id, change(10, "x"));
    const good = upsertLead(company.id, change(11, "x"));
    // Not a number: lead_upsert fails on it, and with it the batch's transaction.
    const refused = upsertLead(company.id, {
      fields: { phone: phone(12), projectedValue: "lots" as unknown as number },
      tags: [],
    });
    const alsoGood = upsertLead(company.id, change(13, "x"));
    await expect(refused).rejects.toThrow();
    const written = await Promise.all([first, good, alsoGood]);
    expect(written.map((r) => r.created)).toEqual([true, true, true]);

    const db = await getDb();
    const stored = await db.select({ phone: leads.phone }).from(leads).where(eq(leads.companyId, company.id));
    expect(stored.map((r) => r.phone).sort()).toEqual([phone(10), phone(11), phone(13)]);
  });
});
