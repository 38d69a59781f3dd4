import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import * as bulkRoute from "@/app/api/admin/leads/bulk/route";
import * as leadRoute from "@/app/api/admin/leads/[id]/route";
import { setClock } from "@/lib/clock";
import { getDb } from "@/lib/db/client";
import { leadMerges, outbox, webhookEndpoints } from "@/lib/db/schema";
import { duplicatePairs, duplicatesOf } from "@/lib/leads/duplicates";
import { timelineOf } from "@/lib/leads/history";
import { mergedInto, undoableMerges } from "@/lib/leads/merge";
import { webhookBody } from "@/lib/webhooks/event";
import { newTenant } from "../support/fixtures";
import { call, json, newUser, sessionCookie } from "../support/staff";

type Lead = { id: string; name: string | null; email: string | null; phone: string | null; tags: string[] };

afterEach(() => setClock(null));

async function company() {
  const tenant = await newTenant();
  const admin = await newUser(tenant.company.id, "admin");
  const cookie = await sessionCookie(admin);
  const bulk = (body: unknown, as: string | undefined = cookie) =>
    call(bulkRoute, "/api/admin/leads/bulk", { method: "POST", cookie: as, body });
  const lead = async (body: Record<string, unknown>) => (await tenant.api.post<Lead>(body)).body;
  return { ...tenant, admin, cookie, bulk, lead };
}

const pairKey = (p: { a: { id: string }; b: { id: string } }) => [p.a.id, p.b.id].sort().join(" ");
const key = (a: string, b: string) => [a, b].sort().join(" ");

describe("probable duplicates", () => {
  it("are the same name and address, the same name and phone but its extension, or one email with dots or a plus-tag", async () => {
    const { company: c, lead } = await company();
    const ann = await lead({
      name: "Ann Lee",
      address_street1: "12 Oak St.",
      address_zip: "55401",
      phone: "6125550300",
    });
    const ann2 = await lead({
      name: "  ann   LEE ",
      address_street1: "12 oak st",
      email: "ann@home.example",
    });
    const bo = await lead({ name: "Bo Park", phone: "6125550310" });
    const bo2 = await lead({ name: "bo park", phone: "612 555 0310 ext 12" });
    const cy = await lead({ name: "Cy", email: "cy.rowe+roof@example.com" });
    const cy2 = await lead({ name: "Cyrus Rowe", email: "CyRowe@example.com" });
    // The same name alone is not enough: two people may share one.
    const other = await lead({ name: "Ann Lee", address_street1: "99 Elm Ave", phone: "6125550399" });
    // Another company's lead is never suggested.
    await (await company()).lead({ name: "Ann Lee", address_street1: "12 Oak St", phone: "6125550300" });

    const pairs = await duplicatePairs(c.id);
    expect(pairs.map(pairKey).sort()).toEqual(
      [key(ann.id, ann2.id), key(bo.id, bo2.id), key(cy.id, cy2.id)].sort(),
    );
    expect(Object.fromEntries(pairs.map((p) => [pairKey(p), p.reason]))).toEqual({
      [key(ann.id, ann2.id)]: "address",
      [key(bo.id, bo2.id)]: "phone",
      [key(cy.id, cy2.id)]: "email",
    });
    expect((await duplicatesOf(c.id, ann2.id)).map((p) => p.b.id)).toEqual([ann.id]);
    expect(await duplicatesOf(c.id, other.id)).toEqual([]);
  });

  it("leave out a pair staff said are two people", async () => {
    const { company: c, lead, bulk } = await company();
    const a = await lead({ name: "Di Moss", email: "di.moss@example.com" });
    const b = await lead({ name: "Di Moss", email: "dimoss@example.com" });
    expect(await duplicatePairs(c.id)).toHaveLength(1);
    const said = await bulk({ action: "not_duplicates", ids: [b.id, a.id] });
    expect(said.status).toBe(200);
    expect(await duplicatePairs(c.id)).toEqual([]);
    expect(await duplicatesOf(c.id, a.id)).toEqual([]);
  });
});

