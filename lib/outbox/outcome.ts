import type { OutboxRow } from "@/lib/db/schema";

/**
 * What one attempt at an item came to: each kind's delivery (lib/outbox/rotor.ts, webhook.ts)
 * answers with it, and the worker records it (lib/outbox/worker.ts).
 */
export type DeliveryOutcome =
  | {
      result: "delivered";
      status: number | null;
      leadId?: string;
      created?: boolean;
      /** Items this delivery queued, already held for this worker, which sends them at once. */
      then?: OutboxRow[];
    }
  | { result: "retry"; status: number | null; error: string; retryAfterMs?: number }
  | { result: "failed"; status: number | null; error: string };
