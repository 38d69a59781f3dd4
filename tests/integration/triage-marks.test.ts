import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as bulkRoute from "@/app/api/admin/leads/bulk/route";
import * as leadRoute from "@/app/api/admin/leads/[id]/route";
import * as leadsRoute from "@/app/api/admin/leads/route";
import { getDb } from "@/lib/db/client";
import { leadReads, leads, users } from "@/lib/db/schema";
import { leadMarks, markRead } from "@/lib/leads/reads";
import { newTenant } from "../support/fixtures";
import { call, json, newUser, sessionCookie } from "../support/staff";

type ListBody = { data: { id: string }[]; marks: Record<string, "new" | "changed"> };

async function company() {
  const tenant = await newTenant();
  const db = await getDb();
  // Marking began for both an hour ago: leads that came in since are new to them.
  const since = new Date(Date.now() - 3_600_000);
  const person = async () => {
    const user = await newUser(tenant.company.id, "admin");
    await db.update(users).set({ seenSince: since }).where(eq(users.id, user.id));
    return { ...user, cookie: await sessionCookie(user) };
  };
  const [ann, ben] = [await person(), await person()];
  const list = async (cookie: string, query = "") => {
    const response = await call(leadsRoute, `/api/admin/leads?${query}`, { cookie });
    expect(response.status).toBe(200);
    return { body: await json<ListBody>(response), cache: response.headers.get("x-cache") };
  };
  const marks = async (cookie: string) => (await list(cookie)).body.marks;
  const edit = (cookie: string, id: string, body: unknown) =>
    call(leadRoute, `/api/admin/leads/${id}`, { method: "PATCH", params: { id }, cookie, body });
  return { ...tenant, db, since, ann, ben, list, marks, edit };
}

describe("new and changed marks", () => {
  it("new until opened; changed by someone else's edit; never by one's own", async () => {
    const { api, ann, ben, marks, edit, list } = await company();
    const lead = (await api.post<{ id: string }>({ name: "Marked", phone: "6125550301" })).body;
    expect((await marks(ann.cookie))[lead.id]).toBe("new");
    expect((await marks(ben.cookie))[lead.id]).toBe("new");

    // Ann opens the lead (the lead page calls markRead): not new to her; still new to Ben.
    await markRead(ann.id, [lead.id]);
    const seen = await list(ann.cookie);
    // The list itself came from the cache: the marks are the user's, read per request.
    expect(seen.cache).toBe("HIT");
    expect(seen.body.marks).toEqual({});
    expect((await marks(ben.cookie))[lead.id]).toBe("new");

    // Ben edits it: changed for Ann; Ben's own edit leaves nothing for him to look at.
    expect((await edit(ben.cookie, lead.id, { notes: "Called, no answer" })).status).toBe(200);
    expect((await marks(ann.cookie))[lead.id]).toBe("changed");
    expect((await marks(ben.cookie))[lead.id]).toBeUndefined();

    // Ann opens it again, then edits it herself (a board move is the same edit): nothing marked.
    await markRead(ann.id, [lead.id]);
    expect((await edit(ann.cookie, lead.id, { stage: "Quoted" })).status).toBe(200);
    expect((await marks(ann.cookie))[lead.id]).toBeUndefined();
    expect((await marks(ben.cookie))[lead.id]).toBe("changed");

    // A bulk action by Ben: changed for Ann, not for him.
    const bulk = await call(bulkRoute, "/api/admin/leads/bulk", {
      method: "POST",
      cookie: ben.cookie,
      body: { ids: [lead.id], action: "add_tag", value: "vip" },
    });
    expect(bulk.status).toBe(200);
    expect((await marks(ann.cookie))[lead.id]).toBe("changed");
    expect((await marks(ben.cookie))[lead.id]).toBeUndefined();
  });

  it("a lead staff type in is not new to its author", async () => {
    const { ann, ben, marks } = await company();
    const made = await call(leadsRoute, "/api/admin/leads", {
      method: "POST",
      cookie: ann.cookie,
      body: { name: "Typed In", phone: "6125550302" },
    });
    expect(made.status).toBe(201);
    const { data } = await json<{ data: { id: string } }>(made);
    expect((await marks(ann.cookie))[data.id]).toBeUndefined();
    expect((await marks(ben.cookie))[data.id]).toBe("new");
  });

  it("leads that came in before the user's marking began count as seen", async () => {
    const { db, company: c, ann, since, marks } = await company();
    const [old] = await db
      .insert(leads)
      .values({ companyId: c.id, name: "Old", createdAt: new Date(since.getTime() - 60_000) })
      .returning();
    const [fresh] = await db.insert(leads).values({ companyId: c.id, name: "Fresh" }).returning();
    const now = await marks(ann.cookie);
    expect(now[old!.id]).toBeUndefined();
    expect(now[fresh!.id]).toBe("new");
  });

  it("marks a page read at once, and only the caller's company's leads", async () => {
    const { api, db, ann, ben, marks, list } = await company();
    const ids: string[] = [];
    for (const phone of ["6125550311", "6125550312", "6125550313"]) {
      ids.push((await api.post<{ id: string }>({ name: `Lead ${phone}`, phone })).body.id);
    }
    expect(Object.keys(await marks(ann.cookie)).sort()).toEqual([...ids].sort());
    const page = (await list(ann.cookie)).body.data.map((l) => l.id);
    const read = await call(leadsRoute, "/api/admin/leads", {
      method: "PATCH",
      cookie: ann.cookie,
      body: { read: page },
    });
    expect(read.status).toBe(200);
    expect(await marks(ann.cookie)).toEqual({});
    expect(Object.keys(await marks(ben.cookie))).toHaveLength(3);

    const bad = await call(leadsRoute, "/api/admin/leads", {
      method: "PATCH",
      cookie: ann.cookie,
      body: { read: ["not-a-lead"] },
    });
    expect(bad.status).toBe(400);
    expect(await json(bad)).toMatchObject({ errors: [{ field: "read" }] });

    // Another company's lead is passed over: no read is kept for it.
    const other = await newTenant();
    const theirs = (await other.api.post<{ id: string }>({ name: "Theirs", phone: "6125550314" })).body;
    await markRead(ann.id, [theirs.id, ids[0]!]);
    const kept = await db.select().from(leadReads).where(eq(leadReads.userId, ann.id));
    expect(kept.map((r) => r.leadId)).not.toContain(theirs.id);
    expect(await leadMarks(ann.id, [theirs.id])).toEqual({});
  });
});
