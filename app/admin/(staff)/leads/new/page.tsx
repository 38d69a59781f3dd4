import Link from "next/link";
import { NewLeadForm } from "@/components/leads/new-lead-form";
import { adminPage } from "@/lib/auth/admin-page";
import { pipeline } from "@/lib/leads/pipeline";
import { leadStore } from "@/lib/leads/store";

export default adminPage({}, async (user) => (
  <>
    <p>
      <Link href="/admin/leads">← Leads</Link>
    </p>
    <h1>New lead</h1>
    <p className="muted">
      When the phone or email is already a lead&apos;s, that lead is updated instead (one person, one lead);
      {(await leadStore(user.companyId)).capabilities.newLeadDefaults
        ? " the stage and source are for a new lead only."
        : " the lead is written to Rotor, so a stage and source typed here replace that lead's."}
    </p>
    <NewLeadForm stages={await pipeline(user.companyId)} />
  </>
));
