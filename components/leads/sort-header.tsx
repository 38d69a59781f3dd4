"use client";

import { parseSort, type Sort, type SortField, sortParam } from "@/lib/leads/list-keys";

/** Numbers and dates of arrival read best the largest or newest first; names and stages in order. */
const FIRST_DESCENDING: readonly SortField[] = ["created", "value", "score"];

/** The newest first unless the address says otherwise. */
export const currentSort = (param: string | null): Sort =>
  parseSort(param) ?? { field: "created", descending: true };

/** A column's header pressed: the same column turns the other way, another starts its own way. */
function nextSort(field: SortField, current: Sort): string {
  const descending = current.field === field ? !current.descending : FIRST_DESCENDING.includes(field);
  return sortParam({ field, descending });
}

/**
 * A column header that sorts the list: a button, with `aria-sort` on the column in effect.
 * `onSort` gets the new sort parameter ("-created", the default, included).
 */
export function SortHeader({
  field,
  label,
  current,
  onSort,
}: {
  field: SortField;
  label: string;
  current: Sort;
  onSort: (sort: string) => void;
}) {
  const active = current.field === field;
  const direction = current.descending ? "descending" : "ascending";
  return (
    <th scope="col" className="sortable" aria-sort={active ? direction : undefined}>
      <button type="button" onClick={() => onSort(nextSort(field, current))}>
        {label}
        <span className="sort-arrow" aria-hidden="true">
          {active ? (current.descending ? "▼" : "▲") : "↕"}
        </span>
      </button>
    </th>
  );
}

const SORT_OPTIONS: [string, string][] = [
  ["-created", "Newest first"],
  ["created", "Oldest first"],
  ["name", "Name, A to Z"],
  ["-name", "Name, Z to A"],
  ["stage", "Stage, pipeline order"],
  ["-stage", "Stage, last first"],
  ["-value", "Value, highest first"],
  ["value", "Value, lowest first"],
  ["-score", "Score, highest first"],
  ["score", "Score, lowest first"],
  ["follow-up", "Follow-up, soonest first"],
  ["-follow-up", "Follow-up, latest first"],
];

/** The same choice where the table is cards and has no headers to press (phones). */
export function SortSelect({ current, onSort }: { current: Sort; onSort: (sort: string) => void }) {
  return (
    <div className="field sort-by">
      <label htmlFor="sort">Sort by</label>
      <select id="sort" value={sortParam(current)} onChange={(e) => onSort(e.target.value)}>
        {SORT_OPTIONS.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </div>
  );
}
