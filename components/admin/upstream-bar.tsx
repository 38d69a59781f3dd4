import Link from "next/link";
import { outboxCounts } from "@/lib/outbox/log";
import { rotorUsage } from "@/lib/rotor/upstream";

/**
 * Upstream mode, on every staff page: where the leads live, today's Rotor requests against the
 * quota, and what waits for Rotor.
 */
export async function UpstreamBar({ companyId, admin }: { companyId: string; admin: boolean }) {
  const [{ used, quota }, counts] = await Promise.all([rotorUsage(), outboxCounts(companyId)]);
  const waiting = counts.pending + counts.failed;
  return (
    <p className="upstream-bar" role="status">
      Leads live in Rotor · <strong>{used.toLocaleString("en-US")}</strong> of {quota.toLocaleString("en-US")}{" "}
      Rotor requests used today (UTC)
      {waiting > 0 ? (
        <>
          {" "}
          · {counts.pending} waiting, {counts.failed} failed{" "}
          {admin ? <Link href="/admin/deliveries">See deliveries</Link> : null}
        </>
      ) : null}
    </p>
  );
}
