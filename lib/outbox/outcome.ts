/**
 * What one attempt at an item came to: each kind's delivery (lib/outbox/rotor.ts, webhook.ts)
 * answers with it, and the worker records it (lib/outbox/worker.ts).
 */
export type DeliveryOutcome =
  | { result: "delivered"; status: number | null; leadId?: string; created?: boolean }
  | { result: "retry"; status: number | null; error: string; retryAfterMs?: number }
  | { result: "failed"; status: number | null; error: string };
