import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import * as exportRoute from "@/app/api/admin/leads/[id]/export/route";
import * as historyRoute from "@/app/api/admin/leads/[id]/history/route";
import * as notesRoute from "@/app/api/admin/leads/[id]/notes/route";
import * as proposalRoute from "@/app/api/admin/leads/[id]/proposals/[proposalId]/route";
import * as leadRoute from "@/app/api/admin/leads/[id]/route";
import * as restoreRoute from "@/app/api/admin/submissions/[id]/restore/route";
import * as reviewRoute from "@/app/api/admin/submissions/route";
import * as cronRoute from "@/app/api/cron/outbox/route";
import * as intake from "@/app/api/intake/[slug]/route";
import { setClock } from "@/lib/clock";
import { getDb } from "@/lib/db/client";
import { outboxIdle } from "@/lib/outbox/kick";
import { erasures, leadHistory, leadProposals, outbox, submissions, webhookEndpoints } from "@/lib/db/schema";
import type { TimelineEntry } from "@/lib/leads/history";
import { type ReviewItem, reviewCounts } from "@/lib/forms/review";
import { kv } from "@/lib/kv";
import { submitJson, tenantWithForm } from "../support/forms";
import { changeSettings } from "../support/settings";
import { call, fromAddress, json, newUser, sessionCookie } from "../support/staff";

interface Lead {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  notes: string | null;
  service_type: string | null;
  address_street1: string | null;
  address_city: string | null;
  address_state: string | null;
  address_zip: string | null;
  stage: string | null;
}

const PORTAL = "http://127.0.0.1:3000";

const setUp = tenantWithForm;
const post = submitJson;

