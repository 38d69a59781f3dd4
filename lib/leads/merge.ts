import { and, eq, getTableColumns, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "@/lib/auth/users";
import { now } from "@/lib/clock";
import { type Db, getDb } from "@/lib/db/client";
import { type LeadRow, leadHistory, leadMerges, leads } from "@/lib/db/schema";
import { fail } from "@/lib/errors";
import { kickOutbox } from "@/lib/outbox/kick";
import { queueLeadEventIn } from "@/lib/outbox/queue";
import { type AdminLead, toAdminLead } from "./admin";
import { staffActor } from "./actor";
import { invalidateLeadLists } from "./cache";
import { dismissDuplicate } from "./duplicates";
import { markRead } from "./reads";
import { toApiLead } from "./serialize";
import { rowFromJson } from "./upsert";

/**
 * Two leads made one (an admin's choice, from lib/leads/duplicates.ts's suggestions or any two
 * leads): the survivor keeps its id and takes, field by field, the other's value where staff chose
 * it; tags are united; the earliest first response stands; the other's history, submissions,
 * proposed changes and outbox items move to the survivor. The other lead leaves the leads table,
 * so its id answers 404 in the API, and its row is kept whole in lead_merges, with what moved and
 * what changed, so that the merge can be undone for a day. Webhooks hear `lead.merged`.
 */

/** What staff choose per field: the survivor's value, or the other's. An address goes as a whole. */
export const MERGE_CHOICES = {
  name: ["name"],
  email: ["email", "emailLc"],
  phone: ["phone", "phoneDigits"],
  address: [
    "addressStreet1",
    "addressStreet2",
    "addressCity",
    "addressState",
    "addressZip",
    "addressCountry",
    "latitude",
    "longitude",
  ],
  follow_up_date: ["followUpDate"],
  notes: ["notes"],
  priority: ["priority"],
  projected_value: ["projectedValue"],
  service_type: ["serviceType"],
  source: ["source"],
  stage: ["stage"],
  assigned_to: ["assignedTo"],
} as const satisfies Record<string, readonly (keyof LeadRow)[]>;
export type MergeChoice = keyof typeof MERGE_CHOICES;
const CHOICE_NAMES = Object.keys(MERGE_CHOICES) as [MergeChoice, ...MergeChoice[]];

export const UNDO_HOURS = 24;

const leadId = z.guid({ error: "Must be a lead id" });
const twoLeads = z
  .tuple([leadId, leadId], { error: "Must be two lead ids" })
  .refine(([a, b]) => a !== b, { error: "Choose two different leads" });

/** The merge actions the bulk endpoint takes besides its own (app/api/admin/leads/bulk/route.ts). */
export const mergeActionSchema = z.discriminatedUnion(
  "action",
  [
    z.object({
      action: z.literal("merge"),
      // The lead that stays first, the one that joins it second.
      ids: twoLeads,
      take: z
        .array(z.enum(CHOICE_NAMES, { error: `Must be among: ${CHOICE_NAMES.join(", ")}` }), {
          error: "Must be an array of field names",
        })
        .default([]),
    }),
    z.object({ action: z.literal("undo_merge"), merge_id: z.guid({ error: "Must be a merge id" }) }),
    z.object({ action: z.literal("not_duplicates"), ids: twoLeads }),
  ],
  { error: "Must be one of: merge, undo_merge, not_duplicates" },
);
export type MergeAction = z.output<typeof mergeActionSchema>;
export const MERGE_ACTIONS: readonly string[] = ["merge", "undo_merge", "not_duplicates"];

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
type Json = Record<string, unknown>;
const rows = <T>(result: unknown) => (result as { rows: T[] }).rows;

/** A value as JSON keeps it (dates as ISO text), so that before and after compare as stored. */
const asJson = (value: unknown): unknown => (value === undefined ? null : JSON.parse(JSON.stringify(value)));
const same = (a: unknown, b: unknown) => JSON.stringify(asJson(a)) === JSON.stringify(asJson(b));

/** The API fields two versions of a lead differ in, for its history. */
function apiChanges(before: LeadRow, after: LeadRow): Record<string, [unknown, unknown]> {
  const a = toApiLead(before) as Json;
  const b = toApiLead(after) as Json;
  const mirrors = /^property_|^lead_source$|^value_score$/;
  const changes: Record<string, [unknown, unknown]> = {};
  for (const key of Object.keys(a))
    if (!mirrors.test(key) && !same(a[key], b[key])) changes[key] = [a[key], b[key]];
  return changes;
}

function unitedTags(keep: LeadRow, other: LeadRow): Pick<LeadRow, "tags" | "tagsLc"> {
  const tags = [...keep.tags];
  const tagsLc = [...keep.tagsLc];
  other.tags.forEach((tag, i) => {
    const lc = other.tagsLc[i] ?? tag.toLowerCase();
    if (!tagsLc.includes(lc)) {
      tags.push(tag);
      tagsLc.push(lc);
    }
  });
  return { tags, tagsLc };
}

/** The survivor as the merge leaves it. */
function mergedRow(keep: LeadRow, other: LeadRow, take: readonly MergeChoice[]): LeadRow {
  const row: LeadRow = { ...keep, ...unitedTags(keep, other) };
  const target = row as unknown as Json;
  for (const choice of take) for (const column of MERGE_CHOICES[choice]) target[column] = other[column];
  if (other.firstResponseAt && (!keep.firstResponseAt || other.firstResponseAt < keep.firstResponseAt)) {
    row.firstResponseAt = other.firstResponseAt;
    row.firstResponseBy = other.firstResponseBy;
  }
  // One of the two still being worked keeps the lead in the lists.
  if (keep.archived && !other.archived) {
    row.archived = false;
    row.archivedAt = null;
  }
  return row;
}

const WRITABLE = Object.entries(getTableColumns(leads)).filter(([key]) => key !== "searchText");

/** The columns of a lead that differ between two versions: {column: [before, after]} as JSON. */
function columnChanges(before: LeadRow, after: LeadRow): Record<string, [unknown, unknown]> {
  const changes: Record<string, [unknown, unknown]> = {};
  for (const [key] of WRITABLE) {
    const k = key as keyof LeadRow;
    if (!same(before[k], after[k])) changes[key] = [asJson(before[k]), asJson(after[k])];
  }
  return changes;
}

/** Values of `changes` (as JSON) back as the row's types, for an update. */
function fromJson(changes: Record<string, unknown>): Partial<LeadRow> {
  const out: Json = {};
  for (const [key, column] of WRITABLE) {
    if (!(key in changes)) continue;
    const value = changes[key];
    out[key] = value !== null && column.dataType === "date" ? new Date(value as string) : value;
  }
  return out as Partial<LeadRow>;
}

function requireAdmin(user: SessionUser) {
  if (user.role !== "admin") throw fail.adminOnly();
}

async function historyEntry(tx: Tx, user: SessionUser, leadId: string, data: Json, at: Date) {
  const actor = staffActor(user);
  await tx.insert(leadHistory).values({
    companyId: user.companyId,
    leadId,
    at,
    kind: "merge",
    actorUserId: user.id,
    actorName: actor.kind === "staff" ? actor.name : null,
    data,
  });
}

/** Moves the rows of one lead's to another, or only those listed; returns the ids moved. */
async function moveRows(tx: Tx, from: string, to: string, only?: Record<string, (string | number)[]>) {
  const tables = {
    history: "lead_history",
    submissions: "submissions",
    proposals: "lead_proposals",
    outbox: "outbox",
  };
  const moved: Record<string, (string | number)[]> = {};
  for (const [name, table] of Object.entries(tables)) {
    const ids = only?.[name];
    if (ids && ids.length === 0) {
      moved[name] = [];
      continue;
    }
    const filter = ids
      ? sql` and id::text in (${sql.join(
          ids.map((id) => sql`${String(id)}`),
          sql`, `,
        )})`
      : sql``;
    const result = await tx.execute(
      sql`update ${sql.raw(table)} set lead_id = ${to} where lead_id = ${from}${filter} returning id`,
    );
    moved[name] = rows<{ id: string | number }>(result).map((r) =>
      typeof r.id === "string" ? r.id : Number(r.id),
    );
  }
  return moved;
}

/** Merges `ids[1]` into `ids[0]`, taking the listed fields from `ids[1]`. */
export async function mergeLeads(
  user: SessionUser,
  ids: readonly [string, string],
  take: readonly MergeChoice[],
): Promise<{ mergeId: string; lead: AdminLead }> {
  requireAdmin(user);
  const [keepId, otherId] = ids;
  const db = await getDb();
  const at = now();
  const { mergeId, lead, queued } = await db.transaction(async (tx) => {
    const found = await tx
      .select()
      .from(leads)
      .where(and(inArray(leads.id, [keepId, otherId]), eq(leads.companyId, user.companyId)))
      .orderBy(leads.id)
      .for("update");
    const keep = found.find((r) => r.id === keepId);
    const other = found.find((r) => r.id === otherId);
    if (!keep || !other) throw fail.notFound();
    const after = { ...mergedRow(keep, other, take), updatedAt: at };
    const changes = columnChanges(keep, after);
    const [otherJson] = rows<{ row: Json }>(
      await tx.execute(sql`select to_jsonb(l) - 'search_text' as row from leads l where id = ${otherId}`),
    );
    const moved = await moveRows(tx, otherId, keepId);
    await tx
      .update(leads)
      .set(fromJson(Object.fromEntries(Object.entries(changes).map(([k, [, v]]) => [k, v]))))
      .where(eq(leads.id, keepId));
    await tx.delete(leads).where(eq(leads.id, otherId));
    const [record] = await tx
      .insert(leadMerges)
      .values({
        companyId: user.companyId,
        survivorId: keepId,
        mergedId: otherId,
        mergedRow: otherJson!.row,
        changes,
        moved,
        at,
        byUserId: user.id,
      })
      .returning({ id: leadMerges.id });
    const merged = { id: otherId, name: other.name ?? other.email ?? other.phone };
    await historyEntry(
      tx,
      user,
      keepId,
      { merged, merge_id: record!.id, changes: apiChanges(keep, after) },
      at,
    );
    const queued = await queueLeadEventIn(tx, user.companyId, keepId, "lead.merged", {
      api_lead: toApiLead(after),
      merged_id: otherId,
    });
    return { mergeId: record!.id, lead: toAdminLead(after), queued };
  });
  await invalidateLeadLists(user.companyId);
  // The one who merged has seen the result: it is not Updated for them.
  await markRead(user.id, [keepId]);
  if (queued > 0) kickOutbox();
  return { mergeId, lead };
}

/**
 * Undoes a merge of the last day: the merged lead comes back as it was, with what moved back to it;
 * the survivor's fields the merge changed go back where nobody changed them since, and the tags
 * the merge brought leave it unless they were added again.
 */
export async function undoMerge(
  user: SessionUser,
  mergeId: string,
): Promise<{ survivor: string; restored: string }> {
  requireAdmin(user);
  const db = await getDb();
  const at = now();
  const queued = await db.transaction(async (tx) => {
    const [merge] = await tx
      .select()
      .from(leadMerges)
      .where(and(eq(leadMerges.id, mergeId), eq(leadMerges.companyId, user.companyId)))
      .for("update");
    if (!merge) throw fail.notFound();
    if (merge.undoneAt) throw fail.conflict("This merge was undone already");
    if (at.getTime() - merge.at.getTime() > UNDO_HOURS * 3600_000) {
      throw fail.conflict(`A merge can be undone for ${UNDO_HOURS} hours; this one is older`);
    }
    const [survivor] = await tx
      .select()
      .from(leads)
      .where(and(eq(leads.id, merge.survivorId), eq(leads.companyId, user.companyId)))
      .for("update");
    if (!survivor) {
      throw fail.conflict(
        "The lead this one joined has since been merged into another: undo that merge first",
      );
    }
    const restored = rowFromJson(merge.mergedRow as Json);
    const columns = WRITABLE.map(([, column]) => sql.identifier(column.name));
    await tx.execute(sql`insert into leads (${sql.join(columns, sql`, `)})
      select ${sql.join(columns, sql`, `)} from jsonb_populate_record(null::leads, ${JSON.stringify(merge.mergedRow)}::jsonb)`);
    await moveRows(tx, survivor.id, restored.id, merge.moved as Record<string, (string | number)[]>);
    // Each field back, where it still holds what the merge wrote.
    const changes = merge.changes as Record<string, [unknown, unknown]>;
    const back: Json = {};
    for (const [column, [before, after]] of Object.entries(changes)) {
      if (column === "tags" || column === "tagsLc" || column === "updatedAt") continue;
      if (same(survivor[column as keyof LeadRow], after)) back[column] = before;
    }
    const brought = new Set(
      restored.tagsLc.filter((t) => !((changes.tagsLc?.[0] as string[]) ?? survivor.tagsLc).includes(t)),
    );
    if (changes.tagsLc) {
      const keptAt = survivor.tagsLc.map((t, i) => (brought.has(t) ? -1 : i)).filter((i) => i >= 0);
      back.tags = keptAt.map((i) => survivor.tags[i]);
      back.tagsLc = keptAt.map((i) => survivor.tagsLc[i]);
    }
    const after = { ...survivor, ...fromJson(back), updatedAt: at } as LeadRow;
    await tx
      .update(leads)
      .set({ ...fromJson(back), updatedAt: at })
      .where(eq(leads.id, survivor.id));
    await tx.update(leadMerges).set({ undoneAt: at }).where(eq(leadMerges.id, merge.id));
    const restoredName = { id: restored.id, name: restored.name ?? restored.email ?? restored.phone };
    await historyEntry(
      tx,
      user,
      survivor.id,
      { undone: restoredName, merge_id: merge.id, changes: apiChanges(survivor, after) },
      at,
    );
    await historyEntry(
      tx,
      user,
      restored.id,
      { restored_from: survivor.id, merge_id: merge.id, changes: {} },
      at,
    );
    return (
      (await queueLeadEventIn(tx, user.companyId, survivor.id, "lead.updated", {
        api_lead: toApiLead(after),
      })) +
      (await queueLeadEventIn(tx, user.companyId, restored.id, "lead.unmerged", {
        api_lead: toApiLead(restored),
        survivor_id: survivor.id,
      }))
    );
  });
  await invalidateLeadLists(user.companyId);
  const [merge] = await db.select().from(leadMerges).where(eq(leadMerges.id, mergeId));
  await markRead(user.id, [merge!.survivorId, merge!.mergedId]);
  if (queued > 0) kickOutbox();
  return { survivor: merge!.survivorId, restored: merge!.mergedId };
}

/** The merge bulk action's answer. */
export async function runMergeAction(user: SessionUser, action: MergeAction): Promise<Json> {
  switch (action.action) {
    case "merge": {
      const { mergeId, lead } = await mergeLeads(user, action.ids, action.take);
      return { data: lead, merge_id: mergeId, status: "success" };
    }
    case "undo_merge":
      return { ...(await undoMerge(user, action.merge_id)), status: "success" };
    case "not_duplicates":
      requireAdmin(user);
      await dismissDuplicate(user.companyId, action.ids, now());
      return { status: "success" };
  }
}

/**
 * Where a merged lead's id leads now (the admin redirects there): the lead it joined, or the one
 * that joined in turn, following at most a few merges. Null when it was never merged, or undone.
 */
export async function mergedInto(companyId: string, id: string): Promise<string | null> {
  if (!z.guid().safeParse(id).success) return null;
  const db = await getDb();
  const result = await db.execute(sql`
    with recursive chain(id, depth) as (
      select survivor_id, 1 from lead_merges
      where company_id = ${companyId} and merged_id = ${id} and undone_at is null
      union all
      select m.survivor_id, c.depth + 1 from lead_merges m join chain c on m.merged_id = c.id
      where m.company_id = ${companyId} and m.undone_at is null and c.depth < 10
    )
    select c.id from chain c join leads l on l.id = c.id order by c.depth desc limit 1`);
  return rows<{ id: string }>(result)[0]?.id ?? null;
}

/** The merges into a lead that can still be undone, newest first (the lead page offers the undo). */
export async function undoableMerges(
  companyId: string,
  survivorId: string,
): Promise<{ id: string; at: string; name: string | null }[]> {
  const db = await getDb();
  const since = new Date(now().getTime() - UNDO_HOURS * 3600_000);
  const result = await db.execute(sql`
    select id, at, merged_row->>'name' as name, merged_row->>'email' as email, merged_row->>'phone' as phone
    from lead_merges
    where company_id = ${companyId} and survivor_id = ${survivorId} and undone_at is null
      and at > ${since.toISOString()}
    order by at desc`);
  return rows<{
    id: string;
    at: string | Date;
    name: string | null;
    email: string | null;
    phone: string | null;
  }>(result).map((r) => ({ id: r.id, at: new Date(r.at).toISOString(), name: r.name ?? r.email ?? r.phone }));
}
