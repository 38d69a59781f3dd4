import { afterEach, describe, expect, it } from "vitest";
import { setClock } from "@/lib/clock";
import { getDb } from "@/lib/db/client";
import { leads } from "@/lib/db/schema";
import { leadStats } from "@/lib/leads/stats";
import { newTenant } from "../support/fixtures";
import { newUser } from "../support/staff";

afterEach(() => setClock(null));

describe("the dashboard's figures", () => {
  it("counts leads per UTC day over 30 days, and open leads (open stages) by stage and source, for whom may see them", async () => {
    const { company, api } = await newTenant();
    const member = await newUser(company.id, "member");
    const today = new Date("2026-03-31T12:00:00Z");
    setClock(() => today);
    const day = (d: number, hour = 10) => new Date(Date.UTC(2026, 2, 31 - d, hour));
    const db = await getDb();
    await db.insert(leads).values([
      { companyId: company.id, stage: "new", source: "website", createdAt: day(0) },
      { companyId: company.id, stage: "new", source: "website", createdAt: day(0, 23) },
      { companyId: company.id, stage: "won", source: "referral", createdAt: day(1), assignedTo: member.id },
      { companyId: company.id, stage: "won", source: null, createdAt: day(29), archived: true },
      // Older than the 30 days: not in the chart; lost, so not open either.
      { companyId: company.id, stage: "lost", source: "website", createdAt: day(30) },
      // Without a stage (as the API may make one): in the first open stage.
      { companyId: company.id, stage: null, source: "phone", createdAt: day(2) },
      // A stage the pipeline did not know joins it as an open one.
      { companyId: company.id, stage: "Booked", source: "referral", createdAt: day(3) },
    ]);

    const stats = await leadStats({ companyId: company.id });
    expect(stats.perDay).toHaveLength(30);
    expect(stats.perDay[0]).toEqual({ day: "2026-03-02", count: 1 });
    expect(stats.perDay.at(-2)).toEqual({ day: "2026-03-30", count: 1 });
    expect(stats.perDay.at(-1)).toEqual({ day: "2026-03-31", count: 2 });
    expect(stats.perDay.reduce((n, d) => n + d.count, 0)).toBe(6);
    // Won and lost leads are not open; every open stage is shown, in the pipeline's order.
    expect(stats.total).toBe(4);
    expect(stats.byStage).toEqual([
      { label: "New", count: 3 },
      { label: "Contacted", count: 0 },
      { label: "Quoted", count: 0 },
      { label: "Scheduled", count: 0 },
      { label: "Booked", count: 1 },
    ]);
    expect(stats.bySource).toHaveLength(3);
    expect(stats.bySource[0]).toEqual({ label: "website", count: 2 });
    expect(stats.bySource.slice(1)).toEqual(
      expect.arrayContaining([
        { label: "phone", count: 1 },
        { label: "referral", count: 1 },
      ]),
    );

    // The member's one lead is won: nothing open.
    const mine = await leadStats({ companyId: company.id, memberId: member.id });
    expect(mine.total).toBe(0);
    expect(mine.byStage.map((s) => s.count)).toEqual([0, 0, 0, 0, 0]);

    // Cached with the lists, and stale after a write like them.
    await api.post({ name: "New today", phone: "6125550141", stage: "new", source: "website" });
    const after = await leadStats({ companyId: company.id });
    expect(after.total).toBe(5);
    expect(after.byStage[0]).toEqual({ label: "New", count: 4 });
    expect(after.perDay.at(-1)).toEqual({ day: "2026-03-31", count: 3 });
  });
});
