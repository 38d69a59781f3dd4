import type { SessionUser } from "@/lib/auth/users";
import type { AdminLead, BulkChange, LeadCreate, LeadEdit } from "../admin";
import type { AdminListQuery } from "../admin-query";
import type { ListQuery, ListScope } from "../list";
import type { Actor } from "../actor";
import type { ApiLead, LeadInput } from "../schema";
import type { LeadStats } from "../stats";

/**
 * Where leads live: this portal's database, or a Rotor account (upstream mode). The API, the
 * intake and the admin reach leads only through this port, so they never know which one runs; what
 * an adapter cannot do it refuses with the domain's `fail.notUpstream`, and says so beforehand in
 * its `capabilities`, which pages read to offer only what works.
 */
export interface LeadStore {
  readonly capabilities: LeadCapabilities;

  /** The contract's upsert of a validated body: by id, else phone, else email; tags merged. */
  upsert(companyId: string, input: LeadInput, actor?: Actor): Promise<{ lead: ApiLead; created: boolean }>;
  /**
   * The list envelope as JSON text, from the KV cache when fresh (`hit`); `refresh` skips it. An
   * admin list's sort and filters (`triage`) only where `capabilities.triage`.
   */
  listJson(
    scope: ListScope,
    query: ListQuery | AdminListQuery,
    options?: ListOptions,
  ): Promise<{ body: string; hit: boolean }>;
  /** One lead of the company; another company's, or a missing one, is the contract's 404. */
  get(companyId: string, id: string): Promise<ApiLead>;

  /**
   * A form's submission, validated, kept with its record: a new person's lead is made as the API
   * would, with the form's and the visit's tags and the form's defaults; a known person's lead is
   * only filled where empty, differing values proposed to staff. `queued` while it waits for the
   * store to take it.
   */
  submit(companyId: string, submission: Submission): Promise<{ queued: boolean }>;

  /** One lead as staff see it; one the user may not see is as absent as a missing one. */
  getForStaff(user: SessionUser, id: string): Promise<AdminLead>;
  /** A lead typed in by staff: the lead its phone or email matches is updated instead. */
  create(user: SessionUser, input: LeadCreate): Promise<{ created: boolean; lead: AdminLead }>;
  /**
   * The lead page's changes: fields, tags (replaced where `replaceTags`, else added), archiving
   * (`archive`) and the assignee (`assign`), in one write.
   */
  update(user: SessionUser, id: string, input: LeadEdit): Promise<AdminLead>;
  /** One action on the selected leads the user may see (`bulk`); how many changed. */
  bulk(user: SessionUser, input: BulkChange): Promise<{ updated: number }>;
  /** Every lead of a filter, all pages, as a stream of CSV (`export`). */
  export(scope: ListScope, query: ListQuery | AdminListQuery): ReadableStream<Uint8Array>;
  /** The dashboard's figures (`stats`). */
  stats(scope: ListScope): Promise<LeadStats>;
}

/** What an adapter can do, beyond what every adapter does (the API's upsert, lists, one lead). */
export interface LeadCapabilities {
  /** Archive and unarchive a lead. */
  archive: boolean;
  /** Assign a lead to a member of staff (who then sees it). */
  assign: boolean;
  /** The lead page's tags replace the lead's; without it they are added to them. */
  replaceTags: boolean;
  /** Change many selected leads at once. */
  bulk: boolean;
  /** Export a filtered list as CSV. */
  export: boolean;
  /** Count leads per day, stage and source for the dashboard. */
  stats: boolean;
  /** The stage and source staff type in are a new lead's only; without it they replace the matched lead's. */
  newLeadDefaults: boolean;
  /** Form submissions wait in the outbox until the store takes them, as the deliveries log shows. */
  queuedSubmissions: boolean;
  /** Every read and write spends a daily request quota, which staff see on every page. */
  requestQuota: boolean;
  /**
   * Each lead's history (submissions, writes with what they replaced, notes) and the changes
   * submissions proposed, on the lead page. Rotor's leads have theirs in Rotor.
   */
  history: boolean;
  /** Suggest leads that are probably one person, and merge two into one (with an undo for a day). */
  merge: boolean;
  /**
   * The admin list's triage: sorting by any column, the filters of the built-in views (new and not
   * contacted, due, mine, won this month) and the marks on leads new or changed since a user last
   * looked. Rotor's API can do none of it; saved views still keep its own filters there.
   */
  triage: boolean;
}

/** A form's submission, as the intake hands it to the store. */
export interface Submission {
  /** The visitor's fields, valid by the form's rules and the API's. */
  input: LeadInput;
  /** The form's tags and the visit's (UTM), added to the lead's. */
  tags: string[];
  /** What a new lead takes where the visitor gave nothing: the form's source (with the visit) and stage. */
  defaults: { source: string | null; stage: string | null };
  /** The submission's row, in the submissions table's column names (lib/forms/submission-record.ts). */
  record: { id: string } & Record<string, unknown>;
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
