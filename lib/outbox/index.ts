import { and, count, desc, eq, gt, inArray, lt, or } from "drizzle-orm";
import { z } from "zod";
import { fail } from "@/lib/errors";
import { now } from "@/lib/clock";
import { getDb } from "@/lib/db/client";
import { outbox, type OutboxRow, webhookEndpoints } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { postWebhook, WEBHOOK_MAX_ATTEMPTS } from "@/lib/webhooks";
import { recordAttempt, resumeEndpoint } from "@/lib/webhooks/breaker";
import { claim, heldBy } from "./claim";
import { kickOutbox } from "./kick";
import { deliverToRotor, type RotorSubmission } from "./rotor";

export { kickOutbox, outboxIdle } from "./kick";

/** What one attempt came to. */
export type Outcome =
  | { result: "delivered"; status: number; leadId?: string; created?: boolean }
  | { result: "retry"; status: number | null; error: string; retryAfterMs?: number }
  | { result: "failed"; status: number | null; error: string };

const MAX_BACKOFF_MS = 3_600_000;
const KEEP_DELIVERED_DAYS = 30;
const CLAIM_GAP_MS = 20;

/**
 * Queues a visitor's submission for Rotor. Items of one person go out in order, so a later
 * submission never overtakes an earlier one: the person is their phone (`sequence`), and also their
 * email (`altSequence`) when both are given, since Rotor matches on either.
 */
export async function queueSubmission(
  companyId: string,
  sequence: string,
  altSequence: string | null,
  submission: RotorSubmission,
): Promise<number> {
  const db = await getDb();
  const [row] = await db
    .insert(outbox)
    .values({
      companyId,
      kind: "rotor",
      sequence,
      altSequence,
      event: "submission",
      payload: submission,
      nextAttemptAt: now(),
    })
    .returning({ id: outbox.id });
  return row!.id;
}

function backoffMs(attempts: number): number {
  const base = env().OUTBOX_BACKOFF_SECONDS * 1000 * 2 ** Math.max(0, attempts - 1);
  return Math.min(MAX_BACKOFF_MS, base) * (0.5 + Math.random() / 2);
}

async function attempt(item: OutboxRow): Promise<Outcome> {
  if (item.kind === "rotor") return deliverToRotor(item);
  const db = await getDb();
  const [endpoint] = await db
    .select()
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.id, item.endpointId!));
  if (!endpoint?.active) return { result: "failed", status: null, error: "The endpoint is turned off" };
  const sent = await postWebhook(endpoint, item);
  const pausedUntil = await recordAttempt(endpoint.id, sent.ok);
  if (sent.ok) return { result: "delivered", status: sent.status };
  if (item.attempts >= WEBHOOK_MAX_ATTEMPTS) {
    return {
      result: "failed",
      status: null,
      error: `${sent.error}; gave up after ${item.attempts} attempts`,
    };
  }
  return {
    result: "retry",
    status: null,
    error: sent.error,
    retryAfterMs: pausedUntil ? pausedUntil.getTime() - now().getTime() : undefined,
  };
}

/** Delivers one claimed item and records what came of it. */
async function deliver(item: OutboxRow): Promise<Outcome> {
  let outcome: Outcome;
  try {
    outcome = await attempt(item);
  } catch (error) {
    // A fault of ours, not of the other side: try again later, and say what kind it was.
    console.error(`[outbox] delivery ${item.id} threw ${error instanceof Error ? error.name : typeof error}`);
    outcome = { result: "retry", status: null, error: "An internal error; retrying" };
  }
  const db = await getDb();
  const at = now();
  const common = { lockedUntil: null, lastStatus: outcome.status };
  // Only while this worker still holds the item: one whose lease ran out may have been taken over.
  const held = heldBy(item);
  if (outcome.result === "delivered") {
    await db
      .update(outbox)
      .set({
        ...common,
        status: "delivered",
        deliveredAt: at,
        lastError: null,
        leadId: outcome.leadId ?? item.leadId,
      })
      .where(held);
  } else if (outcome.result === "failed") {
    await db
      .update(outbox)
      .set({ ...common, status: "failed", lastError: outcome.error })
      .where(held);
  } else {
    const wait = Math.max(backoffMs(item.attempts), outcome.retryAfterMs ?? 0);
    await db
      .update(outbox)
      .set({ ...common, lastError: outcome.error, nextAttemptAt: new Date(at.getTime() + wait) })
      .where(held);
  }
  return outcome;
}

/**
 * Delivers one item at once if it is first in its sequence and free (the intake does this while the
 * visitor waits); null when it must wait its turn, left to the worker.
 */
