import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { leads } from "@/lib/db/schema";
import { fail } from "@/lib/errors";
import { toAdminLead } from "../admin";
import { bulkUpdate } from "../bulk-update";
import { cachedLeadRead, keepCount, knownCount } from "../cache";
import { createLead } from "../create-lead";
import { exportCsv } from "../export";
import { listLeads } from "../list";
import { normaliseLeadInput } from "../normalise";
import { filterKey, queryKey } from "../query-key";
import { listResponseSchema } from "../schema";
import { markRead } from "../reads";
import { toApiLead } from "../serialize";
import { leadStats } from "../stats";
import { listTriagedLeads } from "../triage-list";
import { updateLead } from "../update-lead";
import { upsertLead } from "../upsert";
import { visibleLead } from "../visible-lead";
import type { LeadStore } from "./types";

/** The leads in this portal's own database (PGlite or PostgreSQL): every operation is possible. */
export const localStore: LeadStore = {
  capabilities: {
    archive: true,
    assign: true,
    replaceTags: true,
    bulk: true,
    export: true,
    stats: true,
    newLeadDefaults: true,
    queuedSubmissions: false,
    requestQuota: false,
    history: true,
    merge: true,
    triage: true,
  },

  async upsert(companyId, input, actor) {
    const { lead, created } = await upsertLead(companyId, normaliseLeadInput(input), {}, { actor });
    return { lead: toApiLead(lead), created };
  },

  listJson(scope, query, options = {}) {
    return cachedLeadRead(scope.companyId, queryKey(scope, query), options, async (version) => {
      // A search counts its matches on the way (lib/leads/list.ts), so only plain lists keep counts.
      const filter = filterKey(scope, query);
      const known =
        options.refresh || query.search ? null : await knownCount(scope.companyId, filter, version);
      const { rows, total } =
        "triage" in query
          ? await listTriagedLeads(scope, query, known)
          : await listLeads(scope, query, known);
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

  async submit(companyId, { input, tags, defaults, record }) {
    const changes = normaliseLeadInput(input);
    changes.tags = [...changes.tags, ...tags];
    await upsertLead(companyId, changes, defaults, { actor: { kind: "submission" }, submission: record });
    return { queued: false };
  },

  async getForStaff(user, id) {
    return toAdminLead(await visibleLead(user, id));
  },
  // Each write marks the lead read for its author: their own edits and board moves never show to
  // them as changes since they last looked.
  async create(user, input) {
    const outcome = await createLead(user, input);
    await markRead(user.id, [outcome.lead.id]);
    return outcome;
  },
  async update(user, id, input) {
    const lead = await updateLead(user, id, input);
    await markRead(user.id, [lead.id]);
    return lead;
  },
  async bulk(user, input) {
    const outcome = await bulkUpdate(user, input);
    if (outcome.updated > 0) await markRead(user.id, input.ids);
    return outcome;
  },
  export: exportCsv,
  stats: leadStats,
};
