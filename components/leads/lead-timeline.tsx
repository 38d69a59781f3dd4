"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { fetchJson, RequestFailed } from "@/components/admin/fetch-json";
import { DateTime } from "@/components/ui/date-time";
import type { TimelineEntry } from "@/lib/leads/history";
import { labelOf, shown } from "./field-labels";
import { SubmittedFields } from "./submitted-fields";

const KIND_TITLES: Record<TimelineEntry["kind"], string> = {
  submission: "Form submission",
  api: "API",
  staff: "Edit",
  note: "Note",
  proposal: "Proposed change",
  delivery: "Webhook",
  contacted: "Contacted",
  merge: "Merge",
};

function Changes({ changes, created }: { changes: TimelineEntry["changes"]; created: boolean }) {
  const entries = Object.entries(changes);
  if (entries.length === 0) return created ? null : <p className="muted">Nothing changed.</p>;
  return (
    <ul className="changes">
      {entries.map(([field, [before, after]]) => (
        <li key={field}>
          <strong>{labelOf(field)}</strong>:{" "}
          {created ? (
            shown(after)
          ) : (
            <>
              <del>{shown(before)}</del> → <ins>{shown(after)}</ins>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

function Submission({ entry }: { entry: TimelineEntry }) {
  const submission = entry.submission!;
  const campaign = Object.entries({ ...submission.campaign, ...submission.clickIds });
  return (
    <>
      <SubmittedFields fields={submission.fields} answers={submission.answers} />
      <p className="muted small">
        {submission.page ? <>From {submission.page}</> : <>Sent directly</>}
        {submission.referrer ? <> · referred by {submission.referrer}</> : null}
        {campaign.length > 0 ? <> · {campaign.map(([k, v]) => `${k}=${v}`).join(", ")}</> : null}
      </p>
      {Object.keys(entry.changes).length > 0 && !entry.created ? (
        <>
          <p className="small">Filled in, where the lead had nothing:</p>
          <Changes changes={entry.changes} created={false} />
        </>
      ) : null}
      {Object.keys(entry.proposed).length > 0 ? (
        <p className="small">
          Proposed instead of written over:{" "}
          {Object.entries(entry.proposed)
            .map(([field, value]) => `${labelOf(field)} ${shown(value)}`)
            .join("; ")}
        </p>
      ) : null}
    </>
  );
}

function headline(entry: TimelineEntry): string {
  const who = entry.actor ?? "A visitor";
  switch (entry.kind) {
    case "submission":
      return `${entry.created ? "New lead from" : "Sent again through"} ${entry.submission?.form ?? "a form"}`;
    case "note":
      return `${who} added a note`;
    case "contacted":
      return `${who} marked the lead contacted${entry.firstResponse ? ": its first response" : ""}`;
    case "proposal":
      return `${who} ${entry.decision?.accepted ? "accepted" : "dismissed"} a proposed change`;
    case "delivery": {
      const d = entry.delivery;
      if (!d) return "A webhook delivery";
      const answer = d.status ? ` (${d.status})` : "";
      return `${d.event} ${d.result === "delivered" ? "delivered to" : "could not be delivered to"} ${d.to}${answer}`;
    }
    case "merge": {
      const other = entry.merge?.other.name ?? "another lead";
      if (entry.merge?.kind === "undone")
        return `${who} undid the merge of ${other}: it is a lead of its own again`;
      if (entry.merge?.kind === "restored") return `${who} undid a merge: this lead is on its own again`;
      return `${who} merged ${other} into this lead`;
    }
    default:
      return entry.created ? `${who} created the lead` : `${who} changed the lead`;
  }
}

function Entry({ entry }: { entry: TimelineEntry }) {
  return (
    <li className={`entry ${entry.kind}`}>
      <p className="entry-head">
        <span className="tag">{KIND_TITLES[entry.kind]}</span> <strong>{headline(entry)}</strong>{" "}
        <span className="muted">
          <DateTime value={entry.at} />
        </span>
      </p>
      {entry.kind === "submission" && entry.submission ? <Submission entry={entry} /> : null}
      {entry.kind === "note" ? <p className="note">{entry.note}</p> : null}
      {entry.kind === "proposal" && entry.decision ? (
        <p>
          {labelOf(entry.decision.field)}: {shown(entry.decision.value)}
        </p>
      ) : null}
      {entry.kind === "api" || entry.kind === "staff" ? (
        <Changes changes={entry.changes} created={entry.created} />
      ) : null}
      {entry.kind === "merge" && Object.keys(entry.changes).length > 0 ? (
        <Changes changes={entry.changes} created={false} />
      ) : null}
    </li>
  );
}

/**
 * The lead's history, newest first: submissions with every field as sent, API writes and staff
 * edits with what they replaced, notes, proposed changes decided. Older entries load a page at a
 * time; staff add notes at the top.
 */
export function LeadTimeline({
  leadId,
  entries,
  next,
}: {
  leadId: string;
  entries: TimelineEntry[];
  next: number | null;
}) {
  const router = useRouter();
  const [older, setOlder] = useState<TimelineEntry[]>([]);
  const [cursor, setCursor] = useState<number | null>(next);
  const [note, setNote] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function loadOlder() {
    if (cursor === null) return;
    setBusy(true);
    try {
      const page = await fetchJson<{ data: TimelineEntry[]; next: number | null }>(
        `/api/admin/leads/${leadId}/history?before=${cursor}`,
      );
      setOlder((kept) => [...kept, ...page.data]);
      setCursor(page.next);
    } finally {
      setBusy(false);
    }
  }

  async function addNote() {
    setBusy(true);
    setError(null);
    try {
      await fetchJson(`/api/admin/leads/${leadId}/notes`, { method: "POST", body: { note } });
      setNote("");
      setOlder([]);
      router.refresh();
    } catch (failure) {
      setError(
        failure instanceof RequestFailed
          ? (failure.fields.note ?? failure.message)
          : "The note was not saved.",
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="timeline" aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      <form
        className="card note-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void addNote();
        }}
      >
        <label htmlFor="new-note">Add a note</label>
        <textarea
          id="new-note"
          rows={2}
          value={note}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "new-note-error" : undefined}
          onChange={(e) => setNote(e.target.value)}
          placeholder="Called back, left a message…"
        />
        {error ? (
          <p id="new-note-error" className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="button" disabled={busy}>
          Add note
        </button>
      </form>
      <ol className="entries">
        {[...entries, ...older].map((entry) => (
          <Entry key={entry.id} entry={entry} />
        ))}
      </ol>
      {cursor !== null ? (
        <button type="button" className="button" disabled={busy} onClick={() => void loadOlder()}>
          Show older
        </button>
      ) : null}
    </section>
  );
}
