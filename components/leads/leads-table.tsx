"use client";

import Link from "next/link";
import { useState } from "react";
import useSWR from "swr";
import { fetchJson, RequestFailed } from "@/components/admin/fetch-json";
import { Ago } from "@/components/ui/date-time";
import { displayPhone } from "@/components/ui/phone";
import type { ListResponse } from "@/lib/leads/schema";
import type { LeadCapabilities } from "@/lib/leads/store";
import type { Stage } from "@/lib/leads/pipeline";
import { BulkBar } from "./bulk-bar";
import { StageSelect } from "./stage-select";
import { LIST_KEYS } from "./list-keys";
import { useListQuery } from "./use-list-query";

export type ListBody = Pick<ListResponse, "data" | "pagination">;

const KEYS = LIST_KEYS;
const PAGE_SIZES = ["25", "50", "100", "200"];

/** `capabilities`: the lead store's; selecting rows and exporting are offered where it can do them. */
export function LeadsTable({
  stages,
  capabilities,
  first,
}: {
  stages: Stage[];
  capabilities: LeadCapabilities;
  /** The page as the server rendered it, for its query: the list arrives with the page, nothing moves. */
  first: { query: string; body: ListBody } | null;
}) {
  const { params, query: qs, update, term, search: onSearch, clearSearch, pathname } = useListQuery(KEYS);
  const rendered = first !== null && first.query === qs;
  const { data, error, isLoading, isValidating, mutate } = useSWR<ListBody>(
    `/api/admin/leads?${qs}`,
    (url: string) => fetchJson<ListBody>(url),
    { keepPreviousData: true, fallbackData: rendered ? first.body : undefined, revalidateOnMount: !rendered },
  );
  // A search that leaves archived leads out says how many of them match, rather than finding nothing.
  // (Not in front of Rotor, where every list costs a request of the day's quota.)
  const searching = params.get("search") && params.get("archived") !== "true" && !capabilities.requestQuota;
  const { data: withArchived } = useSWR<ListBody>(
    searching ? `/api/admin/leads?${qs}&archived=true&limit=1` : null,
    (url: string) => fetchJson<ListBody>(url),
  );
  const archivedMatches =
    withArchived && data?.pagination ? withArchived.pagination.total - data.pagination.total : 0;
  // Selected rows belong to the view they were picked in: another query (back, forward, a filter)
  // starts with none.
  const [selection, setSelection] = useState<{ view: string; ids: Set<string> }>({
    view: qs,
    ids: new Set(),
  });
  const selected = selection.view === qs ? selection.ids : new Set<string>();
  const setSelected = (next: Set<string> | ((current: Set<string>) => Set<string>)) =>
    setSelection((current) => {
      const base = current.view === qs ? current.ids : new Set<string>();
      return { view: qs, ids: typeof next === "function" ? next(base) : next };
    });
  const [refreshing, setRefreshing] = useState(false);

  async function refresh() {
    setRefreshing(true);
    try {
      await mutate(fetchJson<ListBody>(`/api/admin/leads?${qs ? `${qs}&` : ""}refresh=1`), {
        revalidate: false,
      });
    } finally {
      setRefreshing(false);
    }
  }

  const rows = data?.data ?? [];
  const now = new Date();
  const pagination = data?.pagination;
  const pages = pagination ? Math.max(1, Math.ceil(pagination.total / pagination.limit)) : 1;
  const allSelected = rows.length > 0 && rows.every((r) => selected.has(r.id));
  const toggle = (id: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <>
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
          onClick={refresh}
          disabled={refreshing}
          title="Read the leads again, skipping the cache"
        >
          {refreshing ? "Refreshing…" : "Refresh"}
        </button>
        {capabilities.export ? (
          <a className="button" href={`/api/admin/leads/export${qs ? `?${qs}` : ""}`} download>
            Export CSV
          </a>
        ) : null}
      </div>

      <p aria-live="polite" className="muted">
        {pagination
          ? `${pagination.total} ${pagination.total === 1 ? "lead" : "leads"}${isValidating ? " · updating…" : ""}`
          : isLoading
            ? "Loading leads…"
            : null}
      </p>
      {archivedMatches > 0 ? (
        <p className="notice">
          {archivedMatches} archived {archivedMatches === 1 ? "lead matches" : "leads match"} too.{" "}
          <button type="button" onClick={() => update({ archived: "true" })}>
            Show {archivedMatches === 1 ? "it" : "them"}
          </button>
        </p>
      ) : null}

      {capabilities.requestQuota ? (
        <p className="muted">
          These leads live in Rotor. Lists are kept for a few minutes to spare Rotor&apos;s daily quota:
          Refresh reads them again. Export and changes to many leads at once are done in Rotor.
        </p>
      ) : null}

      {selected.size > 0 && capabilities.bulk ? (
        <BulkBar
          ids={[...selected]}
          stages={stages}
          onDone={async () => {
            setSelected(new Set());
            await mutate();
          }}
        />
      ) : null}

      {error && !data ? (
        <div role="alert" className="card">
          <p className="form-error">
            The leads could not be loaded{error instanceof RequestFailed ? `: ${error.message}` : "."}
          </p>
          <button type="button" onClick={() => mutate()}>
            Try again
          </button>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data cards leads" aria-busy={isLoading || isValidating}>
            <thead>
              <tr>
                {capabilities.bulk ? (
                  <th scope="col">
                    <input
                      type="checkbox"
                      aria-label="Select every lead on this page"
                      checked={allSelected}
                      onChange={() => setSelected(allSelected ? new Set() : new Set(rows.map((r) => r.id)))}
                    />
                  </th>
                ) : null}
                <th scope="col">Name</th>
                <th scope="col">Phone</th>
                <th scope="col">Email</th>
                <th scope="col">Stage</th>
                <th scope="col">Tags</th>
                <th scope="col">Source</th>
                <th scope="col">Created</th>
                <th scope="col">Score</th>
              </tr>
            </thead>
            <tbody>
              {isLoading && !data ? (
                <tr>
                  <td colSpan={capabilities.bulk ? 9 : 8}>Loading leads…</td>
                </tr>
              ) : rows.length === 0 ? (
                <tr>
                  <td colSpan={capabilities.bulk ? 9 : 8}>
                    {qs ? (
                      <>
                        No leads match.{" "}
                        <Link href={pathname} onClick={clearSearch}>
                          Clear the filters
                        </Link>
                      </>
                    ) : (
                      <>
                        No leads yet. They arrive from your <Link href="/admin/forms">forms</Link> (share the
                        link or embed one on your site) and the API, or add one with{" "}
                        <Link href="/admin/leads/new">New lead</Link>.
                      </>
                    )}
                  </td>
                </tr>
              ) : (
                rows.map((lead) => (
                  <tr key={lead.id}>
                    {capabilities.bulk ? (
                      <td className="select">
                        <input
                          type="checkbox"
                          aria-label={`Select ${lead.name ?? lead.email ?? lead.phone ?? "lead"}`}
                          checked={selected.has(lead.id)}
                          onChange={() => toggle(lead.id)}
                        />
                      </td>
                    ) : null}
                    <td className="title">
                      <Link href={`/admin/leads/${lead.id}`}>{lead.name || "(no name)"}</Link>
                      {lead.archived ? <span className="muted"> · archived</span> : null}
                    </td>
                    <td data-label="Phone" style={{ whiteSpace: "nowrap" }}>
                      {lead.phone ? displayPhone(lead.phone) : null}
                    </td>
                    <td data-label="Email">{lead.email}</td>
                    <td data-label="Stage">{lead.stage}</td>
                    <td data-label="Tags">
                      {lead.tags.map((t) => (
                        <span className="tag" key={t}>
                          {t}
                        </span>
                      ))}
                    </td>
                    <td data-label="Source">{lead.source}</td>
                    <td data-label="Created" style={{ whiteSpace: "nowrap" }}>
                      <Ago value={lead.created_at} now={now} />
                    </td>
                    <td data-label="Score">{lead.value_score}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      )}

      {pagination ? (
        <nav className="pager" aria-label="Pages">
          <button
            type="button"
            disabled={pagination.page <= 1}
            onClick={() => update({ page: pagination.page - 1 > 1 ? String(pagination.page - 1) : null })}
          >
            Previous
          </button>
          <span>
            Page {pagination.page} of {pages}
          </span>
          <button
            type="button"
            disabled={!pagination.has_more}
            onClick={() => update({ page: String(pagination.page + 1) })}
          >
            Next
          </button>
        </nav>
      ) : null}
    </>
  );
}

/** Tags to filter by, comma-separated, applied on Enter or when the box loses focus. */
function TagFilter({ value, onChange }: { value: string; onChange: (tags: string) => void }) {
  const [text, setText] = useState(value);
  const [shown, setShown] = useState(value);
  if (value !== shown) {
    setShown(value);
    setText(value);
  }
  const apply = () => {
    if (text.trim() !== value) onChange(text.trim());
  };
  return (
    <div className="field">
      <label htmlFor="tags">Tags (any of)</label>
      <input
        id="tags"
        value={text}
        placeholder="e.g. roof, vip"
        onChange={(e) => setText(e.target.value)}
        onBlur={apply}
        onKeyDown={(e) => {
          if (e.key === "Enter") apply();
        }}
      />
    </div>
  );
}
