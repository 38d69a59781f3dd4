import type { ReactNode } from "react";
import { Ago, formatMinutes } from "@/components/ui/date-time";
import type { AdminLead } from "@/lib/leads/admin";
import { formatPhone, smsHref, telHref } from "@/lib/leads/phone";
import { MarkContacted } from "./mark-contacted";

/** The address as one line, for a map search. */
function addressLine(lead: AdminLead): string | null {
  const parts = [
    lead.address_street1,
    lead.address_street2,
    lead.address_city,
    lead.address_state,
    lead.address_zip,
  ];
  const line = parts.filter(Boolean).join(", ");
  return line || null;
}

/**
 * The top of a lead's page: who and what, and one tap to call, text or email them. Opened from
 * an alert on a phone, this is what shows before anything scrolls.
 */
export function LeadHeader({
  lead,
  message,
  assignee,
  now,
  canMarkContacted,
  actions,
}: {
  lead: AdminLead;
  message: string | null;
  assignee: string | null;
  now: Date;
  canMarkContacted: boolean;
  actions?: ReactNode;
}) {
  const address = addressLine(lead);
  const what = [lead.service_type, lead.address_city].filter(Boolean).join(" · ");
  const answeredIn =
    lead.first_response_at && lead.created_at
      ? (Date.parse(lead.first_response_at) - Date.parse(lead.created_at)) / 60_000
      : null;
  return (
    <section className="lead-header" aria-labelledby="lead-name">
      <h1 id="lead-name">{lead.name || lead.email || (lead.phone && formatPhone(lead.phone)) || "Lead"}</h1>
      <p className="lead-what">
        {what ? `${what} · came in ` : "Came in "}
        <Ago value={lead.created_at} now={now} />
      </p>
      {message ? <blockquote className="lead-message">{message}</blockquote> : null}
      <div className="contact-actions">
        {lead.phone ? (
          <>
            <a className="button primary" href={telHref(lead.phone)}>
              Call {formatPhone(lead.phone)}
            </a>
            <a className="button" href={smsHref(lead.phone)}>
              Text
            </a>
          </>
        ) : null}
        {lead.email ? (
          <a className="button" href={`mailto:${lead.email}`}>
            Email
          </a>
        ) : null}
        {address ? (
          <a
            className="button"
            href={`https://www.google.com/maps/search/?api=1&query=${encodeURIComponent(address)}`}
            target="_blank"
            rel="noreferrer"
          >
            Map
          </a>
        ) : null}
      </div>
      <dl className="lead-facts">
        {lead.phone ? (
          <div>
            <dt>Phone</dt>
            <dd>{formatPhone(lead.phone)}</dd>
          </div>
        ) : null}
        {lead.email ? (
          <div>
            <dt>Email</dt>
            <dd>{lead.email}</dd>
          </div>
        ) : null}
        {address ? (
          <div>
            <dt>Address</dt>
            <dd>{address}</dd>
          </div>
        ) : null}
        <div>
          <dt>Stage</dt>
          <dd>{lead.stage || "New"}</dd>
        </div>
        <div>
          <dt>Assigned to</dt>
          <dd>{assignee ?? "Nobody yet"}</dd>
        </div>
        <div>
          <dt>First response</dt>
          <dd>
            {answeredIn !== null ? (
              <>after {formatMinutes(answeredIn)}</>
            ) : (
              <>
                none yet: waiting since <Ago value={lead.created_at} now={now} />
              </>
            )}
          </dd>
        </div>
      </dl>
      <div className="contact-actions">
        {canMarkContacted ? <MarkContacted leadId={lead.id} answered={answeredIn !== null} /> : null}
        {actions}
      </div>
    </section>
  );
}