describe("merging two leads", () => {
  it("keeps one lead with the fields chosen, both tag lists and both histories; the other id is gone from the API", async () => {
    const { company: c, api, lead, bulk } = await company();
    const db = await getDb();
    const [endpoint] = await db
      .insert(webhookEndpoints)
      .values({ companyId: c.id, url: "https://hooks.example.com/in", secret: "s".repeat(32) })
      .returning();
    const keep = await lead({
      name: "Eve Stone",
      phone: "6125550400",
      address_street1: "1 Old Rd",
      address_city: "Edina",
      notes: "Gate code 12",
      tags: ["Roof"],
    });
    const other = await lead({
      name: "Eve Stone",
      email: "eve@example.com",
      address_street1: "5 New Rd",
      address_city: "Eagan",
      notes: "Wants a quote",
      tags: ["roof", "Gutters"],
    });

    const merged = await bulk({ action: "merge", ids: [keep.id, other.id], take: ["address"] });
    expect(merged.status).toBe(200);
    const body = await json<{ data: Lead & Record<string, unknown>; merge_id: string }>(merged);
    expect(body.data).toMatchObject({
      id: keep.id,
      name: "Eve Stone",
      phone: "+16125550400",
      // The survivor had no email: it stays without one unless staff take the other's.
      email: null,
      address_street1: "5 New Rd",
      address_city: "Eagan",
      notes: "Gate code 12",
      tags: ["Roof", "Gutters"],
    });

    expect((await api.get(other.id)).status).toBe(404);
    expect((await api.get<{ data: Lead }>(keep.id)).body.data.tags).toEqual(["Roof", "Gutters"]);
    expect(await mergedInto(c.id, other.id)).toBe(keep.id);
    expect(await mergedInto(c.id, keep.id)).toBeNull();

    // Both leads' histories are the survivor's now, and the merge says what it changed.
    const { entries } = await timelineOf(c.id, keep.id);
    expect(entries.filter((e) => e.kind === "api" && e.created)).toHaveLength(2);
    const entry = entries.find((e) => e.kind === "merge")!;
    expect(entry.merge).toEqual({ kind: "merged", other: { id: other.id, name: "Eve Stone" } });
    expect(entry.changes.address_street1).toEqual(["1 Old Rd", "5 New Rd"]);
    expect(entry.changes.tags).toEqual([["Roof"], ["Roof", "Gutters"]]);

    // Webhooks hear lead.merged, with the id that is gone.
    const events = await db
      .select()
      .from(outbox)
      .where(and(eq(outbox.endpointId, endpoint!.id), eq(outbox.event, "lead.merged")));
    expect(events).toHaveLength(1);
    const delivered = JSON.parse(webhookBody(events[0]!)) as Record<string, unknown>;
    expect(delivered).toMatchObject({ type: "lead.merged", merged_id: other.id, data: { id: keep.id } });

    expect((await undoableMerges(c.id, keep.id)).map((m) => m.id)).toEqual([body.merge_id]);
  });

  it("takes the other's email or phone when chosen, and is refused to members, strangers and other companies", async () => {
    const { company: c, lead, bulk, cookie } = await company();
    const a = await lead({ name: "Fay", phone: "6125550500" });
    const b = await lead({ name: "Fay", email: "fay@example.com", phone: "6125550501" });
    const member = await newUser(c.id, "member");
    const refused = await bulk({ action: "merge", ids: [a.id, b.id] }, await sessionCookie(member));
    expect(refused.status).toBe(403);
    expect((await bulk({ action: "merge", ids: [a.id, b.id] }, "")).status).toBe(401);
    const elsewhere = await (await company()).lead({ name: "Fay", phone: "6125550502" });
    expect((await bulk({ action: "merge", ids: [a.id, elsewhere.id] })).status).toBe(404);
    const same = await bulk({ action: "merge", ids: [a.id, a.id] });
    expect(same.status).toBe(400);
    const badField = await bulk({ action: "merge", ids: [a.id, b.id], take: ["password"] });
    expect(badField.status).toBe(400);
    expect(await json(badField)).toMatchObject({
      errors: [
        { field: "take", message: expect.stringContaining("Must be among: name, email, phone, address") },
      ],
    });

    const done = await call(bulkRoute, "/api/admin/leads/bulk", {
      method: "POST",
      cookie,
      body: { action: "merge", ids: [a.id, b.id], take: ["email", "phone"] },
    });
    expect((await json<{ data: Lead }>(done)).data).toMatchObject({
      email: "fay@example.com",
      phone: "+16125550501",
    });
  });
});

