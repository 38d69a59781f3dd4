import { and, eq, gt, isNotNull, lt, or, sql } from "drizzle-orm";
import { now } from "@/lib/clock";
import { getDb } from "@/lib/db/client";
import { outbox, webhookEndpoints } from "@/lib/db/schema";
import { kickOutbox } from "@/lib/outbox/kick";

/**
 * The circuit breaker of an endpoint that fails again and again: after BREAKER_FAILURES failed
 * attempts in a row (of any of its deliveries) it is paused for BREAKER_PAUSE_MS, its waiting
 * deliveries with it, so that a receiver that is down costs neither the worker's time nor other
 * endpoints' turns. When the pause ends the next delivery goes out; until one succeeds, each
 * failure pauses it again. An admin resumes it at once (or replays one of its deliveries).
 */
export const BREAKER_FAILURES = 10;
export const BREAKER_PAUSE_MS = 3_600_000;

/**
 * Records how an attempt went. Returns when the endpoint is paused until, if it is now; its
 * waiting deliveries are moved to then, so that the log says when they will go.
 */
export async function recordAttempt(endpointId: string, ok: boolean): Promise<Date | null> {
  const db = await getDb();
  if (ok) {
    await db
      .update(webhookEndpoints)
      .set({ failureStreak: 0, pausedUntil: null })
      .where(
        and(
          eq(webhookEndpoints.id, endpointId),
          or(gt(webhookEndpoints.failureStreak, 0), isNotNull(webhookEndpoints.pausedUntil)),
        ),
      );
    return null;
  }
  const until = new Date(now().getTime() + BREAKER_PAUSE_MS);
  const [row] = await db
    .update(webhookEndpoints)
    .set({
      failureStreak: sql`${webhookEndpoints.failureStreak} + 1`,
      pausedUntil: sql`case when ${webhookEndpoints.failureStreak} + 1 >= ${BREAKER_FAILURES}
        then ${until.toISOString()}::timestamptz else ${webhookEndpoints.pausedUntil} end`,
    })
    .where(eq(webhookEndpoints.id, endpointId))
    .returning({ pausedUntil: webhookEndpoints.pausedUntil });
  if (!row?.pausedUntil || row.pausedUntil.getTime() !== until.getTime()) return null;
  await db
    .update(outbox)
    .set({ nextAttemptAt: until })
    .where(
      and(eq(outbox.endpointId, endpointId), eq(outbox.status, "pending"), lt(outbox.nextAttemptAt, until)),
    );
  return until;
}

/**
 * Ends an endpoint's pause, if it is paused: its waiting deliveries go out now. It stays on trial:
 * one more failure pauses it again, as when a pause ends by itself.
 */
export async function resumeEndpoint(companyId: string, id: string): Promise<void> {
  const db = await getDb();
  const at = now();
  const [row] = await db
    .update(webhookEndpoints)
    .set({
      pausedUntil: null,
      failureStreak: sql`least(${webhookEndpoints.failureStreak}, ${BREAKER_FAILURES - 1})`,
    })
    .where(
      and(
        eq(webhookEndpoints.id, id),
        eq(webhookEndpoints.companyId, companyId),
        isNotNull(webhookEndpoints.pausedUntil),
      ),
    )
    .returning({ id: webhookEndpoints.id });
  if (!row) return;
  await db
    .update(outbox)
    .set({ nextAttemptAt: at })
    .where(and(eq(outbox.endpointId, id), eq(outbox.status, "pending"), gt(outbox.nextAttemptAt, at)));
  kickOutbox();
}
