import { and, eq, gt, inArray, isNull, or, sql } from "drizzle-orm";
import { z } from "zod";
import { now } from "@/lib/clock";
import { getDb } from "@/lib/db/client";
import { leadReads, leads, users } from "@/lib/db/schema";

/**
 * What each user has seen: when they last opened (or wrote) each lead, and so which leads are new
 * or changed for them since. Marks are per user, so they are never part of a cached list.
 */

export type Mark = "new" | "changed";

const isLeadId = (id: string) => z.guid().safeParse(id).success;

/** "Mark all as read" on a page of the list: its leads' ids. */
export const markReadSchema = z.object({
  read: z
    .array(z.guid({ error: "Must be a lead id" }), { error: "Must be an array of lead ids" })
    .min(1, { error: "Name at least one lead" })
    .max(1000, { error: "At most 1000 leads at once" }),
});

/**
 * Records that the user has seen these leads as they are now: a lead page opened, a write of their
 * own, "Mark all as read". Leads of another company, or no lead at all, are passed over.
 */
export async function markRead(userId: string, leadIds: readonly string[]): Promise<void> {
  const ids = [...new Set(leadIds)].filter(isLeadId);
  if (ids.length === 0) return;
  const db = await getDb();
  await db
    .insert(leadReads)
    .select(
      db
        .select({
          userId: users.id,
          leadId: leads.id,
          // Never before the lead's last write: one stamped by a clock a little ahead (another
          // instance's) must not show the user their own edit as a change.
          seenAt: sql<Date>`greatest(${now().toISOString()}::timestamptz, ${leads.updatedAt})`.as("seen_at"),
        })
        .from(users)
        .innerJoin(leads, eq(leads.companyId, users.companyId))
        .where(and(eq(users.id, userId), inArray(leads.id, ids))),
    )
    .onConflictDoUpdate({
      target: [leadReads.userId, leadReads.leadId],
      set: { seenAt: sql`greatest(${leadReads.seenAt}, excluded.seen_at)` },
    });
}

/**
 * The marks on a page of leads for one user, in one query by primary keys: "new" when they never
 * opened it and it came in after their marking began (users.seen_since), "changed" when it was
 * written after they last saw it. Leads with neither are left out.
 */
export async function leadMarks(userId: string, leadIds: readonly string[]): Promise<Record<string, Mark>> {
  const ids = leadIds.filter(isLeadId);
  if (ids.length === 0) return {};
  const db = await getDb();
  const rows = await db
    .select({ id: leads.id, seenAt: leadReads.seenAt })
    .from(leads)
    .innerJoin(users, and(eq(users.id, userId), eq(users.companyId, leads.companyId)))
    .leftJoin(leadReads, and(eq(leadReads.userId, userId), eq(leadReads.leadId, leads.id)))
    .where(
      and(
        inArray(leads.id, ids),
        or(
          and(isNull(leadReads.seenAt), gt(leads.createdAt, users.seenSince)),
          gt(leads.updatedAt, leadReads.seenAt),
        ),
      ),
    );
  return Object.fromEntries(rows.map((r) => [r.id, r.seenAt === null ? "new" : "changed"]));
}
