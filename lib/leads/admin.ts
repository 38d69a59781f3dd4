import { and, eq, inArray, ne, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "@/lib/auth/users";
import { fail } from "@/lib/errors";
import { getDb } from "@/lib/db/client";
import { type LeadRow, leads, users } from "@/lib/db/schema";
import { invalidateLeadLists } from "./cache";
import { EVERY_LEAD, type ListScope, listConditions } from "./list";
import { matchingLead } from "./matching-lead";
import { type LeadChanges, normaliseLeadInput } from "./normalise";
import { type ApiLead, type LeadInput, leadInputSchema, leadSchema } from "./schema";
import { rotorStore } from "./store/rotor";
import { isUpstream } from "@/lib/rotor/upstream";
import { toApiLead } from "./serialize";
import { upsertLead } from "./upsert";

/** Whose leads a user may see: an admin every lead of the company, a member their own. */
export function scopeOf(user: SessionUser): ListScope {
  return user.role === "admin"
    ? { companyId: user.companyId }
    : { companyId: user.companyId, memberId: user.id };
}

/** The lead as the admin shows it: the API's shape, plus who created it and when it last changed. */
export const adminLeadSchema = leadSchema.extend({
  created_by: z.string().nullable(),
  // Null in upstream mode: Rotor's API does not say when a lead last changed.
  updated_at: z.string().nullable(),
});
export type AdminLead = z.infer<typeof adminLeadSchema>;

const toAdminLead = (row: LeadRow): AdminLead =>
  adminLeadSchema.parse({
    ...toApiLead(row),
    created_by: row.createdBy,
    updated_at: row.updatedAt.toISOString(),
  });

/** One lead the user may see; another company's, or another member's, is as absent as a missing one. */
async function visibleLead(user: SessionUser, id: string): Promise<LeadRow> {
  if (!z.guid().safeParse(id).success) throw fail.notFound();
  const db = await getDb();
  const [row] = await db
    .select()
    .from(leads)
    .where(and(eq(leads.id, id), listConditions(scopeOf(user), EVERY_LEAD)))
    .limit(1);
  if (!row) throw fail.notFound();
  return row;
}

/** A lead from Rotor, in the admin's shape: Rotor says neither who created it nor when it changed. */
const fromRotor = (lead: ApiLead): AdminLead =>
  adminLeadSchema.parse({ ...lead, created_by: null, updated_at: null });

export async function adminLead(user: SessionUser, id: string): Promise<AdminLead> {
  if (await isUpstream(user.companyId)) return fromRotor(await rotorStore.get(user.companyId, id));
  return toAdminLead(await visibleLead(user, id));
}

/**
 * Upstream mode: what the admin may change goes through Rotor's upsert, which cannot archive,
 * assign, or take tags away (given tags are added).
 */
async function upsertUpstream(
  user: SessionUser,
  input: LeadCreate & Pick<LeadEdit, "archived">,
  id?: string,
) {
  if (input.archived !== undefined) throw fail.notUpstream("Archiving");
  if (input.assigned_to !== undefined && input.assigned_to !== null)
    throw fail.notUpstream("Assigning leads");
  const fields: LeadInput = { ...input };
  delete (fields as { assigned_to?: unknown }).assigned_to;
  delete (fields as { archived?: unknown }).archived;
  const { lead, created } = await rotorStore.upsert(user.companyId, id ? { ...fields, id } : fields);
  return { created, lead: fromRotor(lead) };
}

/**
 * What the lead page may change: the API's fields, with the same validation, plus archiving and
 * the assignee. Given tags replace the lead's list (the API merges them).
 */
export const leadEditSchema = leadInputSchema.omit({ id: true }).extend({
  archived: z.boolean({ error: "Must be true or false" }).optional(),
  assigned_to: z.guid({ error: "Must be a user's id" }).nullable().optional(),
});
export type LeadEdit = z.output<typeof leadEditSchema>;

async function checkAssignee(user: SessionUser, assignee: string | null | undefined): Promise<void> {
  if (assignee === undefined) return;
  if (user.role !== "admin") throw fail.adminOnly();
  if (assignee === null) return;
  const db = await getDb();
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, assignee), eq(users.companyId, user.companyId)));
  if (!row) throw fail.validation([{ field: "assigned_to", message: "No such user in this company" }]);
}

/**
 * Whether the phone or email the changes give is also that of a lead the member may not see, other
 * than the one being edited.
 */
async function contactOfHiddenLead(user: SessionUser, changes: LeadChanges, id: string): Promise<boolean> {
  const { phone, emailLc } = changes.fields;
  const contact = [
    typeof phone === "string" ? eq(leads.phone, phone) : undefined,
    typeof emailLc === "string" ? eq(leads.emailLc, emailLc) : undefined,
  ].filter((c) => c !== undefined);
  if (contact.length === 0) return false;
  const db = await getDb();
  const [row] = await db
    .select({ id: leads.id })
    .from(leads)
    .where(
      and(
        eq(leads.companyId, user.companyId),
        ne(leads.id, id),
        or(...contact),
        sql`${leads.assignedTo} is distinct from ${user.id}`,
        sql`${leads.createdBy} is distinct from ${user.id}`,
      ),
    )
    .limit(1);
  return row !== undefined;
}

