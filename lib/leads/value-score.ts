import { type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { type LeadRow, leads } from "@/lib/db/schema";

const PRIORITY_POINTS = { high: 20, medium: 12, low: 5 } as const;
const VALUE_POINTS = 40;
const FULL_VALUE = 25_000;

const text = (column: AnyPgColumn) => sql`coalesce(${column}, '') <> ''`;

/**
 * The points for what a lead has, each as JavaScript reads a lead row and as SQL reads the leads
 * table: one list, so the score on a lead and the order of a list sorted by it cannot drift apart.
 */
const HAS: [points: number, has: (lead: LeadRow) => unknown, sql: SQL][] = [
  [10, (l) => l.phone, text(leads.phone)],
  [5, (l) => l.email, text(leads.email)],
  [
    10,
    (l) => l.addressStreet1 && (l.addressCity || l.addressZip),
    sql`(${text(leads.addressStreet1)} and (${text(leads.addressCity)} or ${text(leads.addressZip)}))`,
  ],
  [5, (l) => l.serviceType, text(leads.serviceType)],
  [5, (l) => l.followUpDate, sql`${leads.followUpDate} is not null`],
  [5, (l) => l.notes, text(leads.notes)],
];

/**
 * How promising a lead is, 0 to 100, computed from the lead alone so it is the same on every read.
 * Projected value up to 40 (logarithmic, full at 25,000), priority up to 20 (high 20, medium 12,
 * low 5), a phone 10, an email 5, an address (street and city or zip) 10, a service type 5,
 * a follow-up date 5, notes 5. The README documents the same table.
 */
export function valueScore(lead: LeadRow): number {
  let score = 0;
  const value = lead.projectedValue ?? 0;
  if (value > 0)
    score += Math.min(VALUE_POINTS, (VALUE_POINTS * Math.log10(1 + value)) / Math.log10(1 + FULL_VALUE));
  if (lead.priority) score += PRIORITY_POINTS[lead.priority];
  for (const [points, has] of HAS) if (has(lead)) score += points;
  // Halves up, as SQL can say it of a double too (its round() takes halves to even).
  return Math.min(100, Math.floor(score + 0.5));
}

/**
 * `valueScore` as an SQL expression over the leads table, for sorting. The terms are added in the
 * same order as above, in double precision, so both give the same number to the last bit.
 */
export const valueScoreSql: SQL<number> = sql<number>`least(100, floor(
  (case when ${leads.projectedValue} > 0
    then least(${VALUE_POINTS}::float8, (${VALUE_POINTS}::float8 * log(1 + ${leads.projectedValue})) / log(${1 + FULL_VALUE}::float8))
    else 0::float8 end)
  + (case ${leads.priority} ${sql.join(
    Object.entries(PRIORITY_POINTS).map(([name, points]) => sql`when ${name} then ${points}::float8`),
    sql` `,
  )} else 0::float8 end)
  ${sql.join(
    HAS.map(([points, , has]) => sql`+ (case when ${has} then ${points}::float8 else 0::float8 end)`),
    sql` `,
  )}
  + 0.5))`;
