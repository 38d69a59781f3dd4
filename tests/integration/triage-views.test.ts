import { beforeAll, describe, expect, it } from "vitest";
import * as leadsRoute from "@/app/api/admin/leads/route";
import { listViews, MAX_SAVED_VIEWS } from "@/lib/leads/views";
import { newTenant } from "../support/fixtures";
import { call, json, newUser, sessionCookie } from "../support/staff";

type View = { id: string; name: string; query: string };
type Saved = { data: View; views: View[] };
type Refused = { errors: { field: string; message: string }[] };

let companyId: string;
let ann: { id: string; cookie: string };
let ben: { id: string; cookie: string };

const save = (cookie: string | undefined, body: unknown) =>
  call(leadsRoute, "/api/admin/leads", { method: "PUT", cookie, body });
const remove = (cookie: string | undefined, id: string | null) =>
  call(leadsRoute, `/api/admin/leads${id === null ? "" : `?view=${id}`}`, { method: "DELETE", cookie });
const asUser = (user: { id: string }) => ({
  ...user,
  companyId,
  email: "",
  name: null,
  role: "admin" as const,
  sessionVersion: 0,
});

beforeAll(async () => {
  const tenant = await newTenant();
  companyId = tenant.company.id;
  const a = await newUser(companyId, "admin");
  const b = await newUser(companyId, "member");
  ann = { id: a.id, cookie: await sessionCookie(a) };
  ben = { id: b.id, cookie: await sessionCookie(b) };
});

describe("saved views", () => {
  it("saves a view under a name with its query normalised: the list's keys only, in order, no page", async () => {
    const response = await save(ann.cookie, {
      name: "  Roofs due  ",
      query: "?page=3&limit=100&due=1&utm=x&tags=roof&sort=-created&sort=name",
    });
    expect(response.status).toBe(201);
    const { data, views } = await json<Saved>(response);
    expect(data).toMatchObject({ name: "Roofs due", query: "tags=roof&due=1" });
    expect(views.map((v) => v.name)).toEqual(["Roofs due"]);
    // Opening it asks the list for exactly that.
    const list = await call(leadsRoute, `/api/admin/leads?${data.query}`, { cookie: ann.cookie });
    expect(list.status).toBe(200);
  });

  it("refuses a name the user already has, whatever its case, naming the field", async () => {
    await save(ann.cookie, { name: "Mine, sorted", query: "assigned=me&sort=-value" });
    const again = await save(ann.cookie, { name: "MINE, SORTED", query: "won=month" });
    expect(again.status).toBe(400);
    expect(await json<Refused>(again)).toMatchObject({
      errors: [{ field: "name", message: 'You already have a view named "MINE, SORTED"' }],
    });
    // Another user may use the same name: views are each user's own.
    expect((await save(ben.cookie, { name: "Mine, sorted", query: "assigned=me" })).status).toBe(201);
  });

  it("refuses a missing name, a query the list would refuse, and an empty one, naming each field", async () => {
    const cases: [unknown, string][] = [
      [{ name: " ", query: "due=1" }, "name"],
      [{ query: "due=1" }, "name"],
      [{ name: "x".repeat(61), query: "due=1" }, "name"],
      [{ name: "Bad sort", query: "sort=sideways" }, "query"],
      [{ name: "Bad limit", query: "archived=perhaps" }, "query"],
      [{ name: "Nothing", query: "page=2&limit=25" }, "query"],
      [{ name: "No query" }, "query"],
    ];
    for (const [body, field] of cases) {
      const response = await save(ann.cookie, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect((await json<Refused>(response)).errors[0]!.field, JSON.stringify(body)).toBe(field);
    }
    const bad = await json<Refused>(await save(ann.cookie, { name: "Bad sort", query: "sort=sideways" }));
    expect(bad.errors[0]!.message).toMatch(/^sort: Must be one of: created, name/);
  });

  it("is each user's own: another user neither lists nor removes it", async () => {
    const mine = (await json<Saved>(await save(ann.cookie, { name: "Quoted", query: "stage=Quoted" }))).data;
    expect((await listViews(asUser(ben))).map((v) => v.name)).not.toContain("Quoted");
    const refused = await remove(ben.cookie, mine.id);
    expect(refused.status).toBe(404);
    expect((await listViews(asUser(ann))).map((v) => v.id)).toContain(mine.id);

    const removed = await remove(ann.cookie, mine.id);
    expect(removed.status).toBe(200);
    expect((await json<{ views: View[] }>(removed)).views.map((v) => v.id)).not.toContain(mine.id);
    expect((await remove(ann.cookie, mine.id)).status).toBe(404);
  });

  it("names the view to remove: none, or not an id, is a 400 on view", async () => {
    for (const id of [null, "not-an-id"]) {
      const response = await remove(ann.cookie, id);
      expect(response.status).toBe(400);
      expect((await json<Refused>(response)).errors[0]!.field).toBe("view");
    }
  });

  it("keeps at most a set number per user", async () => {
    const { company } = await newTenant();
    const user = await newUser(company.id, "admin");
    const cookie = await sessionCookie(user);
    for (let i = 0; i < MAX_SAVED_VIEWS; i++) {
      expect((await save(cookie, { name: `View ${i}`, query: `tags=t${i}` })).status).toBe(201);
    }
    const over = await save(cookie, { name: "One more", query: "tags=more" });
    expect(over.status).toBe(400);
    expect((await json<Refused>(over)).errors[0]!.field).toBe("name");
  });

  it("refuses anonymous callers: saving, removing, marking read", async () => {
    for (const response of [
      await save(undefined, { name: "x", query: "due=1" }),
      await remove(undefined, "00000000-0000-4000-8000-000000000000"),
      await call(leadsRoute, "/api/admin/leads", { method: "PATCH", body: { read: [] } }),
    ]) {
      expect(response.status).toBe(401);
      expect(await json(response)).toMatchObject({ error_code: "AUTHENTICATION_REQUIRED" });
    }
  });
});
