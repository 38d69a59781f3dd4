import { and, count, desc, eq, gt, inArray, or, sql } from "drizzle-orm";
import { z } from "zod";
import { now } from "@/lib/clock";
import { getDb } from "@/lib/db/client";
import { OUTBOX_KINDS, outbox, type OutboxRow, users, webhookEndpoints } from "@/lib/db/schema";
import { fail } from "@/lib/errors";
import { resumeEndpoint } from "@/lib/webhooks/breaker";
import { kickOutbox } from "./kick";

/**
 * The delivery log, as the admin's Deliveries page and its JSON route show it: each item's state
 * without its payload, the counts of what waits and what failed, and Replay.
 */

export const outboxQuerySchema = z.object({
  status: z
    .enum(["pending", "delivered", "failed"], { error: "Must be pending, delivered or failed" })
    .optional(),
  kind: z.enum(OUTBOX_KINDS, { error: `Must be one of ${OUTBOX_KINDS.join(", ")}` }).optional(),
  page: z.coerce.number({ error: "Must be a page number" }).int().min(1).max(100_000).default(1),
});
export type OutboxQuery = z.infer<typeof outboxQuerySchema>;

export interface OutboxEntry {
  id: number;
  kind: OutboxRow["kind"];
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
    .select({
      item: outbox,
      url: webhookEndpoints.url,
      pausedUntil: webhookEndpoints.pausedUntil,
      staff: users.email,
      // Whom a message went to, not what it said.
      to: sql<string | null>`coalesce(${outbox.payload}->'message'->>'to', ${outbox.payload}->>'to')`,
      purpose: sql<string | null>`${outbox.payload}->>'purpose'`,
    })
    .from(outbox)
    .leftJoin(webhookEndpoints, eq(webhookEndpoints.id, outbox.endpointId))
    .leftJoin(users, eq(users.id, outbox.userId))
    .where(
      and(
        eq(outbox.companyId, companyId),
        query.status ? eq(outbox.status, query.status) : undefined,
        query.kind ? eq(outbox.kind, query.kind) : undefined,
        // An alert that became its messages is bookkeeping: its messages are the deliveries. One
        // that has not (waiting, or failed) is shown.
        query.kind === "alert"
          ? undefined
          : sql`not (${outbox.kind} = 'alert' and ${outbox.status} = 'delivered')`,
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
  const target = (row: (typeof rows)[number]): string => {
    const { item, url, staff, to, purpose } = row;
    switch (item.kind) {
      case "rotor":
        return "Rotor";
      case "webhook":
        return url ?? "(removed endpoint)";
      case "alert":
        return "Alerts of a new submission";
      case "digest":
        return `Morning digest to ${staff ?? "(removed user)"}`;
      case "push":
        return `Push to ${staff ?? "(removed user)"}'s device`;
      default:
        return purpose === "reply" ? `Auto-reply to the visitor (${to})` : `Alert to ${staff ?? to}`;
    }
  };
  const entries = rows.slice(0, OUTBOX_PAGE_SIZE).map((row) => ({
    id: row.item.id,
    kind: row.item.kind,
    event: row.item.event,
    target: target(row),
    status: row.item.status,
    attempts: row.item.attempts,
    lastStatus: row.item.lastStatus,
    lastError: row.item.lastError,
    leadId: row.item.leadId,
    createdAt: row.item.createdAt.toISOString(),
    nextAttemptAt: nextAttempt(row.item, row.pausedUntil).toISOString(),
    deliveredAt: row.item.deliveredAt?.toISOString() ?? null,
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
        : item.kind === "rotor"
          ? "A submission that reached Rotor is not sent twice"
          : "What was delivered is not sent twice",
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
