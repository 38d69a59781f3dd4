"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { fetchJson, RequestFailed } from "@/components/admin/fetch-json";
import { FormStatus } from "@/components/admin/form-state";
import type { OpenProposal } from "@/lib/leads/history";
import { labelOf, shown } from "./field-labels";

/**
 * What later submissions gave that differs from the lead: never written over it, each accepted
 * (written to the lead, as the user's edit) or dismissed with one click.
 */
export function ProposedChanges({
  leadId,
  proposals,
  current,
}: {
  leadId: string;
  proposals: OpenProposal[];
  /** The lead's values now, by field. */
  current: Record<string, unknown>;
}) {
  const router = useRouter();
  const [busy, setBusy] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (proposals.length === 0) return null;

  async function decide(proposal: OpenProposal, accept: boolean) {
    setBusy(proposal.id);
    setError(null);
    try {
      await fetchJson(`/api/admin/leads/${leadId}/proposals/${proposal.id}`, {
        method: "POST",
        body: { accept },
      });
      router.refresh();
    } catch (failure) {
      setError(failure instanceof RequestFailed ? failure.message : "That did not work; try again.");
    } finally {
      setBusy(null);
    }
  }

  return (
    <section className="card proposals" aria-labelledby="proposals-title">
      <h2 id="proposals-title">Proposed changes</h2>
      <p className="muted">
        A later submission gave these. They were not written over what you have: accept or dismiss each.
      </p>
      <ul>
        {proposals.map((proposal) => (
          <li key={proposal.id}>
            <span>
              <strong>{labelOf(proposal.field)}</strong>: {shown(proposal.value)}{" "}
              <span className="muted">(now {shown(current[proposal.field])})</span>
            </span>
            <span className="actions">
              <button
                type="button"
                className="button primary"
                disabled={busy !== null}
                onClick={() => void decide(proposal, true)}
              >
                Accept
              </button>
              <button type="button" disabled={busy !== null} onClick={() => void decide(proposal, false)}>
                Dismiss
              </button>
            </span>
          </li>
        ))}
      </ul>
      <FormStatus status={error} failed />
    </section>
  );
}
