import Link from "next/link";
import { Suspense } from "react";
import { LeadsTable } from "@/components/leads/leads-table";
import { adminPage } from "@/lib/auth/page-session";
import { scopeOf } from "@/lib/leads/admin";
import { stagesInUse } from "@/lib/leads/stages";
import { isUpstream } from "@/lib/rotor/upstream";

// Rotor's API does not list the stages in use: the filter offers the usual ones.
const UPSTREAM_STAGES = ["new", "contacted", "quoted", "won", "lost"];

export default adminPage({}, async (user) => (
  <>
    <div style={{ display: "flex", justifyContent: "space-between", alignItems: "center" }}>
      <h1>Leads</h1>
      <Link className="button primary" href="/admin/leads/new">
        New lead
      </Link>
    </div>
    <Suspense fallback={<p>Loading leads…</p>}>
      {(await isUpstream(user.companyId)) ? (
        <LeadsTable stages={UPSTREAM_STAGES} upstream />
      ) : (
        <LeadsTable stages={await stagesInUse(scopeOf(user))} />
      )}
    </Suspense>
  </>
));
