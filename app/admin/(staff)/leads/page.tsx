import Link from "next/link";
import { Suspense } from "react";
import { listQueryString } from "@/components/leads/list-keys";
import { type ListBody, LeadsTable } from "@/components/leads/leads-table";
import type { SessionUser } from "@/lib/auth/users";
import { leadListJson, parseListQuery } from "@/lib/leads";
import { scopeOf } from "@/lib/leads/admin";
import { adminPage } from "@/lib/auth/admin-page";
import { pipeline } from "@/lib/leads/pipeline";
import { leadStore } from "@/lib/leads/store";

type Search = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** The list's first page for the address's query, rendered with the page (a bad query: none). */
async function firstPage(user: SessionUser, searchParams: Search["searchParams"]) {
  const given = await searchParams;
  const query = listQueryString((key) => {
    const value = given[key];
    return Array.isArray(value) ? value[0] : value;
  });
  try {
    const { body } = await leadListJson(scopeOf(user), parseListQuery(new URLSearchParams(query)));
    return { query, body: JSON.parse(body) as ListBody };
  } catch {
    // A query the list refuses, or Rotor not answering: the list fetches it itself and shows why.
    return null;
  }
}

export default adminPage<Search>({}, async (user, { searchParams }) => {
  const store = await leadStore(user.companyId);
  const [stages, first] = await Promise.all([pipeline(user.companyId), firstPage(user, searchParams)]);
  return (
    <>
      <div style={{ display: "flex", justifyContent: "space-between", alignItems: "center" }}>
        <h1>Leads</h1>
        <span style={{ display: "flex", gap: "0.5rem" }}>
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
          <Link className="button primary" href="/admin/leads/new">
            New lead
          </Link>
        </span>
      </div>
      <Suspense fallback={<p>Loading leads…</p>}>
        <LeadsTable stages={stages} capabilities={store.capabilities} first={first} />
      </Suspense>
    </>
  );
});
