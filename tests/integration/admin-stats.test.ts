import { afterEach, describe, expect, it } from "vitest";
import { setClock } from "@/lib/clock";
import { getDb } from "@/lib/db/client";
import { leads } from "@/lib/db/schema";
import { leadStats } from "@/lib/leads/stats";
import { newTenant } from "../support/fixtures";
import { newUser } from "../support/staff";

afterEach(() => setClock(null));

describe("the dashboard's figures", () => {
  it("counts leads per UTC day over 30 days, and open leads by stage and source, for whom may see them", async () => {
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
      // Older than the 30 days: not in the chart, but still an open lead.
      { companyId: company.id, stage: "lost", source: "website", createdAt: day(30) },
    ]);

    const stats = await leadStats({ companyId: company.id });
    expect(stats.perDay).toHaveLength(30);
    expect(stats.perDay[0]).toEqual({ day: "2026-03-02", count: 1 });
    expect(stats.perDay.at(-2)).toEqual({ day: "2026-03-30", count: 1 });
    expect(stats.perDay.at(-1)).toEqual({ day: "2026-03-31", count: 2 });
    expect(stats.perDay.reduce((n, d) => n + d.count, 0)).toBe(4);
    expect(stats.total).toBe(4);
    expect(stats.byStage).toEqual([
      { label: "new", count: 2 },
      expect.objectContaining({ count: 1 }),
      expect.objectContaining({ count: 1 }),
    ]);
    expect(new Set(stats.byStage.map((s) => s.label))).toEqual(new Set(["new", "won", "lost"]));
    expect(stats.bySource).toEqual([
      { label: "website", count: 3 },
      { label: "referral", count: 1 },
    ]);

    const mine = await leadStats({ companyId: company.id, memberId: member.id });
    expect(mine.total).toBe(1);
    expect(mine.byStage).toEqual([{ label: "won", count: 1 }]);

    // Cached with the lists, and stale after a write like them.
    await api.post({ name: "New today", phone: "6125550141", stage: "new", source: "website" });
    const after = await leadStats({ companyId: company.id });
    expect(after.total).toBe(5);
    expect(after.perDay.at(-1)).toEqual({ day: "2026-03-31", count: 3 });
  });
});
