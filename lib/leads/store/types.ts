import type { ListQuery, ListScope } from "../list";
import type { ApiLead, LeadInput } from "../schema";

/**
 * Where leads live: this portal's database, or a Rotor account (upstream mode). The API, the
 * intake and the admin reach leads only through this port, so they never know which one runs.
 */
export interface LeadStore {
  readonly kind: "local" | "rotor";
  /** The contract's upsert of a validated body: by id, else phone, else email; tags merged. */
  upsert(companyId: string, input: LeadInput): Promise<{ lead: ApiLead; created: boolean }>;
  /** The list envelope as JSON text, from the KV cache when fresh (`hit`); `refresh` skips it. */
  listJson(
    scope: ListScope,
    query: ListQuery,
    options?: ListOptions,
  ): Promise<{ body: string; hit: boolean }>;
  /** One lead of the company; another company's, or a missing one, is the contract's 404. */
  get(companyId: string, id: string): Promise<ApiLead>;
}

export interface ListOptions {
  /** Skip the cache, and store the fresh result for the next reader. */
  refresh?: boolean;
  /**
   * The company's lists version as the request already read it from KV (with its daily count):
   * saves reading it again. Absent: read when needed.
   */
  listsVersion?: string | null;
}
