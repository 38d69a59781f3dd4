"use client";

import type { LeadCapabilities } from "@/lib/leads/store";
import type { Stage } from "@/lib/leads/pipeline";
import { DEFAULT_SORT, type ListKey } from "@/lib/leads/list-keys";
import { currentSort, SortSelect } from "./sort-header";
import { StageSelect } from "./stage-select";
import { TagFilter } from "./tag-filter";

const PAGE_SIZES = ["25", "50", "100", "200"];

/** The list's controls: search, stage, tags, page size, archived, the order on phones, refresh, export. */
export function ListToolbar({
  params,
  query,
  update,
  term,
  onSearch,
  stages,
  capabilities,
  refreshing,
  onRefresh,
}: {
  params: URLSearchParams;
  query: string;
  update: (changes: Partial<Record<ListKey, string | null>>) => void;
  term: string;
  onSearch: (value: string) => void;
  stages: Stage[];
  capabilities: LeadCapabilities;
  refreshing: boolean;
  onRefresh: () => void;
}) {
  return (
    <div className="toolbar" role="search">
      <div className="field">
        <label htmlFor="search">Search</label>
        <input
          id="search"
          type="search"
          placeholder="Name, email or phone"
          value={term}
          onChange={(e) => onSearch(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="stage">Stage</label>
        <StageSelect
          id="stage"
          stages={stages}
          empty="Any"
          value={params.get("stage") ?? ""}
          onChange={(e) => update({ stage: e.target.value || null })}
        />
      </div>
      <TagFilter value={params.get("tags") ?? ""} onChange={(tags) => update({ tags: tags || null })} />
      {capabilities.triage ? (
        <SortSelect
          current={currentSort(params.get("sort"))}
          onSort={(sort) => update({ sort: sort === DEFAULT_SORT ? null : sort })}
        />
      ) : null}
      <div className="field">
        <label htmlFor="limit">Per page</label>
        <select
          id="limit"
          value={params.get("limit") ?? "50"}
          onChange={(e) => update({ limit: e.target.value === "50" ? null : e.target.value })}
        >
          {PAGE_SIZES.map((size) => (
            <option key={size}>{size}</option>
          ))}
        </select>
      </div>
      <label style={{ display: "flex", gap: "0.35rem", alignItems: "center", paddingBottom: "0.45rem" }}>
        <input
          type="checkbox"
          checked={params.get("archived") === "true"}
          onChange={(e) => update({ archived: e.target.checked ? "true" : null })}
        />
        Include archived
      </label>
      <button
        type="button"
        onClick={onRefresh}
        disabled={refreshing}
        title="Read the leads again, skipping the cache"
      >
        {refreshing ? "Refreshing…" : "Refresh"}
      </button>
      {capabilities.export ? (
        <a className="button" href={`/api/admin/leads/export${query ? `?${query}` : ""}`} download>
          Export CSV
        </a>
      ) : null}
    </div>
  );
}
