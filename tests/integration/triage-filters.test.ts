import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import * as leadsRoute from "@/app/api/admin/leads/route";
import { setClock } from "@/lib/clock";
import { companyProfile } from "@/lib/company/profile";
import { getDb } from "@/lib/db/client";
import { companies, leads, type NewLeadRow } from "@/lib/db/schema";
import { pipeline } from "@/lib/leads/pipeline";
import { queryKey } from "@/lib/leads/query-key";
import { dueFollowUps } from "@/lib/leads/response";
import { builtInViews } from "@/lib/leads/views";
import { parseAdminListQuery } from "@/lib/leads/admin-query";
import { newTenant } from "../support/fixtures";
import { call, json, newUser, sessionCookie } from "../support/staff";

type ListBody = { data: { id: string; name: string }[]; pagination: { total: number } };

afterEach(() => setClock(null));

async function company(timeZone = "UTC") {
  const tenant = await newTenant();
  const db = await getDb();
  await db.update(companies).set({ timeZone }).where(eq(companies.id, tenant.company.id));
  // Read afresh now, so the few seconds each process keeps a profile hold the zone just set.
  await companyProfile(tenant.company.id);
  const admin = await newUser(tenant.company.id, "admin");
  const cookie = await sessionCookie(admin);
  const add = async (rows: Partial<NewLeadRow>[]) =>
    db.insert(leads).values(rows.map((row) => ({ companyId: tenant.company.id, ...row })));
  const names = async (query: string, as = cookie) => {
    const response = await call(leadsRoute, `/api/admin/leads?${query}`, { cookie: as });
    expect(response.status, query).toBe(200);
    return {
      names: (await json<ListBody>(response)).data.map((l) => l.name).sort(),
      cache: response.headers.get("x-cache"),
    };
  };
  const view = async (name: string) =>
    builtInViews(await pipeline(tenant.company.id), { triage: true }).find((v) => v.name === name)!.query;
  return { ...tenant, admin, cookie, add, names, view };
}

