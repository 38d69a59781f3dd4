import { and, eq, lt, sql } from "drizzle-orm";
import { now } from "@/lib/clock";
import { getDb } from "@/lib/db/client";
import { outbox, type OutboxRow } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { kickOutbox, setOutboxWorker } from "./kick";
import { claim, release } from "./leases";
import { deliverAlert, deliverDigest, deliverEmail, deliverPush, deliverSms } from "./notify";
import type { DeliveryOutcome } from "./outcome";
import { deliverToRotor } from "./rotor";
import { deliverWebhook } from "./webhook";

/**
 * The outbox's worker: takes due items (lib/outbox/leases.ts), hands each to its kind's delivery,
 * and records what came of it, retrying with backoff. The cron route, a long-running server's timer
 * (lib/startup.ts) and kicks (lib/outbox/kick.ts) run it.
 */

/** One attempt at an item, for each kind of item the outbox holds. */
const DELIVERIES: Record<OutboxRow["kind"], (item: OutboxRow) => Promise<DeliveryOutcome>> = {
  rotor: deliverToRotor,
  webhook: deliverWebhook,
  alert: deliverAlert,
  email: deliverEmail,
  sms: deliverSms,
  push: deliverPush,
  digest: deliverDigest,
};

const MAX_BACKOFF_MS = 3_600_000;
const KEEP_DELIVERED_DAYS = 30;
const CLAIM_GAP_MS = 20;

function backoffMs(attempts: number): number {
  const base = env().OUTBOX_BACKOFF_SECONDS * 1000 * 2 ** Math.max(0, attempts - 1);
  return Math.min(MAX_BACKOFF_MS, base) * (0.5 + Math.random() / 2);
}

/** What a delivered item queued, already held for this worker, to deliver next (lib/outbox/notify.ts). */
const heldNext = (outcome: DeliveryOutcome): OutboxRow[] =>
  outcome.result === "delivered" ? (outcome.then ?? []).filter((next) => next.lockedUntil !== null) : [];

/** Delivers one claimed item and records what came of it. */
async function deliver(item: OutboxRow): Promise<DeliveryOutcome> {
  let outcome: DeliveryOutcome;
  try {
    outcome = await DELIVERIES[item.kind](item);
  } catch (error) {
    // A fault of ours, not of the other side: try again later, and say what kind it was.
    console.error(`[outbox] delivery ${item.id} threw ${error instanceof Error ? error.name : typeof error}`);
    outcome = { result: "retry", status: null, error: "An internal error; retrying" };
  }
  const at = now();
  const lastStatus = outcome.status;
  if (outcome.result === "delivered") {
    await release(item, {
      lastStatus,
      status: "delivered",
      deliveredAt: at,
      lastError: null,
      leadId: outcome.leadId ?? item.leadId,
    });
  } else if (outcome.result === "failed") {
    await release(item, { lastStatus, status: "failed", lastError: outcome.error });
  } else {
    const wait = Math.max(backoffMs(item.attempts), outcome.retryAfterMs ?? 0);
    await release(item, {
      lastStatus,
      lastError: outcome.error,
      nextAttemptAt: new Date(at.getTime() + wait),
    });
  }
  if (outcome.result !== "retry" && item.kind === "webhook") {
    await noteDelivery(item, outcome.result, lastStatus, at);
  }
  return outcome;
}

/**
 * A webhook delivery's end, delivered or given up, as an entry of its lead's history (a lead of
 * this portal's database; Rotor's leads keep theirs): the event, where it went, and the answer.
 */
async function noteDelivery(
  item: OutboxRow,
  result: "delivered" | "failed",
  status: number | null,
  at: Date,
): Promise<void> {
  const db = await getDb();
  await db.execute(sql`
    insert into lead_history (company_id, lead_id, at, kind, data)
    select o.company_id, l.id, ${at.toISOString()}, 'delivery', jsonb_build_object(
      'delivery', jsonb_build_object(
        'event', o.event, 'to', split_part(split_part(e.url, '://', 2), '/', 1),
        'result', ${result}::text, 'status', ${status}::integer
      )
    )
    from outbox o
    join leads l on l.id::text = o.lead_id and l.company_id = o.company_id
    left join webhook_endpoints e on e.id = o.endpoint_id
    where o.id = ${item.id}`);
}

/**
 * Delivers one item at once if it is first in its sequence and free (the intake does this while the
 * visitor waits); null when it must wait its turn, left to the worker.
 */
