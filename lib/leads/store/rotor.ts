import { z } from "zod";
import { fail } from "@/lib/errors";
import { rotorClient } from "@/lib/rotor/upstream";
import { queueLeadEvent } from "@/lib/outbox/queue";
import { cachedLeadRead, invalidateLeadLists } from "../cache";
import { toE164 } from "../phone";
import { type LeadInput, leadResponseSchema, listResponseSchema } from "../schema";
import { queryKey } from "./local";
import type { LeadStore } from "./types";

/**
 * A validated body as Rotor takes it: empty strings left out (they mean "not given"), the phone in
 * E.164 so that every spelling of one number matches the same lead there.
 */
export function rotorBody(input: LeadInput): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined || value === "") continue;
    body[name] = name === "phone" && typeof value === "string" ? (toE164(value) ?? value) : value;
  }
  return body;
}

/**
 * Upstream mode: the leads live in a Rotor account. Every company of the portal sees that one
 * account. Lists and single leads are kept in the KV cache like local lists, so that staff paging
 * back and forth spend Rotor's daily quota once per page; every write through the portal makes them
 * stale.
 */
export const rotorStore: LeadStore = {
  kind: "rotor",

  async upsert(companyId, input) {
    const result = await rotorClient().upsertLead(rotorBody(input));
    await Promise.all([
      invalidateLeadLists(companyId),
      queueLeadEvent(companyId, result.lead, result.created),
    ]);
    return result;
  },

  listJson(scope, query, options = {}) {
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
};