describe("undoing a merge", () => {
  it("brings the other lead back as it was, with its history, and the survivor's fields and tags back", async () => {
    const { company: c, api, lead, bulk } = await company();
    const keep = await lead({ name: "Gil", phone: "6125550600", service_type: "windows", tags: ["vip"] });
    const other = await lead({
      name: "Gil",
      email: "gil@example.com",
      service_type: "gutters",
      tags: ["fall"],
    });
    await api.post({ id: other.id, notes: "Sent from the API" });
    const { merge_id } = await json<{ merge_id: string }>(
      await bulk({ action: "merge", ids: [keep.id, other.id], take: ["service_type", "email"] }),
    );

    const undone = await bulk({ action: "undo_merge", merge_id });
    expect(undone.status).toBe(200);
    expect(await json(undone)).toEqual({ survivor: keep.id, restored: other.id, status: "success" });

    const back = (await api.get<{ data: Lead & Record<string, unknown> }>(other.id)).body.data;
    expect(back).toMatchObject({
      name: "Gil",
      email: "gil@example.com",
      service_type: "gutters",
      tags: ["fall"],
    });
    expect(back.notes).toBe("Sent from the API");
    const survivor = (await api.get<{ data: Lead & Record<string, unknown> }>(keep.id)).body.data;
    expect(survivor).toMatchObject({ email: null, service_type: "windows", tags: ["vip"] });
    expect(await mergedInto(c.id, other.id)).toBeNull();

    // Each history is its own again, each with the undo on it.
    const theirs = (await timelineOf(c.id, other.id)).entries;
    expect(theirs.filter((e) => e.kind === "api")).toHaveLength(2);
    expect(theirs[0]!.merge?.kind).toBe("restored");
    const ours = (await timelineOf(c.id, keep.id)).entries;
    expect(ours.filter((e) => e.kind === "api")).toHaveLength(1);
    expect(ours[0]!.merge).toEqual({ kind: "undone", other: { id: other.id, name: "Gil" } });

    const again = await bulk({ action: "undo_merge", merge_id });
    expect(again.status).toBe(409);
    expect(await json(again)).toMatchObject({ message: "This merge was undone already" });
  });

  it("keeps what staff changed after the merge, and is refused after a day", async () => {
    const { api, lead, bulk } = await company();
    const keep = await lead({ name: "Hal", phone: "6125550700" });
    const other = await lead({ name: "Hal", email: "hal@example.com", notes: "Two storeys" });
    const { merge_id } = await json<{ merge_id: string }>(
      await bulk({ action: "merge", ids: [keep.id, other.id], take: ["email", "notes"] }),
    );
    await api.post({ id: keep.id, notes: "Three storeys, checked" });
    await bulk({ action: "undo_merge", merge_id });
    expect((await api.get<{ data: Record<string, unknown> }>(keep.id)).body.data).toMatchObject({
      email: null,
      notes: "Three storeys, checked",
    });

    const late = await lead({ name: "Ivy", phone: "6125550800" });
    const later = await lead({ name: "Ivy", email: "ivy@example.com" });
    const second = await json<{ merge_id: string }>(
      await bulk({ action: "merge", ids: [late.id, later.id] }),
    );
    setClock(() => new Date(Date.now() + 25 * 3600_000));
    const refused = await bulk({ action: "undo_merge", merge_id: second.merge_id });
    expect(refused.status).toBe(409);
    expect(await json(refused)).toMatchObject({
      message: "A merge can be undone for 24 hours; this one is older",
    });
  });

  it("follows a merged lead through later merges, and an erasure takes the merged rows with it", async () => {
    const { company: c, cookie, lead, bulk } = await company();
    const a = await lead({ name: "Jo", phone: "6125550900" });
    const b = await lead({ name: "Jo", email: "jo@example.com" });
    const d = await lead({ name: "Jo", email: "j.o@example.com" });
    await bulk({ action: "merge", ids: [b.id, a.id] });
    const second = await json<{ merge_id: string }>(await bulk({ action: "merge", ids: [d.id, b.id] }));
    expect(await mergedInto(c.id, a.id)).toBe(d.id);
    expect(await mergedInto(c.id, b.id)).toBe(d.id);

    // The first merge's survivor is gone, so its undo must wait for the second's.
    const [first] = await (await getDb()).select().from(leadMerges).where(eq(leadMerges.mergedId, a.id));
    const early = await bulk({ action: "undo_merge", merge_id: first!.id });
    expect(early.status).toBe(409);
    expect((await bulk({ action: "undo_merge", merge_id: second.merge_id })).status).toBe(200);
    expect((await bulk({ action: "undo_merge", merge_id: first!.id })).status).toBe(200);

    await bulk({ action: "merge", ids: [b.id, a.id] });
    await bulk({ action: "merge", ids: [d.id, b.id] });
    const erased = await call(leadRoute, `/api/admin/leads/${d.id}`, {
      method: "DELETE",
      params: { id: d.id },
      cookie,
    });
    expect(erased.status).toBe(200);
    expect(await json(erased)).toMatchObject({ erased: { leads: 1, merges: 4 } });
    expect(await (await getDb()).select().from(leadMerges).where(eq(leadMerges.companyId, c.id))).toEqual([]);
  });
});
