import { createHash } from "node:crypto";
import { and, asc, eq, or, sql } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { type LeadRow, leads } from "@/lib/db/schema";
import { errors } from "@/lib/api/errors";
import { now } from "@/lib/clock";
import { invalidateLeadLists } from "./cache";
import type { LeadChanges } from "./normalise";
import { mergeTags } from "./tags";

export interface UpsertResult {
  lead: LeadRow;
  created: boolean;
}

/** A 64-bit advisory lock number for one identity (a phone or an email) of one company. */
function lockKey(companyId: string, kind: "phone" | "email", value: string): bigint {
  const digest = createHash("sha256").update(`${companyId}\u0000${kind}\u0000${value}`).digest();
  return digest.readBigInt64BE(0);
}

/**
 * Creates or updates a lead of one company: by id; else the lead with the same phone; else the one
 * with the same email; else a new lead. Concurrent submissions of the same person serialise on
 * transaction-scoped advisory locks of their phone and email, so the database, not a race between
 * a read and a write, decides that they make one lead, across any number of app instances.
 */
export async function upsertLead(companyId: string, changes: LeadChanges): Promise<UpsertResult> {
  const db = await getDb();
  const { fields } = changes;
  const phone = typeof fields.phone === "string" ? fields.phone : undefined;
  const emailLc = typeof fields.emailLc === "string" ? fields.emailLc : undefined;

  const result = await db.transaction(async (tx) => {
    let existing: LeadRow | undefined;
    if (changes.id) {
      [existing] = await tx
        .select()
        .from(leads)
        .where(and(eq(leads.id, changes.id), eq(leads.companyId, companyId)))
        .for("update");
      if (!existing) throw errors.notFound();
    } else if (phone || emailLc) {
      const keys: bigint[] = [];
      if (phone) keys.push(lockKey(companyId, "phone", phone));
      if (emailLc) keys.push(lockKey(companyId, "email", emailLc));
      // Always in ascending order, so two transactions wanting the same pair cannot deadlock.
      keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      for (const key of keys) await tx.execute(sql`select pg_advisory_xact_lock(${key.toString()}::bigint)`);

      const phoneMatch = phone ? eq(leads.phone, phone) : undefined;
      const emailMatch = emailLc ? eq(leads.emailLc, emailLc) : undefined;
      [existing] = await tx
        .select()
        .from(leads)
        .where(and(eq(leads.companyId, companyId), or(phoneMatch, emailMatch)))
        // A phone match wins over an email match; among equals the oldest lead is the one.
        .orderBy(
          phone ? sql`coalesce(${leads.phone} = ${phone}, false) desc` : sql`1`,
          asc(leads.createdAt),
          asc(leads.id),
        )
        .limit(1)
        .for("update");
    }

    const at = now();
    if (existing) {
      const tags = mergeTags(existing.tags, changes.tags);
      const [updated] = await tx
        .update(leads)
        .set({ ...fields, tags, tagsLc: tags.map((t) => t.toLowerCase()), updatedAt: at })
        .where(eq(leads.id, existing.id))
        .returning();
      return { lead: updated!, created: false };
    }
    const [inserted] = await tx
      .insert(leads)
      .values({
        ...fields,
        companyId,
        tags: changes.tags,
        tagsLc: changes.tags.map((t) => t.toLowerCase()),
        createdAt: at,
        updatedAt: at,
      })
      .returning();
    return { lead: inserted!, created: true };
  });

  await invalidateLeadLists(companyId);
  return result;
}
