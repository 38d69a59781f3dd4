import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { leads } from "@/lib/db/schema";
import { fail } from "@/lib/errors";
import { cachedLeadRead, keepCount, knownCount } from "../cache";
import { listLeads } from "../list";
import { normaliseLeadInput } from "../normalise";
import { filterKey, queryKey } from "../query-key";
import { listResponseSchema } from "../schema";
import { toApiLead } from "../serialize";
import { upsertLead } from "../upsert";
import type { LeadStore } from "./types";

/** The leads in this portal's own database (PGlite or PostgreSQL). */
export const localStore: LeadStore = {
  kind: "local",

  async upsert(companyId, input) {
    const { lead, created } = await upsertLead(companyId, normaliseLeadInput(input));
    return { lead: toApiLead(lead), created };
  },

  listJson(scope, query, options = {}) {
    return cachedLeadRead(scope.companyId, queryKey(scope, query), options, async (version) => {
      // A search counts its matches on the way (lib/leads/list.ts), so only plain lists keep counts.
      const filter = filterKey(scope, query);
      const known =
        options.refresh || query.search ? null : await knownCount(scope.companyId, filter, version);
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
  },

  async get(companyId, id) {
    if (!z.guid().safeParse(id).success) throw fail.notFound();
    const db = await getDb();
    const [row] = await db
      .select()
      .from(leads)
      .where(and(eq(leads.id, id), eq(leads.companyId, companyId)))
      .limit(1);
    if (!row) throw fail.notFound();
    return toApiLead(row);
  },
};
