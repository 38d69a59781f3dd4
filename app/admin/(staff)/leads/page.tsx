import Link from "next/link";
import { Suspense } from "react";
import { listQueryString } from "@/components/leads/list-keys";
import { LeadsTable } from "@/components/leads/leads-table";
import type { SessionUser } from "@/lib/auth/users";
import { adminLeadList } from "@/lib/leads/admin-list";
import { adminPage } from "@/lib/auth/admin-page";
import { pipeline } from "@/lib/leads/pipeline";
import { leadStore } from "@/lib/leads/store";
import { builtInViews, listViews } from "@/lib/leads/views";

type Search = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** The list's first page for the address's query, rendered with the page (a bad query: none). */
async function firstPage(user: SessionUser, searchParams: Search["searchParams"]) {
  const given = await searchParams;
  const query = listQueryString((key) => {
    const value = given[key];
    return Array.isArray(value) ? value[0] : value;
  });
  try {
    const { list } = await adminLeadList(user, new URLSearchParams(query));
    return { query, body: list };
  } catch {
    // A query the list refuses, or Rotor not answering: the list fetches it itself and shows why.
    return null;
  }
}

export default adminPage<Search>({}, async (user, { searchParams }) => {
  const store = await leadStore(user.companyId);
  const [stages, first, saved] = await Promise.all([
    pipeline(user.companyId),
    firstPage(user, searchParams),
    listViews(user),
  ]);
  return (
    <>
      <div
        style={{
          display: "flex",
          flexWrap: "wrap",
          gap: "0 1rem",
          justifyContent: "space-between",
          alignItems: "center",
        }}
      >
        <h1>Leads</h1>
        <span style={{ display: "flex", flexWrap: "wrap", gap: "0.5rem", marginBottom: "0.8rem" }}>
          {store.capabilities.stats ? (
            <Link className="button" href="/admin/leads/board">
              Board
            </Link>
          ) : null}
          {store.capabilities.history ? (
            <Link className="button" href="/admin/leads/due">
              Follow-ups due
            </Link>
          ) : null}
          {store.capabilities.merge && user.role === "admin" ? (
            <Link className="button" href="/admin/leads/duplicates">
              Duplicates
            </Link>
          ) : null}
          <Link className="button primary" href="/admin/leads/new">
            New lead
          </Link>
        </span>
      </div>
      <Suspense fallback={<p>Loading leads…</p>}>
        <LeadsTable
          stages={stages}
          capabilities={store.capabilities}
          first={first}
          views={{ builtIn: builtInViews(stages, store.capabilities), saved }}
        />
      </Suspense>
    </>
  );
});
