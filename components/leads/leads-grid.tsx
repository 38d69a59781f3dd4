"use client";

import type { ReactNode } from "react";
import type { Sort, SortField } from "@/lib/leads/list-keys";
import type { Mark } from "@/lib/leads/reads";
import type { ApiLead } from "@/lib/leads/schema";
import type { LeadCapabilities } from "@/lib/leads/store";
import { LeadRow } from "./lead-row";
import { SortHeader } from "./sort-header";

/** The table's columns after the checkbox; those with a field sort by it where the store can. */
const COLUMNS: [label: string, sort?: SortField][] = [
  ["Name", "name"],
  ["Phone"],
  ["Email"],
  ["Stage", "stage"],
  ["Value", "value"],
  ["Follow-up", "follow-up"],
  ["Tags"],
  ["Source"],
  ["Created", "created"],
  ["Score", "score"],
];

/** The page of leads as a table (cards on a phone), its headers sorting it, its rows selectable. */
export function LeadsGrid({
  rows,
  marks,
  loading,
  busy,
  capabilities,
  sort,
  onSort,
  selected,
  onSelect,
  empty,
}: {
  rows: ApiLead[];
  marks: Record<string, Mark>;
  /** Nothing to show yet. */
  loading: boolean;
  /** A page is on its way (the one shown may be the previous query's). */
  busy: boolean;
  capabilities: LeadCapabilities;
  sort: Sort;
  onSort: (sort: string) => void;
  selected: Set<string>;
  onSelect: (next: Set<string> | ((current: Set<string>) => Set<string>)) => void;
  /** What an empty page says. */
  empty: ReactNode;
}) {
  const columns = COLUMNS.length + (capabilities.bulk ? 1 : 0);
  const allSelected = rows.length > 0 && rows.every((r) => selected.has(r.id));
  const now = new Date();
  return (
    <div className="table-wrap">
      <table className="data cards leads" aria-busy={busy}>
        <thead>
          <tr>
            {capabilities.bulk ? (
              <th scope="col">
                <input
                  type="checkbox"
                  aria-label="Select every lead on this page"
                  checked={allSelected}
                  onChange={() => onSelect(allSelected ? new Set() : new Set(rows.map((r) => r.id)))}
                />
              </th>
            ) : null}
            {COLUMNS.map(([label, field]) =>
              field && capabilities.triage ? (
                <SortHeader key={label} field={field} label={label} current={sort} onSort={onSort} />
              ) : (
                <th key={label} scope="col">
                  {label}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>
          {loading ? (
            <tr>
              <td colSpan={columns}>Loading leads…</td>
            </tr>
          ) : rows.length === 0 ? (
            <tr>
              <td colSpan={columns}>{empty}</td>
            </tr>
          ) : (
            rows.map((lead) => (
              <LeadRow
                key={lead.id}
                lead={lead}
                mark={marks[lead.id]}
                now={now}
                selectable={capabilities.bulk}
                selected={selected.has(lead.id)}
                onToggle={() =>
                  onSelect((current) => {
                    const next = new Set(current);
                    if (next.has(lead.id)) next.delete(lead.id);
                    else next.add(lead.id);
                    return next;
                  })
                }
              />
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
