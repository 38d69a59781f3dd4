"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { fetchJson, RequestFailed } from "./fetch-json";

/** "Not spam" or "Let through": the submission becomes a lead as if it had just arrived. */
export function RestoreButton({ id, label }: { id: string; label: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function restore() {
    setBusy(true);
    setError(null);
    try {
      await fetchJson(`/api/admin/submissions/${id}/restore`, { method: "POST" });
      router.refresh();
    } catch (failure) {
      if (failure instanceof RequestFailed && failure.body.errors?.length) {
        setError(`It cannot become a lead: ${failure.body.errors.map((e) => e.message).join("; ")}.`);
      } else {
        setError(failure instanceof RequestFailed ? failure.message : "That did not work; try again.");
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <span className="actions">
      <button type="button" className="button primary" disabled={busy} onClick={() => void restore()}>
        {label}
      </button>
      {error ? (
        <span className="form-error" role="alert">
          {error}
        </span>
      ) : null}
    </span>
  );
}
