"use client";

import Link from "next/link";
import { useState } from "react";
import useSWR from "swr";
import { fetchJson, RequestFailed } from "@/components/admin/fetch-json";
import type { AdminListResponse } from "@/lib/leads/admin-list";
import { DEFAULT_SORT } from "@/lib/leads/list-keys";
import type { LeadCapabilities } from "@/lib/leads/store";
import type { Stage } from "@/lib/leads/pipeline";
import type { View } from "@/lib/leads/views";
import { BulkBar } from "./bulk-bar";
import { FilterChips } from "./filter-chips";
import { LeadsGrid } from "./leads-grid";
import { ListToolbar } from "./list-toolbar";
import { LIST_KEYS } from "./list-keys";
import { currentSort } from "./sort-header";
import { useListQuery } from "./use-list-query";
import { ViewsBar } from "./views-bar";

export type ListBody = Pick<AdminListResponse, "data" | "pagination" | "marks">;

/**
 * The admin's leads list. `capabilities`: the lead store's; selecting rows, exporting, sorting and
 * the triage views and marks are offered where it can do them.
 */
export function LeadsTable({
  stages,
  capabilities,
  first,
  views,
}: {
  stages: Stage[];
  capabilities: LeadCapabilities;
  /** The page as the server rendered it, for its query: the list arrives with the page, nothing moves. */
  first: { query: string; body: ListBody } | null;
  views: { builtIn: View[]; saved: View[] };
}) {
  const list = useListQuery(LIST_KEYS);
  const { params, query: qs, update, pathname } = list;
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
  const marks = data?.marks ?? {};
  const marked = rows.filter((r) => marks[r.id]).map((r) => r.id);
  const [markFailed, setMarkFailed] = useState(false);
  async function markAllRead() {
    setMarkFailed(false);
    try {
      await fetchJson("/api/admin/leads", { method: "PATCH", body: { read: marked } });
      await mutate(data && { ...data, marks: {} }, { revalidate: false });
    } catch {
      setMarkFailed(true);
    }
  }

  const pagination = data?.pagination;
  const pages = pagination ? Math.max(1, Math.ceil(pagination.total / pagination.limit)) : 1;
  const sort = currentSort(params.get("sort"));
  const sortBy = (next: string) => update({ sort: next === DEFAULT_SORT ? null : next });

  return (
    <>
      <ViewsBar {...views} query={qs} pathname={pathname} onOpen={list.cancelSearch} />
      <ListToolbar
        params={params}
        query={qs}
        update={update}
        term={list.term}
        onSearch={list.search}
        stages={stages}
        capabilities={capabilities}
        refreshing={refreshing}
        onRefresh={refresh}
      />
      <FilterChips params={params} onRemove={(key) => update({ [key]: null })} />

      <div className="list-status">
        <p aria-live="polite" className="muted">
          {pagination
            ? `${pagination.total} ${pagination.total === 1 ? "lead" : "leads"}${isValidating ? " · updating…" : ""}`
            : isLoading
              ? "Loading leads…"
              : null}
          {marked.length > 0 ? ` · ${marked.length} new or updated on this page` : null}
          {markFailed ? " · They could not be marked read; try again." : null}
        </p>
        {marked.length > 0 ? (
          <button type="button" onClick={markAllRead}>
            Mark all on this page as read
          </button>
        ) : null}
      </div>
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
          Refresh reads them again. Export, sorting and changes to many leads at once are done in Rotor.
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
        <LeadsGrid
          rows={rows}
          marks={marks}
          loading={isLoading && !data}
          busy={isLoading || isValidating}
          capabilities={capabilities}
          sort={sort}
          onSort={sortBy}
          selected={selected}
          onSelect={setSelected}
          empty={
            qs ? (
              <>
                No leads match.{" "}
                <Link href={pathname} onClick={list.clearSearch}>
                  Clear the filters
                </Link>
              </>
            ) : (
              <>
                No leads yet. They arrive from your <Link href="/admin/forms">forms</Link> (share the link or
                embed one on your site) and the API, or add one with{" "}
                <Link href="/admin/leads/new">New lead</Link>.
              </>
            )
          }
        />
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
