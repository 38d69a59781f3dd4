"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { fetchJson, RequestFailed } from "@/components/admin/fetch-json";
import { FormStatus } from "@/components/admin/form-state";

/** An admin's tools for a person's data: export it all, or erase it all. */
export function PersonActions({ leadId, name }: { leadId: string; name: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function erase() {
    if (
      !window.confirm(`Erase ${name}: the lead, every submission and its history? This cannot be undone.`)
    ) {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await fetchJson(`/api/admin/leads/${leadId}`, { method: "DELETE" });
      router.push("/admin/leads");
    } catch (failure) {
      setError(failure instanceof RequestFailed ? failure.message : "It was not erased; try again.");
      setBusy(false);
    }
  }

  return (
    <section className="card person" aria-labelledby="person-title">
      <h2 id="person-title">This person&apos;s data</h2>
      <p className="actions">
        <a className="button" href={`/api/admin/leads/${leadId}/export`} download>
          Export everything (JSON)
        </a>
        <a className="button" href={`/api/admin/leads/${leadId}/export?format=csv`} download>
          History (CSV)
        </a>
        <button type="button" className="danger" disabled={busy} onClick={() => void erase()}>
          Erase this person
        </button>
      </p>
      <FormStatus status={error} failed />
    </section>
  );
}
