import { and, desc, eq, getTableColumns, gte, isNotNull, isNull, type SQL, sql } from "drizzle-orm";
import { type Db, getDb } from "@/lib/db/client";
import { type LeadRow, leads, stages } from "@/lib/db/schema";
import type { AdminListQuery, Sort } from "./admin-query";
import type { SortField } from "./list-keys";
import { type ListScope, listConditions, listLeads } from "./list";
import { inWonStage } from "./pipeline";
import { followUpDue } from "./response";
import { valueScoreSql } from "./value-score";

const noStage = sql`coalesce(btrim(${leads.stage}), '') = ''`;

/** The first open stage's position: where a lead without a stage sorts. */
const firstOpenPosition = (companyId: string) =>
  sql`(select s.position from ${stages} s where s.company_id = ${companyId} and s.kind = 'open' and s.retired_at is null order by s.position, s.name limit 1)`;

/**
 * A stage as the pipeline reads it: the first open stage holds the leads without one too (the API
 * may make such leads), as on the board. The API's own list keeps Rotor's exact match.
 */
function inStage(stage: string, holdsNone: boolean): SQL {
  const named = sql`lower(${leads.stage}) = ${stage.toLowerCase()}`;
  // A lead without a stage has none at all (the API and the forms store a blank one as none), and
  // both sides read the stage index: lower(stage) is null there.
  return holdsNone ? sql`(${named} or lower(${leads.stage}) is null)` : named;
}

/** The leads a user sees that match an admin list's query: the API's filters and triage's. */
export function triageConditions(scope: ListScope, query: AdminListQuery): SQL {
  const { assignedTo, contacted, dueBy, wonSince } = query.triage;
  return and(
    listConditions(scope, { ...query, stage: undefined }),
    query.stage ? inStage(query.stage, query.triage.stageHoldsNone) : undefined,
    assignedTo ? eq(leads.assignedTo, assignedTo) : undefined,
    contacted === null
      ? undefined
      : contacted
        ? isNotNull(leads.firstResponseAt)
        : isNull(leads.firstResponseAt),
    dueBy ? followUpDue(dueBy) : undefined,
    wonSince ? and(inWonStage, gte(leads.stageChangedAt, wonSince)) : undefined,
  )!;
}

/** What each column sorts by; a lead without a stage sorts as the first open stage. */
function sortKey(companyId: string, field: SortField): SQL {
  switch (field) {
    case "created":
      return sql`${leads.createdAt}`;
    case "name":
      return sql`lower(nullif(btrim(${leads.name}), ''))`;
    case "stage":
      return sql`coalesce(
        (select s.position from ${stages} s where s.company_id = ${leads.companyId} and lower(s.name) = lower(${leads.stage}) and s.retired_at is null),
        case when ${noStage} then ${firstOpenPosition(companyId)} end)`;
    case "value":
      return sql`${leads.projectedValue}`;
    case "score":
      return valueScoreSql;
    case "follow-up":
      return sql`${leads.followUpDate}`;
  }
}

type PageRows = { lead: LeadRow; total: number }[];

/**
 * A page in the order asked for: leads without a value last either way, then the newest first,
 * then id, so equal values keep one order from page to page. Sorting reads every match anyway, so
 * the total rides along as a window count.
 */
function sortedPage(
  db: Db,
  where: SQL,
  query: AdminListQuery,
  companyId: string,
  sort: Sort,
): Promise<PageRows> {
  return db
    .select({
      lead: getTableColumns(leads),
      total: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(leads)
    .where(where)
    .orderBy(
      sql`${sortKey(companyId, sort.field)} ${sort.descending ? sql`desc` : sql`asc`} nulls last`,
      desc(leads.createdAt),
      desc(leads.id),
    )
    .limit(query.limit)
    .offset((query.page - 1) * query.limit);
}

/**
 * One page of an admin list and the total that match. Without a sort it is the API's list with
 * more conditions, on the same index path (lib/leads/list.ts); `knownTotal` as there.
 */
export async function listTriagedLeads(
  scope: ListScope,
  query: AdminListQuery,
  knownTotal: number | null = null,
): Promise<{ rows: LeadRow[]; total: number }> {
  const where = triageConditions(scope, query);
  const { sort } = query.triage;
  if (!sort) return listLeads(scope, query, knownTotal, where);
  const db = await getDb();
  const page = await sortedPage(db, where, query, scope.companyId, sort);
  if (page.length > 0) return { rows: page.map((r) => r.lead), total: page[0]!.total };
  return { rows: [], total: query.page === 1 ? 0 : await db.$count(leads, where) };
}
