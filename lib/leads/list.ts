import { and, count, desc, eq, type SQL, sql } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { type LeadRow, leads } from "@/lib/db/schema";
import { parseTagFilter } from "./tags";

export interface ListQuery {
  archived: boolean;
  limit: number;
  page: number;
  search?: string;
  stage?: string;
  tags?: string;
}

const likePattern = (term: string) => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** A search that is only digits and phone punctuation also looks in phone numbers, by digits. */
function phoneSearchDigits(search: string): string | undefined {
  if (!/^[\d\s().+-]+$/.test(search)) return undefined;
  const digits = search.replace(/\D/g, "");
  return digits.length > 0 ? digits : undefined;
}

export function listConditions(companyId: string, query: ListQuery): SQL {
  const conditions: (SQL | undefined)[] = [eq(leads.companyId, companyId)];
  if (!query.archived) conditions.push(eq(leads.archived, false));
  if (query.search) {
    const pattern = likePattern(query.search.toLowerCase());
    const digits = phoneSearchDigits(query.search);
    const matches = [sql`lower(${leads.name}) like ${pattern}`, sql`${leads.emailLc} like ${pattern}`];
    if (digits) matches.push(sql`${leads.phoneDigits} like ${likePattern(digits)}`);
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

/** One page of a company's leads, newest first with ties broken by id, and the total that match. */
export async function listLeads(
  companyId: string,
  query: ListQuery,
): Promise<{ rows: LeadRow[]; total: number }> {
  const db = await getDb();
  const where = listConditions(companyId, query);
  const offset = (query.page - 1) * query.limit;
  const [[totalRow], rows] = await Promise.all([
    db.select({ total: count() }).from(leads).where(where),
    db
      .select()
      .from(leads)
      .where(where)
      .orderBy(desc(leads.createdAt), desc(leads.id))
      .limit(query.limit)
      .offset(offset),
  ]);
  return { rows, total: totalRow?.total ?? 0 };
}
