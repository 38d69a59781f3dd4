import type { ListQuery, ListScope } from "./list";

/** A stable text for a filter and whose leads it shows: the part of a query its count depends on. */
export function filterKey(scope: ListScope, query: ListQuery): string {
  return JSON.stringify([scope.memberId ?? null, query.archived, query.search, query.stage, query.tags]);
}

/** A stable text for a whole query, so equal queries share one cache entry. */
export function queryKey(scope: ListScope, query: ListQuery): string {
  return JSON.stringify([filterKey(scope, query), query.limit, query.page]);
}