export async function deliverNow(id: number): Promise<Outcome | null> {
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

  const start = (item: OutboxRow) => {
    const delivery: Promise<void> = deliver(item)
      .then((outcome) => void report[outcome.result === "retry" ? "retried" : outcome.result]++)
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
    } finally {
      claiming = null;
    }
  };
  function look(): boolean {
    if (!open || now().getTime() >= until) return false;
    again = true;
    claiming ??= claimFree();
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

/**
 * Sends an item again: a failed one goes back in the queue as it was (after a fix at the other end),
 * a delivered webhook is queued anew as a copy. Returns the id of the item that will go out.
 */
export async function replay(companyId: string, id: number): Promise<number> {
  const db = await getDb();
  const [item] = await db
    .select()
    .from(outbox)
    .where(and(eq(outbox.id, id), eq(outbox.companyId, companyId)));
  if (!item) throw fail.notFound();
  let queued = item.id;
  if (item.status === "failed" && item.kind === "rotor" && (await overtaken(item))) {
    throw fail.conflict(
      "Newer submissions of this person already reached Rotor; sending this older one would overwrite them",
    );
  }
  if (item.status === "failed") {
    await db
      .update(outbox)
      .set({ status: "pending", attempts: 0, nextAttemptAt: now(), lockedUntil: null })
      .where(eq(outbox.id, item.id));
  } else if (item.status === "delivered" && item.kind === "webhook") {
    const [copy] = await db
      .insert(outbox)
      .values({
        companyId,
        kind: item.kind,
        sequence: item.sequence,
        endpointId: item.endpointId,
        event: item.event,
        payload: item.payload,
        leadId: item.leadId,
        // The same event: the time it happened stays.
        createdAt: item.createdAt,
        nextAttemptAt: now(),
      })
      .returning({ id: outbox.id });
    queued = copy!.id;
  } else {
    throw fail.conflict(
      item.status === "pending"
        ? "This item is still waiting to go out"
        : "A submission that reached Rotor is not sent twice",
    );
  }
  // Replay is an admin's "send it now": a paused endpoint is resumed for it (and paused again at
  // its next failure).
  if (item.endpointId) await resumeEndpoint(companyId, item.endpointId);
  kickOutbox();
  return queued;
}

/** Whether a later submission of the same person was delivered after this one failed. */
async function overtaken(item: OutboxRow): Promise<boolean> {
  const keys = [item.sequence, item.altSequence].filter((k): k is string => k !== null);
  const db = await getDb();
  const [later] = await db
    .select({ id: outbox.id })
    .from(outbox)
    .where(
      and(
        eq(outbox.kind, "rotor"),
        eq(outbox.status, "delivered"),
        gt(outbox.id, item.id),
        or(inArray(outbox.sequence, keys), inArray(outbox.altSequence, keys)),
      ),
    )
    .limit(1);
  return later !== undefined;
}

export const outboxQuerySchema = z.object({
  status: z
    .enum(["pending", "delivered", "failed"], { error: "Must be pending, delivered or failed" })
    .optional(),
  kind: z.enum(["rotor", "webhook"], { error: "Must be rotor or webhook" }).optional(),
  page: z.coerce.number({ error: "Must be a page number" }).int().min(1).max(100_000).default(1),
});
export type OutboxQuery = z.infer<typeof outboxQuerySchema>;

export interface OutboxEntry {
  id: number;
  kind: "rotor" | "webhook";
  event: string | null;
  target: string;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  leadId: string | null;
  createdAt: string;
  nextAttemptAt: string;
  deliveredAt: string | null;
}

export const OUTBOX_PAGE_SIZE = 50;

/** The delivery log, newest first, without the payloads (they hold people's details). */
export async function listOutbox(
  companyId: string,
  query: OutboxQuery,
): Promise<{ entries: OutboxEntry[]; hasMore: boolean }> {
  const db = await getDb();
  const rows = await db
    .select({ item: outbox, url: webhookEndpoints.url, pausedUntil: webhookEndpoints.pausedUntil })
    .from(outbox)
    .leftJoin(webhookEndpoints, eq(webhookEndpoints.id, outbox.endpointId))
    .where(
      and(
        eq(outbox.companyId, companyId),
        query.status ? eq(outbox.status, query.status) : undefined,
        query.kind ? eq(outbox.kind, query.kind) : undefined,
      ),
    )
    .orderBy(desc(outbox.id))
    .limit(OUTBOX_PAGE_SIZE + 1)
    .offset((query.page - 1) * OUTBOX_PAGE_SIZE);
  // What waits for a paused endpoint goes when the pause ends, if not later.
  const nextAttempt = (item: OutboxRow, pausedUntil: Date | null) =>
    item.status === "pending" && pausedUntil && pausedUntil > item.nextAttemptAt
      ? pausedUntil
      : item.nextAttemptAt;
  const entries = rows.slice(0, OUTBOX_PAGE_SIZE).map(({ item, url, pausedUntil }) => ({
    id: item.id,
    kind: item.kind,
    event: item.event,
    target: item.kind === "rotor" ? "Rotor" : (url ?? "(removed endpoint)"),
    status: item.status,
    attempts: item.attempts,
    lastStatus: item.lastStatus,
    lastError: item.lastError,
    leadId: item.leadId,
    createdAt: item.createdAt.toISOString(),
    nextAttemptAt: nextAttempt(item, pausedUntil).toISOString(),
    deliveredAt: item.deliveredAt?.toISOString() ?? null,
  }));
  return { entries, hasMore: rows.length > OUTBOX_PAGE_SIZE };
}

/** How many items wait, and how many failed, per kind. */
export async function outboxCounts(companyId: string): Promise<Record<"pending" | "failed", number>> {
  const db = await getDb();
  const rows = await db
    .select({ status: outbox.status, n: count() })
    .from(outbox)
    .where(and(eq(outbox.companyId, companyId), inArray(outbox.status, ["pending", "failed"])))
    .groupBy(outbox.status);
  const counts = { pending: 0, failed: 0 };
  for (const row of rows) counts[row.status as "pending" | "failed"] = Number(row.n);
  return counts;
}
