import Link from "next/link";
import { NotDuplicates } from "@/components/leads/merge-buttons";
import { displayPhone } from "@/components/ui/phone";
import { Ago } from "@/components/ui/date-time";
import { now } from "@/lib/clock";
import { adminPage } from "@/lib/auth/admin-page";
import { type DuplicateLead, duplicatePairs, REASON_TEXT } from "@/lib/leads/duplicates";
import { leadStore } from "@/lib/leads/store";
import "@/components/leads/merge.css";

function Person({ lead, at }: { lead: DuplicateLead; at: Date }) {
  return (
    <div>
      <Link href={`/admin/leads/${lead.id}`}>
        <strong>{lead.name || "(no name)"}</strong>
      </Link>
      <br />
      <span className="muted">
        {[lead.email, lead.phone ? displayPhone(lead.phone) : null, lead.address, lead.stage]
          .filter(Boolean)
          .join(" · ")}
        {" · came in "}
        <Ago value={lead.created_at} now={at} />
      </span>
    </div>
  );
}

/** Leads that are probably one person (admins), newest first, each pair a tap from its merge. */
export default adminPage({ adminOnly: true }, async (user) => {
  const store = await leadStore(user.companyId);
  if (!store.capabilities.merge) {
    return (
      <>
        <h1>Duplicates</h1>
        <p>The leads live in Rotor, whose API cannot merge them. Use Rotor&apos;s own tools.</p>
      </>
    );
  }
  const pairs = await duplicatePairs(user.companyId);
  const at = now();
  return (
    <>
      <p>
        <Link href="/admin/leads">← Leads</Link>
      </p>
      <h1>Duplicates</h1>
      <p className="muted">
        Leads that are probably one person: the same name and address, the same name and phone apart from an
        extension, or one email written with dots or a plus-tag. The forms and the API already join leads that
        share a phone or an email.
      </p>
      {pairs.length === 0 ? (
        <p>No probable duplicates. When two leads look like one person, they are listed here.</p>
      ) : (
        <ul className="duplicate-list">
          {pairs.map(({ a, b, reason }) => (
            <li key={`${a.id}:${b.id}`} className="card duplicate-pair">
              <Person lead={a} at={at} />
              <Person lead={b} at={at} />
              <div className="actions">
                <span className="muted">Why: {REASON_TEXT[reason]}.</span>
                <Link className="button primary" href={`/admin/leads/merge?a=${a.id}&b=${b.id}`}>
                  Compare and merge
                </Link>
                <NotDuplicates ids={[a.id, b.id]} />
              </div>
            </li>
          ))}
        </ul>
      )}
    </>
  );
});
