import { z } from "zod";
import { fail } from "@/lib/errors";
import { rotorClient } from "@/lib/rotor/upstream";
import { queueLeadEvent } from "@/lib/outbox/queue";
import { type AdminLead, adminLeadSchema, type LeadCreate, type LeadEdit } from "../admin";
import { usesTriage } from "../admin-query";
import { cachedLeadRead, invalidateLeadLists } from "../cache";
import { queryKey } from "../query-key";
import { type ApiLead, type LeadInput, leadResponseSchema, listResponseSchema } from "../schema";
import { rotorBody } from "./rotor-body";
import { submitToRotor } from "./rotor-submit";
import type { LeadStore } from "./types";

/** Rotor's API does not list the stages in use: the stage filter offers the usual ones. */

/** A lead from Rotor, in the admin's shape: Rotor says neither who created it nor when it changed. */
const fromRotor = (lead: ApiLead): AdminLead =>
  adminLeadSchema.parse({ ...lead, created_by: null, updated_at: null, first_response_at: null });

/**
 * Upstream mode: the leads live in a Rotor account. Every company of the portal sees that one
 * account. Lists and single leads are kept in the KV cache like local lists, so that staff paging
 * back and forth spend Rotor's daily quota once per page; every write through the portal makes them
 * stale. Rotor's API has one write, its upsert: staff's changes go through it, given tags are added
 * (it cannot take any away), and what it cannot do at all (archive, assign, change many leads,
 * export, count) is refused.
 */
export const rotorStore: LeadStore = {
  capabilities: {
    archive: false,
    assign: false,
    replaceTags: false,
    bulk: false,
    export: false,
    stats: false,
    newLeadDefaults: false,
    queuedSubmissions: true,
    requestQuota: true,
    history: false,
    merge: false,
    triage: false,
  },

  async upsert(companyId, input) {
    const result = await rotorClient().upsertLead(rotorBody(input));
    await Promise.all([
      invalidateLeadLists(companyId),
      queueLeadEvent(companyId, result.lead, result.created),
    ]);
    return result;
  },

  listJson(scope, query, options = {}) {
    if ("triage" in query && usesTriage(query.triage)) throw fail.notUpstream("Sorting and these filters");
    // Rotor has no per-user assignment through its API: every member of staff sees the account's list.
    return cachedLeadRead(
      scope.companyId,
      queryKey({ companyId: scope.companyId }, query),
      options,
      async () => {
        const { search, stage, tags, archived, limit, page } = query;
        const envelope = await rotorClient().listLeads({
          ...(search ? { search } : {}),
          ...(stage ? { stage } : {}),
          ...(tags ? { tags } : {}),
          ...(archived ? { archived } : {}),
          limit,
          page,
        });
        return JSON.stringify(listResponseSchema.parse(envelope));
      },
    );
  },

  async get(companyId, id) {
    // As the local store: what is not a lead id is no lead, and costs Rotor nothing.
    if (!z.guid().safeParse(id).success) throw fail.notFound();
    const { body } = await cachedLeadRead(companyId, JSON.stringify(["lead", id]), {}, async () =>
      JSON.stringify(leadResponseSchema.parse({ data: await rotorClient().getLead(id), status: "success" })),
    );
    return leadResponseSchema.parse(JSON.parse(body)).data;
  },

  submit: submitToRotor,

  async getForStaff(user, id) {
    return fromRotor(await rotorStore.get(user.companyId, id));
  },

  create(user, input) {
    // Nothing to clear on a lead being typed in: null is taken as "not given".
    const given = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null));
    return upsertFromStaff(user.companyId, given);
  },

  async update(user, id, input) {
    return (await upsertFromStaff(user.companyId, input, id)).lead;
  },

  async bulk() {
    throw fail.notUpstream("Changing many leads at once");
  },

  export() {
    throw fail.notUpstream("Exporting");
  },

  async stats() {
    throw fail.notUpstream("Counting leads");
  },
};

/**
 * Staff's changes through Rotor's upsert, which can neither archive nor assign (an assignee of
 * null, nobody, changes nothing there and passes); given tags are added to the lead's.
 */
async function upsertFromStaff(
  companyId: string,
  input: LeadCreate & Pick<LeadEdit, "archived">,
  id?: string,
): Promise<{ created: boolean; lead: AdminLead }> {
  if (input.archived !== undefined) throw fail.notUpstream("Archiving");
  if (input.assigned_to !== undefined && input.assigned_to !== null)
    throw fail.notUpstream("Assigning leads");
  const fields: LeadInput = { ...input };
  delete (fields as { assigned_to?: unknown }).assigned_to;
  delete (fields as { archived?: unknown }).archived;
  const { lead, created } = await rotorStore.upsert(companyId, id ? { ...fields, id } : fields);
  return { created, lead: fromRotor(lead) };
}
