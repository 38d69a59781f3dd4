import type { AdminListQuery } from "./admin-query";
import type { ListQuery, ListScope } from "./list";

/**
 * The admin's filters, resolved (a user's id for "me", instants for "due" and "this month"). An
 * admin list reads a stage as the pipeline does, so its key is never an API list's, even without
 * any of them.
 */
function triageKey(query: ListQuery | AdminListQuery): unknown[] {
  if (!("triage" in query)) return [];
  const { stageHoldsNone, assignedTo, contacted, dueBy, wonSince } = query.triage;
  return [
    "admin",
    stageHoldsNone,
    assignedTo,
    contacted,
    dueBy?.toISOString() ?? null,
    wonSince?.toISOString() ?? null,
  ];
}

/** A stable text for a filter and whose leads it shows: the part of a query its count depends on. */
export function filterKey(scope: ListScope, query: ListQuery | AdminListQuery): string {
  return JSON.stringify([
    scope.memberId ?? null,
    query.archived,
    query.search,
    query.stage,
    query.tags,
    ...triageKey(query),
  ]);
}

/** A stable text for a whole query, so equal queries share one cache entry. */
export function queryKey(scope: ListScope, query: ListQuery | AdminListQuery): string {
  const sort = "triage" in query && query.triage.sort ? [query.triage.sort] : [];
  return JSON.stringify([filterKey(scope, query), query.limit, query.page, ...sort]);
}