function postForm(slug: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return intake.POST(
    new Request(`${PORTAL}/api/intake/${slug}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams(fields),
      redirect: "manual",
    }),
    { params: Promise.resolve({ slug }) },
  );
}

async function history(cookie: string, id: string, before?: number) {
  const path = `/api/admin/leads/${id}/history${before ? `?before=${before}` : ""}`;
  const response = await call(historyRoute, path, { cookie, params: { id } });
  expect(response.status).toBe(200);
  return json<{ data: TimelineEntry[]; next: number | null }>(response);
}

async function proposalsOf(leadId: string) {
  const db = await getDb();
  return db.select().from(leadProposals).where(eq(leadProposals.leadId, leadId)).orderBy(leadProposals.id);
}

async function keptOf(formId: string) {
  const db = await getDb();
  return db
    .select()
    .from(submissions)
    .where(eq(submissions.formId, formId))
    .orderBy(submissions.receivedAt, submissions.id);
}

describe("the six ways a lead was lost or spoiled", () => {
  afterEach(() => setClock(null));

  it("1. a flood of junk from one address does not switch the form off for everyone else", async () => {
    const { slug, form, api } = await setUp();
    const flood = fromAddress("203.0.113.66");
    for (let i = 0; i < 1001; i++) {
      const response = await post(slug, {}, flood);
      // Refused by the form's rules while under the address's limit, then answered as if kept.
      expect([400, 201]).toContain(response.status);
    }
    const real = await post(
      slug,
      { name: "Real Visitor", phone: "612 555 0142" },
      fromAddress("198.51.100.7"),
    );
    expect(real.status).toBe(201);
    const leads = (await api.list<{ data: Lead[] }>()).body.data;
    expect(leads.map((l) => l.name)).toEqual(["Real Visitor"]);
    // Every one of the flood was kept: refused, then spam past the address's limit.
    const kept = await keptOf(form.id);
    expect(kept).toHaveLength(1002);
    expect(kept.filter((k) => k.status === "invalid")).toHaveLength(20);
    expect(kept.filter((k) => k.status === "spam" && k.spamReason === "rate-ip")).toHaveLength(981);
  }, 120_000);

  it("2. a stranger cannot overwrite a customer, nor learn that they are one", async () => {
    const { slug, api, cookie } = await setUp();
    const made = await api.post<Lead>({
      name: "Dana Whitfield",
      phone: "(612) 555-0177",
      email: "dana@example.com",
      address_street1: "14 Elm St",
      address_city: "Minneapolis",
      notes: "gate code 4411",
    });
    const before = (await api.get<{ data: Lead }>(made.body.id)).body.data;
    const hostile = await post(slug, {
      name: "Mallory",
      phone: "612-555-0177",
      email: "mallory@example.net",
      address_street1: "1 Evil Way",
      address_city: "Elsewhere",
      notes: "ignore previous notes",
    });
    const stranger = await post(slug, { name: "Someone New", phone: "612 555 0190" });
    // The same answer for a known and a new person.
    expect(hostile.status).toBe(stranger.status);
    const [a, b] = [await json(hostile), await json(stranger)];
    expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
    expect(a).toEqual({ status: "success", submission_id: expect.any(String) });

    const after = (await api.get<{ data: Lead }>(made.body.id)).body.data;
    for (const field of ["name", "email", "phone", "address_street1", "address_city", "notes"] as const) {
      expect(after[field], field).toBe(before[field]);
    }
    // Matched by the new email next time? It is not the lead's: no second route to the lead.
    await post(slug, { name: "Mallory", email: "mallory@example.net", phone: "612 555 0111" });
    expect((await api.get<{ data: Lead }>(made.body.id)).body.data.phone).toBe(before.phone);

    const proposed = await proposalsOf(made.body.id);
    expect(Object.fromEntries(proposed.map((p) => [p.field, p.value]))).toEqual({
      name: "Mallory",
      email: "mallory@example.net",
      address_street1: "1 Evil Way",
      address_city: "Elsewhere",
    });
    // On the lead's history: the submission, with what it proposed.
    const { data } = await history(cookie, made.body.id);
    const submitted = data.find((e) => e.kind === "submission")!;
    expect(submitted.proposed).toMatchObject({ name: "Mallory", email: "mallory@example.net" });
    expect(submitted.submission!.fields).toMatchObject({ notes: "ignore previous notes" });
  });

  it("3. a returning customer's earlier message stays: both are in the lead's history", async () => {
    const { slug, api, cookie } = await setUp();
    await post(slug, {
      name: "Ola",
      phone: "612 555 0133",
      notes: "Front windows, 2 storeys",
      service_type: "Windows",
    });
    await post(slug, {
      name: "Ola",
      phone: "612 555 0133",
      notes: "Also the gutters please",
      service_type: "Gutters",
    });
    const [lead] = (await api.list<{ data: Lead[] }>()).body.data;
    // The first message is the lead's notes; the second does not replace it, nor the service.
    expect(lead).toMatchObject({ notes: "Front windows, 2 storeys", service_type: "Windows" });
    const { data } = await history(cookie, lead!.id);
    const messages = data.filter((e) => e.kind === "submission").map((e) => e.submission!.fields.notes);
    expect(messages).toEqual(["Also the gutters please", "Front windows, 2 storeys"]);
    expect((await proposalsOf(lead!.id)).map((p) => [p.field, p.value])).toEqual([
      ["service_type", "Gutters"],
    ]);
    // A third visit asking the same is in the history, but not proposed twice.
    await post(slug, {
      name: "Ola",
      phone: "612 555 0133",
      notes: "Gutters, any news?",
      service_type: "Gutters",
    });
    expect(await proposalsOf(lead!.id)).toHaveLength(1);
    expect((await history(cookie, lead!.id)).data.filter((e) => e.kind === "submission")).toHaveLength(3);
  });

  it("4. a business's own form: other names understood, unknown fields kept and shown", async () => {
    const { slug, api, cookie } = await setUp();
    const sent = {
      first_name: "Priya",
      last_name: "Raman",
      email: "priya@example.com",
      services: "Roof wash",
      referral_source: "Neighbour",
      address_state: "MN",
      zip: "55401",
      how_many_windows: "24",
    };
    const response = await postForm(slug, sent);
    expect(response.status).toBe(303);
    const [lead] = (await api.list<{ data: Lead[] }>()).body.data;
    expect(lead).toMatchObject({
      name: "Priya Raman",
      email: "priya@example.com",
      service_type: "Roof wash",
      address_state: "MN",
      address_zip: "55401",
    });
    const [entry] = (await history(cookie, lead!.id)).data;
    // Every field as sent, the ones no form of the portal knows too.
    expect(entry!.submission!.fields).toEqual(sent);
  });

  it("5. two visitors who send the same Idempotency-Key make two submissions", async () => {
    const { slug, form, api } = await setUp();
    const key = { "idempotency-key": "checkout-1" };
    const one = await post(
      slug,
      { name: "Uma", phone: "612 555 0101" },
      { ...key, ...fromAddress("203.0.113.1") },
    );
    const two = await post(
      slug,
      { name: "Vic", phone: "612 555 0102" },
      { ...key, ...fromAddress("203.0.113.2") },
    );
    expect([one.status, two.status]).toEqual([201, 201]);
    expect((await keptOf(form.id)).map((k) => k.status)).toEqual(["lead", "lead"]);
    expect((await api.list<{ data: Lead[] }>()).body.data.map((l) => l.name).sort()).toEqual(["Uma", "Vic"]);
  });

  it("6. a phone extension is kept, and returned by the API in RFC 3966's form", async () => {
    const { slug, api } = await setUp();
    await post(slug, { name: "Office", phone: "(763) 555-0238 ext. 12" });
    const [lead] = (await api.list<{ data: Lead[] }>()).body.data;
    expect(lead!.phone).toBe("+17635550238;ext=12");
    // Another extension of the same number is another person; the same one is the same lead.
    await post(slug, { name: "Front desk", phone: "(763) 555-0238 x 14" });
    await post(slug, { name: "Office", phone: "763-555-0238 ext 12", notes: "second" });
    const phones = (await api.list<{ data: Lead[] }>()).body.data.map((l) => l.phone).sort();
    expect(phones).toEqual(["+17635550238;ext=12", "+17635550238;ext=14"]);
    // Found by the digits people type.
    expect((await api.list<{ data: Lead[] }>({ search: "555-0238" })).body.data).toHaveLength(2);
  });
});

describe("a lead's history", () => {
  it("records API writes with the values they replaced, staff edits, notes and decisions", async () => {
    const { slug, api, cookie, keyId, company } = await setUp();
    const made = await api.post<Lead>({ name: "Kim", phone: "612 555 0150", stage: "new" });
    await api.post({ phone: "612 555 0150", name: "Kim Park", stage: "quoted" });
    const colleague = await newUser(company.id, "member", `sam-${randomUUID().slice(0, 6)}@example.com`);
    const edit = await call(leadRoute, `/api/admin/leads/${made.body.id}`, {
      method: "PATCH",
      cookie,
      params: { id: made.body.id },
      body: { stage: "won", assigned_to: colleague.id },
    });
    expect(edit.status).toBe(200);
    const note = await call(notesRoute, `/api/admin/leads/${made.body.id}/notes`, {
      method: "POST",
      cookie,
      params: { id: made.body.id },
      body: { note: "Called, booked for Friday" },
    });
    expect(note.status).toBe(201);
    await post(slug, { name: "Kimberly Park", phone: "612 555 0150", email: "kim@example.com" });
    const [proposal] = await proposalsOf(made.body.id);
    const decide = (id: number, accept: boolean) =>
      call(proposalRoute, `/api/admin/leads/${made.body.id}/proposals/${id}`, {
        method: "POST",
        cookie,
        params: { id: made.body.id, proposalId: String(id) },
        body: { accept },
      });
    expect((await decide(proposal!.id, true)).status).toBe(200);
    expect((await decide(proposal!.id, false)).status).toBe(409);
    expect((await api.get<{ data: Lead }>(made.body.id)).body.data).toMatchObject({
      name: "Kimberly Park",
      email: "kim@example.com",
      stage: "won",
    });

    const { data } = await history(cookie, made.body.id);
    expect(data.map((e) => e.kind)).toEqual([
      "proposal",
      "staff",
      "submission",
      "note",
      "staff",
      "api",
      "api",
    ]);
    const [decision, accepted, submitted, noted, edited, replaced, created] = data;
    expect(created).toMatchObject({ created: true, actor: expect.stringContaining("API key “test”") });
    expect(created!.changes).toMatchObject({ name: [null, "Kim"], stage: [null, "new"] });
    expect(replaced!.changes).toEqual({ name: ["Kim", "Kim Park"], stage: ["new", "quoted"] });
    // The assignee by name, not by id.
    expect(edited!.changes).toEqual({ stage: ["quoted", "won"], assigned_to: [null, colleague.email] });
    expect(noted).toMatchObject({ kind: "note", note: "Called, booked for Friday" });
    // The empty email filled and the form's tag added; the name proposed, not written.
    expect(submitted!.changes).toEqual({ email: [null, "kim@example.com"], tags: [[], ["website"]] });
    expect(submitted!.proposed).toEqual({ name: "Kimberly Park" });
    expect(decision!.decision).toEqual({ field: "name", value: "Kimberly Park", accepted: true });
    expect(accepted!.changes).toEqual({ name: ["Kim Park", "Kimberly Park"] });
    // The API's entries name the key that wrote them.
    const db = await getDb();
    const byKey = await db.select().from(leadHistory).where(eq(leadHistory.leadId, made.body.id));
    expect(byKey.filter((e) => e.kind === "api").map((e) => e.actorKeyId)).toEqual([keyId, keyId]);
  });

  it("is paged, newest first, and another company's staff cannot read it", async () => {
    const { api, cookie } = await setUp();
    const made = await api.post<Lead>({ name: "Paged", phone: "612 555 0160" });
    for (let i = 0; i < 60; i++) await api.post({ phone: "612 555 0160", notes: `note ${i}` });
    const first = await history(cookie, made.body.id);
    expect(first.data).toHaveLength(50);
    expect(first.data[0]!.changes.notes).toEqual(["note 58", "note 59"]);
    const second = await history(cookie, made.body.id, first.next!);
    expect(second.data).toHaveLength(11);
    expect(second.next).toBeNull();
    expect(second.data.at(-1)!.created).toBe(true);

    const other = await setUp();
    const refused = await call(historyRoute, `/api/admin/leads/${made.body.id}/history`, {
      cookie: other.cookie,
      params: { id: made.body.id },
    });
    expect(refused.status).toBe(404);
    const anonymous = await call(historyRoute, `/api/admin/leads/${made.body.id}/history`, {
      params: { id: made.body.id },
    });
    expect(anonymous.status).toBe(401);
  });
});

describe("spam is kept, reviewed and purged", () => {
  afterEach(() => setClock(null));

  it("is listed per form, newest first, and 'Not spam' makes it a lead as if it had just arrived", async () => {
    const { slug, form, api, cookie } = await setUp();
    await post(slug, { name: "Caught", phone: "612 555 0170", website_url: "oops, autofill" });
    await post(slug, { name: "Bot", phone: "612 555 0171", website_url: "http://spam.example" });
    expect((await api.list<{ data: Lead[] }>()).body.data).toHaveLength(0);
    const listed = await call(reviewRoute, `/api/admin/submissions?status=spam&form=${form.id}`, { cookie });
    const { data } = await json<{ data: ReviewItem[] }>(listed);
    expect(data.map((item) => [item.fields.name, item.reason])).toEqual([
      ["Bot", "honeypot"],
      ["Caught", "honeypot"],
    ]);
    const caught = data[1]!;
    const restored = await call(restoreRoute, `/api/admin/submissions/${caught.id}/restore`, {
      method: "POST",
      cookie,
      params: { id: caught.id },
    });
    expect(restored.status).toBe(200);
    const leads = (await api.list<{ data: Lead[] }>()).body.data;
    expect(leads.map((l) => [l.name, l.phone])).toEqual([["Caught", "+16125550170"]]);
    const again = await call(restoreRoute, `/api/admin/submissions/${caught.id}/restore`, {
      method: "POST",
      cookie,
      params: { id: caught.id },
    });
    expect(again.status).toBe(409);
    const kept = await keptOf(form.id);
    expect(kept.map((k) => k.status).sort()).toEqual(["lead", "spam"]);
    // Only admins review.
    const member = await newUser(form.companyId, "member");
    const refused = await call(reviewRoute, "/api/admin/submissions", {
      cookie: await sessionCookie(member),
    });
    expect(refused.status).toBe(403);
  });

  it("past a form's hourly budget, submissions are held, counted for the dashboard, and let through", async () => {
    const { slug, form, api, cookie } = await setUp();
    await kv().set(`intake:form:${form.id}:${Math.floor(Date.now() / 3_600_000)}`, "1000000", 3600);
    const held = await post(slug, { name: "Held Visitor", phone: "612 555 0185" });
    expect(held.status).toBe(201);
    expect((await api.list<{ data: Lead[] }>()).body.data).toHaveLength(0);
    expect(await reviewCounts(form.companyId)).toEqual({ spam: 0, held: 1 });
    const listed = await json<{ data: ReviewItem[] }>(
      await call(reviewRoute, "/api/admin/submissions?status=held", { cookie }),
    );
    expect(listed.data.map((item) => [item.fields.name, item.reason])).toEqual([
      ["Held Visitor", "rate-form"],
    ]);
    const through = await call(restoreRoute, `/api/admin/submissions/${listed.data[0]!.id}/restore`, {
      method: "POST",
      cookie,
      params: { id: listed.data[0]!.id },
    });
    expect(through.status).toBe(200);
    expect((await api.list<{ data: Lead[] }>()).body.data.map((l) => l.name)).toEqual(["Held Visitor"]);
    expect(await reviewCounts(form.companyId)).toEqual({ spam: 0, held: 0 });
  });

  it("older than SPAM_RETENTION_DAYS is purged by the cron run", async () => {
    const { slug, form } = await setUp();
    const start = Date.parse("2031-03-01T10:00:00Z");
    setClock(() => new Date(start));
    await post(slug, { name: "Old spam", phone: "612 555 0180", website_url: "x" });
    setClock(() => new Date(start + 20 * 86_400_000));
    await post(slug, { name: "Newer spam", phone: "612 555 0181", website_url: "x" });
    setClock(() => new Date(start + 31 * 86_400_000));
    const restore = changeSettings({ CRON_SECRET: "a cron secret of enough length" });
    try {
      const response = await cronRoute.GET(
        new Request(`${PORTAL}/api/cron/outbox`, {
          headers: { authorization: "Bearer a cron secret of enough length" },
        }),
      );
      expect(response.status).toBe(200);
    } finally {
      restore();
    }
    const kept = await keptOf(form.id);
    expect(kept.map((k) => (k.fields as { name: string }).name)).toEqual(["Newer spam"]);
  });
});

describe("a person's data", () => {
  it("an admin exports everything about a person, as JSON and the history as CSV", async () => {
    const { slug, api, cookie } = await setUp();
    await post(slug, { name: "Eva Export", email: "eva@example.com", notes: "Hedge trimming" });
    await post(slug, { name: "Eva", email: "eva@example.com", phone: "612 555 0191", extra: "kept" });
    const [lead] = (await api.list<{ data: Lead[] }>()).body.data;
    const response = await call(exportRoute, `/api/admin/leads/${lead!.id}/export`, {
      cookie,
      params: { id: lead!.id },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toContain(".json");
    const data = await json<{
      lead: Lead;
      submissions: { fields: Record<string, unknown>; client_hash?: string }[];
      history: TimelineEntry[];
      proposals: { field: string }[];
    }>(response);
    expect(data.lead).toMatchObject({ name: "Eva Export", phone: "+16125550191" });
    expect(data.submissions.map((s) => s.fields.notes ?? s.fields.extra)).toEqual(["Hedge trimming", "kept"]);
    expect(JSON.stringify(data.submissions)).not.toContain("clientHash");
    expect(data.history.map((e) => e.kind)).toEqual(["submission", "submission"]);
    expect(data.proposals.map((p) => p.field)).toEqual(["name"]);

    const csv = await call(exportRoute, `/api/admin/leads/${lead!.id}/export?format=csv`, {
      cookie,
      params: { id: lead!.id },
    });
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines[0]).toBe("at,kind,by,field,before,after,note");
    // A value that a spreadsheet would run as a formula is quoted (lib/leads/export.ts).
    expect(lines.some((line) => line.includes("phone,,'+16125550191"))).toBe(true);
    expect(lines.some((line) => line.includes("notes,,Hedge trimming,submitted"))).toBe(true);
  });

  it("an admin erases a person: lead, submissions (spam of theirs too), history, outbox items; an audit keeps counts", async () => {
    const { slug, api, cookie, company } = await setUp();
    const db = await getDb();
    // An endpoint paused far ahead: each write queues an event for it, which stays in the outbox.
    await db.insert(webhookEndpoints).values({
      companyId: company.id,
      url: "https://hooks.example/never",
      secret: "whsec_test",
      pausedUntil: new Date(Date.now() + 86_400_000),
    });
    await post(slug, { name: "Zed Erase", email: "zed@example.com", phone: "612 555 0192" });
    await post(slug, { name: "Zed", phone: "612 555 0192", website_url: "x" });
    await post(slug, { name: "Zed", email: "ZED@example.com", website_url: "x" });
    const keep = await post(slug, { name: "Other Person", phone: "612 555 0193" });
    expect(keep.status).toBe(201);
    const leads = (await api.list<{ data: Lead[] }>()).body.data;
    const zed = leads.find((l) => l.name === "Zed Erase")!;
    await outboxIdle();
    // Its webhook event, waiting for the paused endpoint, and its alert.
    const queued = await db.select().from(outbox).where(eq(outbox.leadId, zed.id));
    expect(queued.map((item) => item.kind).sort()).toEqual(["alert", "webhook"]);

    const member = await newUser(company.id, "member");
    const refused = await call(leadRoute, `/api/admin/leads/${zed.id}`, {
      method: "DELETE",
      cookie: await sessionCookie(member),
      params: { id: zed.id },
    });
    expect(refused.status).toBe(403);

    const erased = await call(leadRoute, `/api/admin/leads/${zed.id}`, {
      method: "DELETE",
      cookie,
      params: { id: zed.id },
    });
    expect(erased.status).toBe(200);
    expect((await json<{ erased: Record<string, number> }>(erased)).erased).toEqual({
      leads: 1,
      submissions: 3,
      history: 1,
      proposals: 0,
      outbox: 2,
    });
    expect((await api.get(zed.id)).status).toBe(404);
    const left = await db.select().from(submissions).where(eq(submissions.companyId, company.id));
    expect(left.map((s) => (s.fields as { name: string }).name)).toEqual(["Other Person"]);
    expect(await db.select().from(leadHistory).where(eq(leadHistory.leadId, zed.id))).toEqual([]);
    expect(await db.select().from(outbox).where(eq(outbox.leadId, zed.id))).toEqual([]);
    const [audit] = await db.select().from(erasures).where(eq(erasures.companyId, company.id));
    expect(audit!.counts).toEqual({ leads: 1, submissions: 3, history: 1, proposals: 0, outbox: 2 });
    expect(JSON.stringify(audit)).not.toMatch(/zed|0192/i);
    expect(JSON.stringify(audit)).not.toContain(zed.id);
  });
});
