"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { fetchJson, RequestFailed } from "@/components/admin/fetch-json";

/** One merge action of the bulk endpoint, with its outcome said beside the button. */
function useMergeAction() {
  const router = useRouter();
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function run(
    body: Record<string, unknown>,
    done: string,
    then?: (answer: Record<string, string>) => string,
  ) {
    setBusy(true);
    setStatus(null);
    try {
      const answer = await fetchJson<Record<string, string>>("/api/admin/leads/bulk", {
        method: "POST",
        body,
      });
      setStatus(done);
      if (then) router.push(then(answer));
      else router.refresh();
    } catch (failure) {
      setStatus(failure instanceof RequestFailed ? failure.message : "It could not be done. Try again.");
    } finally {
      setBusy(false);
    }
  }
  return { status, busy, run };
}

/** "Not the same person": the pair is not suggested again. */
export function NotDuplicates({ ids }: { ids: [string, string] }) {
  const { status, busy, run } = useMergeAction();
  return (
    <>
      <button
        type="button"
        disabled={busy}
        onClick={() => void run({ action: "not_duplicates", ids }, "They will not be suggested again.")}
      >
        Not the same person
      </button>
      <span role="status" aria-live="polite" className="muted">
        {status}
      </span>
    </>
  );
}

/** Undoes a merge of the last day; the survivor's page then links to the lead that came back. */
export function UndoMerge({ mergeId, name }: { mergeId: string; name: string }) {
  const { status, busy, run } = useMergeAction();
  return (
    <>
      <button
        type="button"
        disabled={busy}
        onClick={() =>
          void run(
            { action: "undo_merge", merge_id: mergeId },
            `${name} is a lead of its own again.`,
            // The page says so again after it reloads, with a link to that lead.
            ({ survivor, restored }) => `/admin/leads/${survivor}?unmerged=${restored}`,
          )
        }
      >
        Undo merge
      </button>
      <span role="status" aria-live="polite">
        {status}
      </span>
    </>
  );
}
