import Link from "next/link";
import { Ago } from "@/components/ui/date-time";
import { type DuplicatePair, REASON_TEXT } from "@/lib/leads/duplicates";
import { NotDuplicates, UndoMerge } from "./merge-buttons";
import "./merge.css";

/**
 * On a lead's page, for admins: the leads that are probably the same person, each a tap from the
 * merge, and the merges into this lead that can still be undone.
 */
export function MergeNotices({
  leadId,
  duplicates,
  undoable,
  unmerged,
  now,
}: {
  leadId: string;
  /** A lead that an undo just made its own again. */
  unmerged: { id: string; name: string } | null;
  duplicates: DuplicatePair[];
  undoable: { id: string; at: string; name: string | null }[];
  now: Date;
}) {
  return (
    <>
      {unmerged ? (
        <p className="notice merge-notice" role="status">
          <span>
            <Link href={`/admin/leads/${unmerged.id}`}>{unmerged.name}</Link> is a lead of its own again.
          </span>
        </p>
      ) : null}
      {undoable.map((merge) => (
        <p key={merge.id} className="notice merge-notice">
          <span>
            {merge.name ?? "A lead"} was merged into this lead <Ago value={merge.at} now={now} />.
          </span>{" "}
          <UndoMerge mergeId={merge.id} name={merge.name ?? "That lead"} />
        </p>
      ))}
      {duplicates.map(({ b, reason }) => (
        <p key={b.id} className="card merge-notice">
          <span>
            Possibly the same person:{" "}
            <Link href={`/admin/leads/${b.id}`}>{b.name || b.email || "another lead"}</Link> (
            {REASON_TEXT[reason]}).
          </span>{" "}
          <Link className="button" href={`/admin/leads/merge?a=${leadId}&b=${b.id}`}>
            Compare and merge
          </Link>{" "}
          <NotDuplicates ids={[leadId, b.id]} />
        </p>
      ))}
    </>
  );
}
