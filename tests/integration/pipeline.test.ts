import { describe, expect, it } from "vitest";
import * as settingsRoute from "@/app/api/admin/settings/route";
import * as leadsRoute from "@/app/api/admin/leads/route";
import * as leadRoute from "@/app/api/admin/leads/[id]/route";
import * as bulkRoute from "@/app/api/admin/leads/bulk/route";
import { leadTimeline } from "@/lib/leads/history";
import { pipeline, type Stage } from "@/lib/leads/pipeline";
import { dueFollowUps } from "@/lib/leads/response";
import { newTenant } from "../support/fixtures";
import { call, json, newUser, sessionCookie } from "../support/staff";

type Lead = { id: string; stage: string | null };

async function company() {
  const tenant = await newTenant();
  const admin = await newUser(tenant.company.id, "admin");
  const cookie = await sessionCookie(admin);
  const put = (body: unknown, as = cookie) =>
    call(settingsRoute, "/api/admin/settings", { method: "PUT", cookie: as, body });
  const names = async () => (await pipeline(tenant.company.id)).map((s) => `${s.name}:${s.kind}`);
  return { ...tenant, admin, cookie, put, names };
}

describe("the pipeline", () => {
  it("starts as New, Contacted, Quoted, Scheduled, Won and Lost; the API may still send any stage", async () => {
    const { api, names, company: c } = await company();
    expect(await names()).toEqual([
      "New:open",
      "Contacted:open",
      "Quoted:open",
      "Scheduled:open",
      "Won:won",
      "Lost:lost",
    ]);
    // A stage the pipeline does not know joins it as an open one, once whatever its case.
    const booked = await api.post<Lead>({ name: "Bo", phone: "6125550201", stage: "Booked" });
    expect(booked.body.stage).toBe("Booked");
    await api.post<Lead>({ name: "Bea", phone: "6125550202", stage: "booked" });
    await api.post<Lead>({ name: "Cy", phone: "6125550203", stage: "QUOTED" });
    expect((await names()).slice(-1)).toEqual(["Booked:open"]);
    expect(await names()).toHaveLength(7);
    // A lead without a stage keeps none, as the contract says; it counts in the first open stage.
    const bare = await api.post<Lead>({ name: "Di", phone: "6125550204" });
    expect(bare.body.stage).toBeNull();
    expect((await pipeline(c.id))[0]!.name).toBe("New");
  });

  it("is the only stage staff may give: the admin's edits, new leads and bulk actions refuse another", async () => {
    const { api, cookie } = await company();
    const lead = (await api.post<Lead>({ name: "Ed", phone: "6125550211" })).body;
    const edit = (body: unknown) =>
      call(leadRoute, `/api/admin/leads/${lead.id}`, {
        method: "PATCH",
        params: { id: lead.id },
        cookie,
        body,
      });
    const refused = await edit({ stage: "Maybe later" });
    expect(refused.status).toBe(400);
    expect(await json(refused)).toMatchObject({
      errors: [
        { field: "stage", message: '"Maybe later" is not a stage of the pipeline; choose one from the list' },
      ],
    });
    const moved = await edit({ stage: "contacted" });
    expect(moved.status).toBe(200);

    const bulk = await call(bulkRoute, "/api/admin/leads/bulk", {
      method: "POST",
      cookie,
      body: { ids: [lead.id], action: "set_stage", value: "Nowhere" },
    });
    expect(bulk.status).toBe(400);
    expect(await json(bulk)).toMatchObject({ errors: [{ field: "value" }] });
    const bulkOk = await call(bulkRoute, "/api/admin/leads/bulk", {
      method: "POST",
      cookie,
      body: { ids: [lead.id], action: "set_stage", value: "Quoted" },
    });
    expect(await json(bulkOk)).toEqual({ updated: 1, status: "success" });

    const create = (body: unknown) => call(leadsRoute, "/api/admin/leads", { method: "POST", cookie, body });
    expect(await json(await create({ name: "Fay", phone: "6125550212", stage: "Elsewhere" }))).toMatchObject({
      errors: [{ field: "stage" }],
    });
  });

  it("a lead typed in by staff needs a name and a phone or an email, and an edit cannot take them away", async () => {
    const { cookie } = await company();
    const create = (body: unknown) => call(leadsRoute, "/api/admin/leads", { method: "POST", cookie, body });
    const empty = await create({});
    expect(empty.status).toBe(400);
    expect((await json<{ errors: { field: string; message: string }[] }>(empty)).errors).toEqual([
      { field: "name", message: "A lead needs a name" },
      { field: "phone", message: "Give a phone number or an email" },
    ]);
    expect((await create({ name: "Gus" })).status).toBe(400);
    const made = await create({ name: "Gus", email: "gus@example.com" });
    expect(made.status).toBe(201);
    const { data } = await json<{ data: Lead }>(made);
    const edit = (body: unknown) =>
      call(leadRoute, `/api/admin/leads/${data.id}`, {
        method: "PATCH",
        params: { id: data.id },
        cookie,
        body,
      });
    expect(await json(await edit({ email: null }))).toMatchObject({
      errors: [{ field: "phone", message: "Give a phone number or an email" }],
    });
    expect(await json(await edit({ name: "" }))).toMatchObject({ errors: [{ field: "name" }] });
    // With a phone given in the same edit, the email may go.
    expect((await edit({ email: null, phone: "6125550221" })).status).toBe(200);
  });

  it("an admin renames, reorders, adds and retires stages; leads follow, each move on their history", async () => {
    const { api, put, names, admin, company: c } = await company();
    const quoted = (await api.post<Lead>({ name: "Hal", phone: "6125550231", stage: "quoted" })).body;
    const scheduled = (await api.post<Lead>({ name: "Ida", phone: "6125550232", stage: "Scheduled" })).body;
    const current = await pipeline(c.id);
    const byName = (name: string) => current.find((s) => s.name === name)!;
    const keep = (s: Stage, name = s.name) => ({ id: s.id, name, kind: s.kind });
    const saved = await put({
      stages: [
        keep(byName("New")),
        keep(byName("Quoted"), "Estimate sent"),
        keep(byName("Contacted")),
        { name: "On hold", kind: "open" },
        keep(byName("Won")),
        keep(byName("Lost")),
      ],
      retire: [{ id: byName("Scheduled").id, moveTo: "Contacted" }],
    });
    expect(saved.status).toBe(200);
    expect(await json(saved)).toMatchObject({ moved: 2 });
    expect(await names()).toEqual([
      "New:open",
      "Estimate sent:open",
      "Contacted:open",
      "On hold:open",
      "Won:won",
      "Lost:lost",
    ]);
    expect((await api.get<{ data: Lead }>(quoted.id)).body.data.stage).toBe("Estimate sent");
    expect((await api.get<{ data: Lead }>(scheduled.id)).body.data.stage).toBe("Contacted");
    const { entries } = await leadTimeline({ ...admin, sessionVersion: 0 }, scheduled.id);
    expect(entries[0]).toMatchObject({ kind: "staff", changes: { stage: ["Scheduled", "Contacted"] } });

    // Two stages may swap names: each one's leads go with it.
    const swapped = await pipeline(c.id);
    const named = (name: string) => swapped.find((s) => s.name === name)!;
    expect(
      (
        await put({
          stages: swapped.map((s) =>
            s.name === "New"
              ? { ...keep(s), name: "Contacted" }
              : s.name === "Contacted"
                ? { ...keep(s), name: "New" }
                : keep(s),
          ),
        })
      ).status,
    ).toBe(200);
    expect((await api.get<{ data: Lead }>(scheduled.id)).body.data.stage).toBe("New");
    expect((await pipeline(c.id)).map((s) => s.id).slice(0, 3)).toEqual([
      named("New").id,
      named("Estimate sent").id,
      named("Contacted").id,
    ]);

    // A retired name written again (the API may) comes back as an open stage.
    await api.post<Lead>({ name: "Jo", phone: "6125550233", stage: "scheduled" });
    expect((await names()).at(-1)).toBe("Scheduled:open");
  });

  it("refuses a pipeline it could not keep, naming why; members may not change it", async () => {
    const { put, company: c } = await company();
    const current = await pipeline(c.id);
    const all = current.map(({ id, name, kind }) => ({ id, name, kind }));
    const noneOpen = await put({ stages: all.map((s) => ({ ...s, kind: "won" })) });
    expect(noneOpen.status).toBe(400);
    expect(await json(noneOpen)).toMatchObject({
      errors: [{ field: "stages", message: expect.stringContaining("open stage") }],
    });
    const dropped = await put({ stages: all.slice(1) });
    expect(await json(dropped)).toMatchObject({
      errors: [{ field: "retire", message: 'Say where the leads of "New" go' }],
    });
    const twice = await put({ stages: [...all, { name: "new", kind: "open" }] });
    expect(await json(twice)).toMatchObject({
      errors: [{ field: "stages.6.name", message: "Two stages cannot share a name" }],
    });
    const member = await sessionCookie(await newUser(c.id, "member"));
    expect((await put({ stages: all }, member)).status).toBe(403);
    expect(await pipeline(c.id)).toEqual(current);
  });

  it("open means an open stage: won leads leave the Due view", async () => {
    const { api, company: c } = await company();
    await api.post({ name: "Kim", phone: "6125550241", follow_up_date: "2026-01-02", stage: "Quoted" });
    await api.post({ name: "Lee", phone: "6125550242", follow_up_date: "2026-01-02", stage: "Won" });
    await api.post({ name: "Max", phone: "6125550243", follow_up_date: "2026-01-02" });
    const due = await dueFollowUps({ companyId: c.id }, "UTC");
    expect(due.map((d) => d.name).sort()).toEqual(["Kim", "Max"]);
  });
});
