import { and, eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { webhookEndpoints } from "@/lib/db/schema";

const TTL_MS = 10_000;
const known = new Map<string, { active: boolean; until: number }>();

/**
 * Whether a company has an active webhook endpoint, kept 10 s per process: a lead write starts the
 * outbox's worker only then, so that writes without webhooks cost nothing more. (The events
 * themselves are queued by the database whatever this says; the timer or cron job sends any that a
 * stale answer left waiting.)
 */
export async function hasActiveEndpoints(companyId: string): Promise<boolean> {
  const hit = known.get(companyId);
  if (hit && hit.until > Date.now()) return hit.active;
  const db = await getDb();
  const rows = await db
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.companyId, companyId), eq(webhookEndpoints.active, true)))
    .limit(1);
  if (known.size > 10_000) known.clear();
  known.set(companyId, { active: rows.length > 0, until: Date.now() + TTL_MS });
  return rows.length > 0;
}

/** Forgets what this process knows of a company's endpoints, after it changed them. */
export function endpointsChanged(companyId: string): void {
  known.delete(companyId);
}
