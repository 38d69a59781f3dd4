import { z } from "zod";
import type { SessionUser } from "@/lib/auth/users";
import { now } from "@/lib/clock";
import { localParts, zonedTime } from "@/lib/company/hours";
import { recentProfile } from "@/lib/company/profile";
import { queryObject } from "@/lib/http/body";
import { parseOrThrow } from "@/lib/validation";
import { LIST_KEYS, parseSort, type Sort, SORT_FIELDS } from "./list-keys";
import { firstOpenStage } from "./pipeline";
import { dueBy } from "./response";
import { type ListQuery, listQuerySchema } from "./schema";

export type { Sort };

/**
 * The admin list's query: the API's (listQuerySchema, whose contract stays as it is) plus what
 * staff triage with: an order, and the filters behind the built-in views.
 */

const SORTS = [...SORT_FIELDS, ...SORT_FIELDS.map((f) => `-${f}` as const)];

const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `Must be one of: ${values.join(", ")}` });

export const adminListQuerySchema = listQuerySchema.extend({
  // A column, ascending; with a leading "-", descending. None: -created, the newest first.
  sort: oneOf(SORTS as [string, ...string[]]).optional(),
  assigned: oneOf(["me"]).optional(),
  contacted: oneOf(["yes", "no"]).optional(),
  due: oneOf(["1"]).optional(),
  won: oneOf(["month"]).optional(),
});
export type AdminListParams = z.output<typeof adminListQuerySchema>;

/**
 * The admin-only part of a list's query, resolved for the user and the moment: "me" is a user's id,
 * "due" the end of today and "this month" its first instant, both in the company's time zone. The
 * cache key is made of these (lib/leads/query-key.ts), so one user's "Mine" is never another's and
 * yesterday's "Due" is not served today.
 */
export interface TriageFilters {
  /** Null: the newest first (the list's own index). */
  sort: Sort | null;
  /**
   * The stage asked for is the pipeline's first open one, which also holds the leads without a
   * stage (as on the board); any other stage is matched alone, through its index.
   */
  stageHoldsNone: boolean;
  assignedTo: string | null;
  /** Whether staff answered the lead yet (first_response_at); null: either. */
  contacted: boolean | null;
  dueBy: Date | null;
  wonSince: Date | null;
}

export type AdminListQuery = ListQuery & { triage: TriageFilters };

/** Whether a query asks for anything beyond the API's own filters. */
export const usesTriage = ({ sort, assignedTo, contacted, dueBy, wonSince }: TriageFilters): boolean =>
  sort !== null || assignedTo !== null || contacted !== null || dueBy !== null || wonSince !== null;

/** The first instant of the month `at` falls in, by the zone's clock. */
export function startOfLocalMonth(at: Date, timeZone: string): Date {
  return zonedTime(`${localParts(at, timeZone).date.slice(0, 8)}01`, 0, timeZone);
}

/** The admin list's query from an address's parameters (its own keys only), resolved for `user`. */
export async function parseAdminListQuery(
  user: SessionUser,
  params: URLSearchParams,
): Promise<AdminListQuery> {
  const { sort, assigned, contacted, due, won, ...query } = parseOrThrow(
    adminListQuerySchema,
    queryObject(params, LIST_KEYS),
  );
  const at = now();
  const [timeZone, first] = await Promise.all([
    due || won ? recentProfile(user.companyId).then((p) => p.timeZone) : "UTC",
    query.stage ? firstOpenStage(user.companyId) : null,
  ]);
  return {
    ...query,
    triage: {
      sort: parseSort(sort),
      stageHoldsNone: first !== null && first.toLowerCase() === query.stage?.toLowerCase(),
      assignedTo: assigned === "me" ? user.id : null,
      contacted: contacted === undefined ? null : contacted === "yes",
      dueBy: due ? dueBy(timeZone, at) : null,
      wonSince: won ? startOfLocalMonth(at, timeZone) : null,
    },
  };
}
