import { and, inArray } from "drizzle-orm";
import type { SessionUser } from "@/lib/auth/users";
import { getDb } from "@/lib/db/client";
import { leads } from "@/lib/db/schema";
import { type BulkChange, scopeOf } from "./admin";
import { invalidateLeadLists } from "./cache";
import { EVERY_LEAD, listConditions } from "./list";
import { staffActor } from "./actor";
import { upsertLead } from "./upsert";

/**
 * Applies one action to the selected leads the user may see, each through the upsert; the company's
 * cached lists go stale once at the end. Returns how many leads changed.
 */
export async function bulkUpdate(user: SessionUser, input: BulkChange): Promise<{ updated: number }> {
  const db = await getDb();
  const visible = await db
    .select({ id: leads.id })
    .from(leads)
    .where(and(inArray(leads.id, [...new Set(input.ids)]), listConditions(scopeOf(user), EVERY_LEAD)));
  const base = {
    archive: { fields: { archived: true }, tags: [] },
    unarchive: { fields: { archived: false }, tags: [] },
    add_tag: { fields: {}, tags: [input.value ?? ""] },
    set_stage: { fields: { stage: input.value ?? null }, tags: [] },
  }[input.action];
  try {
    for (const { id } of visible) {
      await upsertLead(
        user.companyId,
        { id, fields: { ...base.fields }, tags: base.tags },
        {},
        { invalidate: false, actor: staffActor(user) },
      );
    }
  } finally {
    if (visible.length > 0) await invalidateLeadLists(user.companyId);
  }
  return { updated: visible.length };
}
