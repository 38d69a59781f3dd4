import Link from "next/link";
import { Suspense } from "react";
import { LeadsTable } from "@/components/leads/leads-table";
import { adminPage } from "@/lib/auth/admin-page";
import { pipeline } from "@/lib/leads/pipeline";
import { leadStore } from "@/lib/leads/store";

export default adminPage({}, async (user) => {
  const store = await leadStore(user.companyId);
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
        <LeadsTable stages={await pipeline(user.companyId)} capabilities={store.capabilities} />
      </Suspense>
    </>
  );
});
