import { and, count, desc, gte, sql } from "drizzle-orm";
import { now } from "@/lib/clock";
import { getDb } from "@/lib/db/client";
import { leads } from "@/lib/db/schema";
import { cachedLeadRead } from "./cache";
import { EVERY_LEAD, type ListScope, listConditions, OPEN_LEADS } from "./list";
import { inOpenStage, pipeline, stageOf } from "./pipeline";

export const DASHBOARD_DAYS = 30;

export interface LeadStats {
  /** One entry per UTC day, oldest first, the last being today; days without leads count 0. */
  perDay: { day: string; count: number }[];
  /**
   * Open leads (not archived, in an open stage): by stage in the pipeline's order, every open stage
   * shown, and by source, largest first; null is "none".
   */
  byStage: { label: string | null; count: number }[];
  bySource: { label: string | null; count: number }[];
  total: number;
}

const TOP = 10;

async function compute(scope: ListScope): Promise<LeadStats> {
  const db = await getDb();
  const today = now();
  const start = new Date(
    Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - (DASHBOARD_DAYS - 1)),
  );
  const everyLead = listConditions(scope, EVERY_LEAD);
  const active = and(listConditions(scope, OPEN_LEADS), inOpenStage);
  const day = sql<string>`to_char(${leads.createdAt} at time zone 'UTC', 'YYYY-MM-DD')`;
  // "website", not "website · page https://…": a form's leads carry the page after the source.
  const sourceName = sql<string | null>`nullif(split_part(${leads.source}, ' · ', 1), '')`;
  const [days, stages, sources, [totals]] = await Promise.all([
    db
      .select({ day, count: count() })
      .from(leads)
      .where(and(everyLead, gte(leads.createdAt, start)))
      .groupBy(day),
    db
      .select({ label: sql<string | null>`lower(${leads.stage})`, count: count() })
      .from(leads)
      .where(active)
      .groupBy(sql`lower(${leads.stage})`),
    db
      .select({ label: sourceName, count: count() })
      .from(leads)
      .where(active)
      .groupBy(sourceName)
      .orderBy(desc(count()))
      .limit(TOP),
    db.select({ count: count() }).from(leads).where(active),
  ]);
  const byDay = new Map(days.map((d) => [d.day, d.count]));
  const perDay = Array.from({ length: DASHBOARD_DAYS }, (_, i) => {
    const key = new Date(start.getTime() + i * 86_400_000).toISOString().slice(0, 10);
    return { day: key, count: byDay.get(key) ?? 0 };
  });
  const stagesNow = await pipeline(scope.companyId);
  const byName = new Map<string, number>();
  const elsewhere: LeadStats["byStage"] = [];
  for (const row of stages) {
    const stage = stageOf(row.label, stagesNow);
    if (stage) byName.set(stage.name, (byName.get(stage.name) ?? 0) + row.count);
    else elsewhere.push(row);
  }
  // Every open stage in the pipeline's order (leads without a stage in the first), then any stage
  // leads are still in that the pipeline retired.
  const byStage = [
    ...stagesNow
      .filter((s) => s.kind === "open")
      .map((s) => ({ label: s.name, count: byName.get(s.name) ?? 0 })),
    ...elsewhere,
  ];
  return { perDay, byStage, bySource: sources, total: totals?.count ?? 0 };
}

/** The dashboard's figures, cached with the company's lists and made stale by the same writes. */
export async function leadStats(scope: ListScope): Promise<LeadStats> {
  const key = JSON.stringify(["stats", scope.memberId ?? null, now().toISOString().slice(0, 10)]);
  const { body } = await cachedLeadRead(scope.companyId, key, {}, async () =>
    JSON.stringify(await compute(scope)),
  );
  return JSON.parse(body) as LeadStats;
}
