import type { z } from "zod";
import { queryObject } from "@/lib/http/body";
import { parseOrThrow } from "@/lib/validation";
import type { ListQuery, ListScope } from "./list";
import {
  type LeadInput,
  leadResponseSchema,
  listQuerySchema,
  upsertResponseSchema,
  writeOnlyUpsertResponseSchema,
} from "./schema";
import { leadStore } from "./store";
import type { ListOptions } from "./store/types";

export type WriteOnlyUpsertResponse = z.infer<typeof writeOnlyUpsertResponseSchema>;

/**
 * Upserts a lead as the API's caller sent it; the response body is the contract's. A caller that may
 * not read leads (`canRead` false) gets back the lead's id, the outcome and the fields it sent
 * itself, never what was stored: a write-only key must not read a lead by sending its phone.
 */
export async function upsertForApi(
  companyId: string,
  input: LeadInput,
  options: { canRead: boolean; keyId: string | null },
): Promise<{ body: z.infer<typeof upsertResponseSchema> | WriteOnlyUpsertResponse; created: boolean }> {
  const actor = { kind: "api", keyId: options.keyId } as const;
  const { lead, created } = await (await leadStore(companyId)).upsert(companyId, input, actor);
  const outcome = {
    message: created ? "Lead created successfully" : "Lead updated successfully",
    status: "success",
  } as const;
  if (!options.canRead) {
    // An empty string means "not given" (lib/leads/schema.ts), so it is not echoed either.
    const sent = Object.fromEntries(
      Object.entries(input).filter(([, value]) => value !== undefined && value !== ""),
    );
    return { created, body: { ...sent, id: lead.id, ...outcome } };
  }
  // Both stores give exactly the API's lead (lib/leads/serialize.ts builds it key by key; Rotor's
  // answer is parsed by its schema), so the envelope needs no second pass through zod.
  return { created, body: { ...lead, ...outcome } };
}

const LIST_PARAMS = Object.keys(listQuerySchema.shape);

export function parseListQuery(params: URLSearchParams): ListQuery {
  return parseOrThrow(listQuerySchema, queryObject(params, LIST_PARAMS));
}

export { listsVersionKey } from "./cache";

/**
 * The list envelope as JSON text, from the KV cache when fresh; `refresh` skips the cache and
 * stores the fresh result for the next reader.
 */
export async function leadListJson(
  scope: ListScope,
  query: ListQuery,
  options: ListOptions = {},
): Promise<{ body: string; hit: boolean }> {
  return (await leadStore(scope.companyId)).listJson(scope, query, options);
}

/** One lead of a company; another company's lead is as absent as a missing one. */
export async function getLeadBody(
  companyId: string,
  id: string,
): Promise<z.infer<typeof leadResponseSchema>> {
  const store = await leadStore(companyId);
  return leadResponseSchema.parse({ data: await store.get(companyId, id), status: "success" });
}
