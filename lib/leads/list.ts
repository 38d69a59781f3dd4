import { and, desc, eq, getTableColumns, type SQL, sql } from "drizzle-orm";
import { type Db, getDb } from "@/lib/db/client";
import { type LeadRow, leads } from "@/lib/db/schema";
import { type ListQuery, listQuerySchema } from "./schema";
import { parseTagFilter } from "./tags";

export type { ListQuery };

const likePattern = (term: string) => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** A search that is only digits and phone punctuation also looks in phone numbers, by digits. */
function phoneSearchDigits(search: string): string | undefined {
  if (!/^[\d\s().+-]+$/.test(search)) return undefined;
  const digits = search.replace(/\D/g, "");
  return digits.length > 0 ? digits : undefined;
}

/**
 * Whose leads a list may show: a company's, and for a member of staff only those assigned to them
 * or created by them.
 */
export interface ListScope {
  companyId: string;
  memberId?: string;
}

/** Queries without a filter: every lead of a scope, archived or not, and those that are open. */
export const EVERY_LEAD: ListQuery = listQuerySchema.parse({ archived: "true" });
export const OPEN_LEADS: ListQuery = listQuerySchema.parse({});

export function listConditions(scope: ListScope, query: ListQuery): SQL {
  const conditions: (SQL | undefined)[] = [eq(leads.companyId, scope.companyId)];
  if (scope.memberId) {
    conditions.push(sql`(${leads.assignedTo} = ${scope.memberId} or ${leads.createdBy} = ${scope.memberId})`);
  }
  // Written as a literal, so that the planner can match the partial indexes on unarchived leads.
  if (!query.archived) conditions.push(sql`${leads.archived} = false`);
  // Control characters separate the fields inside search_text, so they never take part in a search.
  const search = query.search?.replace(/[\u0000-\u001f]/g, "").toLowerCase();
  if (search) {
    const matches = [sql`${leads.searchText} like ${likePattern(search)}`];
    const digits = phoneSearchDigits(search);
    if (digits && digits !== search) matches.push(sql`${leads.searchText} like ${likePattern(digits)}`);
    conditions.push(sql`(${sql.join(matches, sql` or `)})`);
  }
  if (query.stage) conditions.push(sql`lower(${leads.stage}) = ${query.stage.toLowerCase()}`);
  const tags = parseTagFilter(query.tags);
  if (tags.length > 0) {
    conditions.push(
      sql`${leads.tagsLc} && array[${sql.join(
        tags.map((t) => sql`${t}`),
        sql`, `,
      )}]::text[]`,
    );
  }
  return and(...conditions)!;
}

type PageRows = { lead: LeadRow; total: number }[];

/**
 * One page of a company's leads, newest first with ties broken by id, and the total that match.
 * `knownTotal`, when the caller has it (lib/leads/cache.ts keeps counts per filter), saves counting
 * a list without a search (a search counts its collected matches at no extra cost). `where`: the
 * admin's filters (lib/leads/triage-list.ts), on the same path.
 */
export async function listLeads(
  scope: ListScope,
  query: ListQuery,
  knownTotal: number | null = null,
  where: SQL = listConditions(scope, query),
): Promise<{ rows: LeadRow[]; total: number }> {
  const db = await getDb();
  if (knownTotal !== null && !query.search) {
    const rows = await plainPage(db, where, query, false);
    return { rows: rows.map((r) => r.lead), total: knownTotal };
  }
  const page = query.search ? await searchPage(db, where, query) : await plainPage(db, where, query, true);
  if (page.length > 0) return { rows: page.map((r) => r.lead), total: page[0]!.total };
  // Only a page past the end needs a count of its own.
  return { rows: [], total: query.page === 1 ? 0 : await db.$count(leads, where) };
}

const offsetOf = (query: ListQuery) => (query.page - 1) * query.limit;

/**
 * Without a search the order index gives the page directly; the count rides in the same statement,
 * so the page and its total come from one snapshot.
 */
function plainPage(db: Db, where: SQL, query: ListQuery, count: boolean): Promise<PageRows> {
  return db
    .select({
      lead: getTableColumns(leads),
      total: count
        ? sql<number>`(select count(*) from ${leads} where ${where})`.mapWith(Number)
        : sql<number>`0`.mapWith(Number),
    })
    .from(leads)
    .where(where)
    .orderBy(desc(leads.createdAt), desc(leads.id))
    .limit(query.limit)
    .offset(offsetOf(query));
}

/**
 * With a search, the matches are collected once through the trigram index (a CTE used twice is
 * materialised), counted, and sorted by their own (id, created_at); only the page's leads are then
 * read in full. Walking the order index instead would read every lead of the company.
 */
function searchPage(db: Db, where: SQL, query: ListQuery): Promise<PageRows> {
  const matches = db
    .$with("matches")
    .as(db.select({ id: leads.id, createdAt: leads.createdAt }).from(leads).where(where));
  const pageIds = db
    .$with("page_ids")
    .as(
      db
        .select({ id: matches.id, createdAt: matches.createdAt })
        .from(matches)
        .orderBy(desc(matches.createdAt), desc(matches.id))
        .limit(query.limit)
        .offset(offsetOf(query)),
    );
  return db
    .with(matches, pageIds)
    .select({
      lead: getTableColumns(leads),
      total: sql<number>`(select count(*) from ${matches})`.mapWith(Number),
    })
    .from(pageIds)
    .innerJoin(leads, eq(leads.id, pageIds.id))
    .orderBy(desc(pageIds.createdAt), desc(pageIds.id));
}
