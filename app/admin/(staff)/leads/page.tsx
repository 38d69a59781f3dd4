import { Suspense } from "react";
import { LeadsTable } from "@/components/leads/leads-table";
import { adminPage } from "@/lib/auth/page-session";
import { scopeOf } from "@/lib/leads/admin";
import { stagesInUse } from "@/lib/leads/stages";

export default adminPage({}, async (user) => (
  <>
    <h1>Leads</h1>
    <Suspense fallback={<p>Loading leads…</p>}>
      <LeadsTable stages={await stagesInUse(scopeOf(user))} />
    </Suspense>
  </>
));