export async function deliverNow(id: number): Promise<DeliveryOutcome | null> {
  const [item] = await claim({ id, limit: 1 });
  if (!item) return null;
  const outcome = await deliver(item);
  // The next of its sequence may be waiting for it.
  kickOutbox();
  return outcome;
}

export interface DrainReport {
  delivered: number;
  retried: number;
  failed: number;
}

/**
 * Delivers what is due until nothing is left or the time budget is spent, with up to `concurrency`
 * deliveries under way. Each one that ends makes room for the next at once, without waiting for the
 * others it was taken with: a receiver that hangs holds its own place only, and claim() keeps any
 * company and endpoint from taking more than their share. Claims are made one at a time, for every
 * free place together. With `prune`, then drops delivered items older than 30 days. The cron route,
 * the local timer (both pruning) and kicks call it; `onWake` hands a kick a way to have this drain
 * look for new work (false once it is finishing).
 */
export async function drainOutbox(
  options: {
    budgetMs?: number;
    concurrency?: number;
    prune?: boolean;
    onWake?: (wake: () => boolean) => void;
  } = {},
): Promise<DrainReport> {
  const report: DrainReport = { delivered: 0, retried: 0, failed: 0 };
  const until = now().getTime() + (options.budgetMs ?? 20_000);
  const concurrency = options.concurrency ?? 32;
  const deliveries = new Set<Promise<void>>();
  const faults: unknown[] = [];
  let claiming: Promise<void> | null = null;
  let again = false;
  let open = true;

  // An item's delivery may hand over what it queued, held for this drain (an alert's messages):
  // each goes at once in a place of its own, the alert's place freed for the next alert. Past the
  // drain's places they are let go at once for any worker to claim, rather than held while they
  // wait here, where their lease could run out before they are sent.
  const start = (item: OutboxRow) => {
    const delivery: Promise<void> = deliver(item)
      .then(async (outcome) => {
        report[outcome.result === "retry" ? "retried" : outcome.result]++;
        const later: OutboxRow[] = [];
        for (const next of heldNext(outcome)) {
          if (deliveries.size < concurrency) start(next);
          else later.push(next);
        }
        await Promise.all(later.map((next) => release(next, { attempts: next.attempts - 1 })));
      })
      .catch((error: unknown) => void faults.push(error))
      .finally(() => {
        deliveries.delete(delivery);
        look();
      });
    deliveries.add(delivery);
  };
  // Claims while asked to: what asks during a claim is answered by one more claim after it. Each
  // claim waits at least as long after the last as that one took (and CLAIM_GAP_MS): deliveries
  // that end one by one then share claims, and claiming takes at most half of the database's time
  // however long the queue has grown (the embedded database runs in this process's own thread).
  // The wait is never longer than that, whatever a test does to the clock meanwhile.
  let claimed = 0;
  let gap = 0;
  const claimFree = async () => {
    try {
      while (again && now().getTime() < until) {
        again = false;
        const wait = Math.min(gap, claimed + gap - now().getTime());
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const free = concurrency - deliveries.size;
        if (free <= 0) break;
        const began = now().getTime();
        const items = await claim({ limit: free });
        claimed = now().getTime();
        gap = Math.max(CLAIM_GAP_MS, claimed - began);
        for (const item of items) start(item);
      }
    } catch (error) {
      faults.push(error);
    }
  };
  function look(): boolean {
    if (!open || now().getTime() >= until) return false;
    again = true;
    // Cleared once the claims are over, never by claimFree itself: with no place free it ends
    // without waiting, before this assignment, and would leave a finished claim here for good.
    claiming ??= claimFree().finally(() => {
      claiming = null;
    });
    return true;
  }

  options.onWake?.(look);
  look();
  while (claiming || deliveries.size > 0) await Promise.all([claiming, ...deliveries]);
  open = false;
  if (faults.length > 0) throw faults[0];
  if (!options.prune) return report;
  const db = await getDb();
  await db
    .delete(outbox)
    .where(
      and(
        eq(outbox.status, "delivered"),
        lt(outbox.deliveredAt, new Date(now().getTime() - KEEP_DELIVERED_DAYS * 86_400_000)),
      ),
    );
  return report;
}

// Once this module is loaded, a kick anywhere in the process starts this worker: a script's or a
// test's writes are delivered as a server's are (lib/startup.ts hands a server's kicks to it).
setOutboxWorker((onWake) => drainOutbox({ onWake }));
