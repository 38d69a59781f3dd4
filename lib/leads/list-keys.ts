/**
 * The admin leads list's query keys, shared by the browser (components/leads) and the server (the
 * saved views, the list's first page). No imports: the list's client bundle takes this file whole.
 */

/** The list's state lives in the URL: these keys, nothing else, in this order. */
export const LIST_KEYS = [
  "search",
  "stage",
  "tags",
  "assigned",
  "contacted",
  "due",
  "won",
  "archived",
  "sort",
  "limit",
  "page",
] as const;
export type ListKey = (typeof LIST_KEYS)[number];

/** What only a store with `triage` can do (this portal's database; not Rotor's API). */
export const TRIAGE_KEYS = ["assigned", "contacted", "due", "won", "sort"] as const;

/** The columns a list sorts by; `-name` is the same column the other way. */
export const SORT_FIELDS = ["created", "name", "stage", "value", "score", "follow-up"] as const;
export type SortField = (typeof SORT_FIELDS)[number];

/** The list's order when no sort is given: the newest first. */
export const DEFAULT_SORT = "-created";

export interface Sort {
  field: SortField;
  descending: boolean;
}

/** A sort parameter already checked against SORT_FIELDS; null for the default order. */
export function parseSort(value: string | null | undefined): Sort | null {
  if (!value || value === DEFAULT_SORT) return null;
  const descending = value.startsWith("-");
  return { field: (descending ? value.slice(1) : value) as SortField, descending };
}

export const sortParam = ({ field, descending }: Sort): string => `${descending ? "-" : ""}${field}`;

/** The list's own query string from any parameters: its keys only, in their order. */
export function listQueryString(get: (key: string) => string | null | undefined): string {
  const query = new URLSearchParams();
  for (const key of LIST_KEYS) {
    const value = get(key);
    // The default order is no order at all: one list, one address, one cache entry.
    if (value && !(key === "sort" && value === DEFAULT_SORT)) query.set(key, value);
  }
  return query.toString();
}

/**
 * What a view keeps of a list's query: its filters and order. Not the page (a view opens at its
 * start) nor the page size (each reader keeps their own).
 */
export function viewQueryString(query: string): string {
  const params = new URLSearchParams(query);
  return listQueryString((key) => (key === "page" || key === "limit" ? null : params.get(key)));
}