describe("the built-in views' filters", () => {
  it("New, not contacted: the first open stage (a lead without a stage too), nobody answered yet", async () => {
    const { add, names, view } = await company();
    const answered = new Date("2026-01-02T00:00:00Z");
    await add([
      { name: "no stage", stage: null },
      { name: "new", stage: "New" },
      { name: "new lower", stage: "new" },
      { name: "new answered", stage: "New", firstResponseAt: answered },
      { name: "quoted", stage: "Quoted" },
      { name: "new archived", stage: "New", archived: true },
    ]);
    expect(await view("New, not contacted")).toBe("stage=New&contacted=no");
    expect((await names("stage=New&contacted=no")).names).toEqual(["new", "new lower", "no stage"]);
    expect((await names("stage=new&contacted=yes")).names).toEqual(["new answered"]);
    // The stage filter alone reads the pipeline as the board does.
    expect((await names("stage=New")).names).toEqual(["new", "new answered", "new lower", "no stage"]);
    expect((await names("stage=Quoted")).names).toEqual(["quoted"]);
  });

  it("Due: open leads with a follow-up today or before in the company's time zone, as the Due page", async () => {
    // 20:00 UTC on March 10 is 09:00 on March 11 in Auckland (UTC+13): "today" there ends at
    // 10:59 UTC on the 11th, a day later than in UTC.
    const { add, names, view, company: c } = await company("Pacific/Auckland");
    setClock(() => new Date("2026-03-10T20:00:00Z"));
    await add([
      { name: "overdue", stage: "Quoted", followUpDate: new Date("2026-03-01T00:00:00Z") },
      { name: "today there", stage: null, followUpDate: new Date("2026-03-11T05:00:00Z") },
      { name: "tomorrow there", stage: "New", followUpDate: new Date("2026-03-11T12:00:00Z") },
      { name: "won", stage: "Won", followUpDate: new Date("2026-03-01T00:00:00Z") },
      { name: "no date", stage: "New" },
    ]);
    expect(await view("Due")).toBe("due=1&sort=follow-up");
    const due = await names("due=1&sort=follow-up");
    expect(due.names).toEqual(["overdue", "today there"]);
    expect((await dueFollowUps({ companyId: c.id }, "Pacific/Auckland")).map((l) => l.name).sort()).toEqual(
      due.names,
    );
    expect((await names("due=1&sort=follow-up")).cache).toBe("HIT");
    // A day later, "today" is another day: not yesterday's cached list.
    setClock(() => new Date("2026-03-11T20:00:00Z"));
    const tomorrow = await names("due=1&sort=follow-up");
    expect(tomorrow).toEqual({ names: ["overdue", "today there", "tomorrow there"], cache: "MISS" });
  });

  it("Won this month: in a won stage, moved there since the 1st in the company's time zone", async () => {
    // 03:00 UTC on April 1 is still March 31, 22:00, in Chicago (UTC-5).
    const { add, names, view } = await company("America/Chicago");
    setClock(() => new Date("2026-04-01T03:00:00Z"));
    await add([
      { name: "won mid-March", stage: "Won", stageChangedAt: new Date("2026-03-15T12:00:00Z") },
      { name: "won March 31 there", stage: "won", stageChangedAt: new Date("2026-04-01T01:00:00Z") },
      { name: "won Feb 28 there", stage: "Won", stageChangedAt: new Date("2026-03-01T02:00:00Z") },
      { name: "won in February", stage: "Won", stageChangedAt: new Date("2026-02-10T12:00:00Z") },
      { name: "quoted in March", stage: "Quoted", stageChangedAt: new Date("2026-03-20T12:00:00Z") },
      { name: "lost in March", stage: "Lost", stageChangedAt: new Date("2026-03-20T12:00:00Z") },
    ]);
    expect(await view("Won this month")).toBe("won=month");
    expect((await names("won=month")).names).toEqual(["won March 31 there", "won mid-March"]);
  });

  it("the stage trigger stamps when a lead moves to won, which Won this month then finds", async () => {
    const { add, names, cookie, company: c } = await company();
    await add([{ name: "moving", stage: "Quoted", stageChangedAt: new Date("2020-01-01T00:00:00Z") }]);
    expect((await names("won=month")).names).toEqual([]);
    const db = await getDb();
    const [lead] = await db.select().from(leads).where(eq(leads.companyId, c.id));
    const { PATCH } = await import("@/app/api/admin/leads/[id]/route");
    const moved = await call({ PATCH }, `/api/admin/leads/${lead!.id}`, {
      method: "PATCH",
      params: { id: lead!.id },
      cookie,
      body: { stage: "Won" },
    });
    expect(moved.status).toBe(200);
    expect((await names("won=month")).names).toEqual(["moving"]);
  });

  it("Mine: the leads assigned to the user; two users' lists never share a cache entry", async () => {
    const { add, names, view, admin, company: c } = await company();
    const other = await newUser(c.id, "admin");
    const otherCookie = await sessionCookie(other);
    await add([
      { name: "ann's", assignedTo: admin.id },
      { name: "ben's", assignedTo: other.id },
      { name: "nobody's" },
    ]);
    expect(await view("Mine")).toBe("assigned=me");
    expect(await names("assigned=me")).toEqual({ names: ["ann's"], cache: "MISS" });
    expect(await names("assigned=me", otherCookie)).toEqual({ names: ["ben's"], cache: "MISS" });
    expect(await names("assigned=me")).toEqual({ names: ["ann's"], cache: "HIT" });
    expect(await names("assigned=me", otherCookie)).toEqual({ names: ["ben's"], cache: "HIT" });
    // The keys themselves differ, though both users are admins who see the same company.
    const scope = { companyId: c.id };
    const params = new URLSearchParams("assigned=me");
    const [mine, theirs] = await Promise.all([
      parseAdminListQuery({ ...admin, companyId: c.id, sessionVersion: 0 }, params),
      parseAdminListQuery({ ...other, companyId: c.id, sessionVersion: 0 }, params),
    ]);
    expect(queryKey(scope, mine)).not.toBe(queryKey(scope, theirs));
    expect(queryKey(scope, mine)).toContain(admin.id);
  });

  it("refuses values it does not know, naming each parameter", async () => {
    const { cookie } = await company();
    const response = await call(
      leadsRoute,
      "/api/admin/leads?assigned=you&due=soon&won=year&contacted=maybe",
      {
        cookie,
      },
    );
    expect(response.status).toBe(400);
    const { errors } = await json<{ errors: { field: string }[] }>(response);
    expect(errors.map((e) => e.field).sort()).toEqual(["assigned", "contacted", "due", "won"]);
  });
});
