"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { fetchJson } from "@/components/admin/fetch-json";

/** "Mark contacted": one tap records that staff answered the lead (the first time, its response time). */
export function MarkContacted({ leadId, answered }: { leadId: string; answered: boolean }) {
  const router = useRouter();
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function mark() {
    setBusy(true);
    try {
      await fetchJson(`/api/admin/leads/${leadId}/contacted`, { method: "POST" });
      setStatus("Marked contacted.");
      router.refresh();
    } catch {
      setStatus("It could not be recorded. Try again.");
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <button
        type="button"
        className={answered ? undefined : "primary"}
        disabled={busy}
        onClick={() => void mark()}
      >
        {answered ? "Contacted again" : "Mark contacted"}
      </button>
      <span role="status" aria-live="polite" className="muted">
        {status}
      </span>
    </>
  );
}
