import { sql } from "drizzle-orm";
import type { SessionUser } from "@/lib/auth/users";
import { getDb } from "@/lib/db/client";
import { forms, pushSubscriptions, submissions, users } from "@/lib/db/schema";

/**
 * The first run's checklist on the dashboard, each step done by what the portal can see (no box to
 * tick): a submission arrived, a form names the site it is embedded on, the admin chose how alerts
 * reach them, a colleague was added. It goes away once every step is done.
 */
export interface ChecklistStep {
  id: "test-lead" | "embed" | "alerts" | "colleague";
  label: string;
  href: string;
  done: boolean;
}

export async function firstRunChecklist(user: SessionUser): Promise<ChecklistStep[]> {
  const db = await getDb();
  const { rows } = (await db.execute(sql`
    select
      exists (select 1 from ${submissions} where company_id = ${user.companyId}) as test_lead,
      exists (select 1 from ${forms} where company_id = ${user.companyId}
        and cardinality(allowed_origins) > 0) as embed,
      (exists (select 1 from ${users} where id = ${user.id} and alerts is not null)
        or exists (select 1 from ${pushSubscriptions} where user_id = ${user.id})) as alerts,
      (select count(*) from ${users} where company_id = ${user.companyId}) > 1 as colleague,
      (select slug from ${forms} where company_id = ${user.companyId} order by created_at limit 1) as form`)) as unknown as {
    rows: { test_lead: boolean; embed: boolean; alerts: boolean; colleague: boolean; form: string | null }[];
  };
  const facts = rows[0]!;
  const form = encodeURIComponent(facts.form ?? "contact");
  return [
    {
      id: "test-lead",
      label: "Open your form and send yourself a test lead",
      href: `/f/${form}`,
      done: facts.test_lead,
    },
    {
      id: "embed",
      label: "Allow your website and copy the embed snippet onto it",
      href: `/admin/forms/${form}`,
      done: facts.embed,
    },
    {
      id: "alerts",
      label: "Choose how new leads reach you (alerts)",
      href: "/admin/account",
      done: facts.alerts,
    },
    { id: "colleague", label: "Invite a colleague", href: "/admin/users", done: facts.colleague },
  ];
}
