import Link from "next/link";
import { Ago, formatDay } from "@/components/ui/date-time";
import { now } from "@/lib/clock";
import { adminPage } from "@/lib/auth/admin-page";
import { companyProfile } from "@/lib/company/profile";
import { scopeOf } from "@/lib/leads/admin";
import { formatPhone, telHref } from "@/lib/leads/phone";
import { dueFollowUps } from "@/lib/leads/response";
import { leadStore } from "@/lib/leads/store";

/** The follow-ups due today or before, most overdue first, each a tap away from a call. */
export default adminPage({}, async (user) => {
  const store = await leadStore(user.companyId);
  if (!store.capabilities.history) {
    return (
      <>
        <h1>Follow-ups due</h1>
        <p>
          The leads live in Rotor, whose API cannot list them by follow-up date. Use Rotor&apos;s own view.
        </p>
      </>
    );
  }
  const profile = await companyProfile(user.companyId);
  const due = await dueFollowUps(scopeOf(user), profile.timeZone);
  const at = now();
  return (
    <>
      <p>
        <Link href="/admin/leads">← Leads</Link>
      </p>
      <h1>Follow-ups due</h1>
      <p className="muted">
        Open leads whose follow-up date is today or past{user.role === "member" ? ", of yours" : ""}, most
        overdue first.
      </p>
      {due.length === 0 ? (
        <p>Nothing is due. Leads get a follow-up date on their page (Edit lead).</p>
      ) : (
        <ul className="due-list">
          {due.map((lead) => (
            <li key={lead.id} className="card">
              <Link href={`/admin/leads/${lead.id}`}>
                <strong>{lead.name ?? "(no name)"}</strong>
              </Link>
              {/* No leading separator: on a phone this line starts a row of its own. */}
              <span className="muted">
                due {formatDay(lead.followUpDate.toISOString().slice(0, 10))}
                {lead.serviceType ? ` · ${lead.serviceType}` : ""} · {lead.stage ?? "New"} · came in{" "}
                <Ago value={lead.createdAt} now={at} />
              </span>
              {lead.phone ? (
                <a className="button" href={telHref(lead.phone)}>
                  Call {formatPhone(lead.phone)}
                </a>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </>
  );
});
