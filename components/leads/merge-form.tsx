"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { fetchJson, RequestFailed } from "@/components/admin/fetch-json";
import { formatDateTime, formatDay } from "@/components/ui/date-time";
import { displayPhone } from "@/components/ui/phone";
import type { AdminLead } from "@/lib/leads/admin";
import type { MergeChoice } from "@/lib/leads/merge";
import { labelOf } from "./field-labels";
import "./merge.css";

type Side = "a" | "b";

const CHOICES: MergeChoice[] = [
  "name",
  "email",
  "phone",
  "address",
  "service_type",
  "stage",
  "projected_value",
  "priority",
  "follow_up_date",
  "assigned_to",
  "source",
  "notes",
];

const LABELS: Partial<Record<MergeChoice, string>> = { address: "Address" };

/** A field of a lead as staff read it; null when it has none. */
function valueOf(lead: AdminLead, choice: MergeChoice, people: Record<string, string>): string | null {
  switch (choice) {
    case "address": {
      const parts = [
        lead.address_street1,
        lead.address_street2,
        lead.address_city,
        [lead.address_state, lead.address_zip].filter(Boolean).join(" "),
        lead.address_country,
      ].filter(Boolean);
      return parts.length > 0 ? parts.join(", ") : null;
    }
    case "phone":
      return lead.phone ? displayPhone(lead.phone) : null;
    case "follow_up_date":
      return lead.follow_up_date ? formatDay(lead.follow_up_date.slice(0, 10)) : null;
    case "projected_value":
      return lead.projected_value === null ? null : `$${lead.projected_value.toLocaleString("en-US")}`;
    case "assigned_to":
      return lead.assigned_to ? (people[lead.assigned_to] ?? "Another member of staff") : null;
    default:
      return (lead[choice] as string | null) || null;
  }
}

/**
 * Two leads side by side: which one stays (its id, its creation), and for each field that differs
 * whose value it keeps; what is the same in both is listed once. Tags are always united, and the
 * other's history, submissions and notes join the one that stays.
 */
export function MergeForm({ a, b, people }: { a: AdminLead; b: AdminLead; people: Record<string, string> }) {
  const router = useRouter();
  const leads = { a, b };
  // The older lead stays by default: its id is the one other software has known longest.
  const [stays, setStays] = useState<Side>(a.created_at <= b.created_at ? "a" : "b");
  const differing = CHOICES.filter((c) => valueOf(a, c, people) !== valueOf(b, c, people));
  const same = CHOICES.filter((c) => !differing.includes(c) && valueOf(a, c, people) !== null);
  // Each field starts with the value that is there: the staying lead's, or the other's where it has none.
  const [picked, setPicked] = useState<Partial<Record<MergeChoice, Side>>>({});
  const pickOf = (c: MergeChoice): Side => {
    if (picked[c]) return picked[c];
    const other: Side = stays === "a" ? "b" : "a";
    return valueOf(leads[stays], c, people) === null && valueOf(leads[other], c, people) !== null
      ? other
      : stays;
  };
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // United as the merge unites them: the staying lead's first.
  const [first, second] = stays === "a" ? [a, b] : [b, a];
  const tags = [
    ...first.tags,
    ...second.tags.filter((t) => !first.tags.some((x) => x.toLowerCase() === t.toLowerCase())),
  ];

  async function merge() {
    setBusy(true);
    setError(null);
    const keep = leads[stays];
    const other = leads[stays === "a" ? "b" : "a"];
    const take = differing.filter((c) => pickOf(c) !== stays);
    try {
      await fetchJson("/api/admin/leads/bulk", {
        method: "POST",
        body: { action: "merge", ids: [keep.id, other.id], take },
      });
      router.push(`/admin/leads/${keep.id}`);
    } catch (failure) {
      setError(failure instanceof RequestFailed ? failure.message : "The leads were not merged. Try again.");
      setBusy(false);
    }
  }

  const title = (lead: AdminLead) => lead.name || lead.email || lead.phone || "(no name)";
  return (
    <form
      className="merge-form"
      onSubmit={(e) => {
        e.preventDefault();
        void merge();
      }}
    >
      <fieldset className="merge-row">
        <legend>Which lead stays</legend>
        {(["a", "b"] as const).map((side) => (
          <label key={side} className="merge-option">
            <input type="radio" name="stays" checked={stays === side} onChange={() => setStays(side)} />
            <span>
              <strong>{title(leads[side])}</strong>
              <span className="muted">
                {" · "}
                {[leads[side].email, leads[side].phone ? displayPhone(leads[side].phone) : null]
                  .filter(Boolean)
                  .join(" · ")}
                {" · created "}
                {formatDateTime(leads[side].created_at)}
              </span>
            </span>
          </label>
        ))}
      </fieldset>
      {differing.map((choice) => (
        <fieldset key={choice} className="merge-row">
          <legend>{LABELS[choice] ?? labelOf(choice)}</legend>
          {(["a", "b"] as const).map((side) => (
            <label key={side} className="merge-option">
              <input
                type="radio"
                name={choice}
                checked={pickOf(choice) === side}
                onChange={() => setPicked((p) => ({ ...p, [choice]: side }))}
              />
              <span className={valueOf(leads[side], choice, people) === null ? "muted" : undefined}>
                {valueOf(leads[side], choice, people) ?? "(none)"}
              </span>
            </label>
          ))}
        </fieldset>
      ))}
      <p>
        <strong>Tags</strong>: {tags.length > 0 ? tags.join(", ") : "none"} (both leads&apos; tags are kept)
      </p>
      {same.length > 0 ? (
        <p className="muted">Same in both: {same.map((c) => LABELS[c] ?? labelOf(c)).join(", ")}.</p>
      ) : null}
      <p className="muted">
        The other lead&apos;s history, submissions and notes join the one that stays, and its id stops
        answering in the API. You can undo the merge for 24 hours from the lead&apos;s page.
      </p>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? "Merging…" : "Merge into one lead"}
      </button>
    </form>
  );
}
