"use client";

import Link from "next/link";
import { Ago, formatDay } from "@/components/ui/date-time";
import { displayPhone } from "@/components/ui/phone";
import type { Mark } from "@/lib/leads/reads";
import type { ApiLead } from "@/lib/leads/schema";

const money = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  maximumFractionDigits: 0,
});

const MARK_TEXT: Record<Mark, string> = { new: "New", changed: "Updated" };

/**
 * One lead of the list (a card on a phone). `mark`: new to the user, or changed since they last
 * opened it, said in words beside the name and not by colour alone.
 */
export function LeadRow({
  lead,
  mark,
  now,
  selectable,
  selected,
  onToggle,
}: {
  lead: ApiLead;
  mark: Mark | undefined;
  now: Date;
  selectable: boolean;
  selected: boolean;
  onToggle: () => void;
}) {
  return (
    <tr className={mark ? "marked" : undefined} data-mark={mark}>
      {selectable ? (
        <td className="select">
          <input
            type="checkbox"
            aria-label={`Select ${lead.name ?? lead.email ?? lead.phone ?? "lead"}`}
            checked={selected}
            onChange={onToggle}
          />
        </td>
      ) : null}
      <td className="title">
        <Link href={`/admin/leads/${lead.id}`}>{lead.name || "(no name)"}</Link>
        {mark ? (
          <span className="mark" data-mark={mark}>
            {MARK_TEXT[mark]}
          </span>
        ) : null}
        {lead.archived ? <span className="muted"> · archived</span> : null}
      </td>
      <td data-label="Phone" style={{ whiteSpace: "nowrap" }}>
        {lead.phone ? displayPhone(lead.phone) : null}
      </td>
      <td data-label="Email">{lead.email}</td>
      <td data-label="Stage">{lead.stage}</td>
      <td data-label="Value">{lead.projected_value === null ? null : money.format(lead.projected_value)}</td>
      <td data-label="Follow-up" style={{ whiteSpace: "nowrap" }}>
        {lead.follow_up_date ? formatDay(lead.follow_up_date.slice(0, 10)) : null}
      </td>
      <td data-label="Tags">
        {lead.tags.map((t) => (
          <span className="tag" key={t}>
            {t}
          </span>
        ))}
      </td>
      <td data-label="Source">{lead.source}</td>
      <td data-label="Created" style={{ whiteSpace: "nowrap" }}>
        <Ago value={lead.created_at} now={now} />
      </td>
      <td data-label="Score">{lead.value_score}</td>
    </tr>
  );
}
