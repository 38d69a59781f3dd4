import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { leads } from "@/lib/db/schema";
import { errors } from "@/lib/api/errors";
import { parseOrThrow, queryObject } from "@/lib/api/body";
import { cachedLeadList, keepCount, knownCount } from "./cache";
import { listLeads, type ListQuery, type ListScope } from "./list";
import { normaliseLeadInput } from "./normalise";
import {
  type ApiLead,
  leadInputSchema,
  leadResponseSchema,
  listQuerySchema,
  listResponseSchema,
  upsertResponseSchema,
} from "./schema";
import { toApiLead } from "./serialize";
import { upsertLead } from "./upsert";

/** Validates a request body and upserts it; the response body is the contract's. */
export async function upsertFromBody(
  companyId: string,
  body: unknown,
): Promise<{ body: z.infer<typeof upsertResponseSchema>; created: boolean }> {
  const input = parseOrThrow(leadInputSchema, body);
  const { lead, created } = await upsertLead(companyId, normaliseLeadInput(input));
  return {
    created,
    body: upsertResponseSchema.parse({
      ...toApiLead(lead),
      message: created ? "Lead created successfully" : "Lead updated successfully",
      status: "success",
    }),
  };
}

const LIST_PARAMS = Object.keys(listQuerySchema.shape);

export function parseListQuery(params: URLSearchParams): ListQuery {
  return parseOrThrow(listQuerySchema, queryObject(params, LIST_PARAMS));
}

/** A stable text for a filter and whose leads it shows: the part of a query its count depends on. */
function filterKey(scope: ListScope, query: ListQuery): string {
  return JSON.stringify([scope.memberId ?? null, query.archived, query.search, query.stage, query.tags]);
}

/** A stable text for a whole query, so equal queries share one cache entry. */
function queryKey(scope: ListScope, query: ListQuery): string {
  return JSON.stringify([filterKey(scope, query), query.limit, query.page]);
}

/**
 * The list envelope as JSON text, from the KV cache when fresh; `refresh` skips the cache and
 * stores the fresh result for the next reader.
 */
export async function leadListJson(
  scope: ListScope,
  query: ListQuery,
  options: { refresh?: boolean } = {},
): Promise<{ body: string; hit: boolean }> {
  return cachedLeadList(scope.companyId, queryKey(scope, query), options, async (version) => {
    // A search counts its matches on the way (lib/leads/list.ts), so only plain lists keep counts.
    const filter = filterKey(scope, query);
    const known = options.refresh || query.search ? null : await knownCount(scope.companyId, filter, version);
    const { rows, total } = await listLeads(scope, query, known);
    if (known === null && !query.search) await keepCount(scope.companyId, filter, version, total);
    const envelope = listResponseSchema.parse({
      data: rows.map(toApiLead),
      pagination: {
        has_more: query.page * query.limit < total,
        limit: query.limit,
        page: query.page,
        total,
      },
      status: "success",
    });
    return JSON.stringify(envelope);
  });
}

/** One lead of a company; another company's lead is as absent as a missing one. */
export async function getLeadBody(
  companyId: string,
  id: string,
): Promise<z.infer<typeof leadResponseSchema>> {
  return leadResponseSchema.parse({ data: await getLead(companyId, id), status: "success" });
}

async function getLead(companyId: string, id: string): Promise<ApiLead> {
  if (!z.guid().safeParse(id).success) throw errors.notFound();
  const db = await getDb();
  const [row] = await db
    .select()
    .from(leads)
    .where(and(eq(leads.id, id), eq(leads.companyId, companyId)))
    .limit(1);
  if (!row) throw errors.notFound();
  return toApiLead(row);
}