/**
 * Changes one lead through the upsert, so every rule of the API applies to the admin's edits too. A
 * member may not give their lead the phone or email of a lead they cannot see: that customer's next
 * submissions would reach them. Two such leads are for an admin to merge; the refusal does not say
 * whose the other lead is.
 */
export async function updateLead(user: SessionUser, id: string, input: LeadEdit): Promise<AdminLead> {
  if (await isUpstream(user.companyId)) return (await upsertUpstream(user, input, id)).lead;
  await visibleLead(user, id);
  await checkAssignee(user, input.assigned_to);
  const changes = normaliseLeadInput({ ...input, id });
  if (user.role !== "admin" && (await contactOfHiddenLead(user, changes, id))) {
    throw fail.conflict("This phone or email belongs to another lead. Ask an admin to merge the two leads.");
  }
  if (input.archived !== undefined) changes.fields.archived = input.archived;
  if (input.assigned_to !== undefined) changes.fields.assignedTo = input.assigned_to;
  const { lead } = await upsertLead(user.companyId, changes, {}, { replaceTags: input.tags !== undefined });
  return toAdminLead(lead);
}

/** A lead typed in by staff: the API's fields (null means nothing here), and for admins the assignee. */
export const leadCreateSchema = leadInputSchema
  .omit({ id: true })
  .extend({ assigned_to: z.guid({ error: "Must be a user's id" }).nullable().optional() });
export type LeadCreate = z.output<typeof leadCreateSchema>;

/**
 * Creates a lead from the admin, through the upsert like every other write: when the phone or email
 * is already a lead's, that lead is updated instead (one person, one lead). A new lead records who
 * created it, so a member then sees it. The stage and source typed in describe a new lead, so they
 * apply to new leads only (as an intake form's do). A member whose person is already a lead they
 * may not see changes nothing: the answer is a 409 asking for an admin.
 */
export async function createLead(
  user: SessionUser,
  input: LeadCreate,
): Promise<{ created: boolean; lead: AdminLead }> {
  if (await isUpstream(user.companyId)) {
    const given = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null));
    return upsertUpstream(user, given);
  }
  await checkAssignee(user, input.assigned_to);
  // Nothing to clear on a lead being typed in: null is taken as "not given".
  const given = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null));
  const changes = normaliseLeadInput(given);
  if (input.assigned_to) changes.fields.assignedTo = input.assigned_to;
  const match = await matchingLead(user.companyId, changes);
  const seen =
    match && (user.role === "admin" || match.assignedTo === user.id || match.createdBy === user.id);
  if (match && !seen) {
    throw fail.conflict(
      "This person is already a lead, assigned to someone else. Ask an admin to assign it to you.",
    );
  }
  const { stage, source, ...fields } = changes.fields;
  const defaults = { createdBy: user.id, ...(stage ? { stage } : {}), ...(source ? { source } : {}) };
  const { lead, created } = await upsertLead(user.companyId, { ...changes, fields }, defaults);
  return { created, lead: toAdminLead(lead) };
}

export const BULK_ACTIONS = ["archive", "unarchive", "add_tag", "set_stage"] as const;

export const bulkSchema = z
  .object({
    ids: z
      .array(z.guid({ error: "Must be a lead id" }), { error: "Must be an array of lead ids" })
      .min(1, { error: "Select at least one lead" })
      .max(1000, { error: "At most 1000 leads at once" }),
    action: z.enum(BULK_ACTIONS, { error: `Must be one of: ${BULK_ACTIONS.join(", ")}` }),
    value: z.string({ error: "Must be a string" }).trim().max(100).optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.action === "add_tag" || v.action === "set_stage") && !v.value) {
      ctx.addIssue({ code: "custom", path: ["value"], message: "Required for this action" });
    }
  });
export type BulkChange = z.output<typeof bulkSchema>;

/**
 * Applies one action to the selected leads the user may see, each through the upsert; the company's
 * cached lists go stale once at the end. Returns how many leads changed.
 */
export async function bulkUpdate(user: SessionUser, input: BulkChange): Promise<{ updated: number }> {
  if (await isUpstream(user.companyId)) throw fail.notUpstream("Changing many leads at once");
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
        { invalidate: false },
      );
    }
  } finally {
    if (visible.length > 0) await invalidateLeadLists(user.companyId);
  }
  return { updated: visible.length };
}

/** The company's users, for the assignee list. */
export async function assignableUsers(companyId: string): Promise<{ id: string; label: string }[]> {
  const db = await getDb();
  const rows = await db
    .select({ id: users.id, email: users.email, name: users.name })
    .from(users)
    .where(eq(users.companyId, companyId))
    .orderBy(sql`coalesce(${users.name}, ${users.email})`);
  return rows.map((u) => ({ id: u.id, label: u.name ? `${u.name} (${u.email})` : u.email }));
}
