import { and, eq, ne, or, sql } from "drizzle-orm";
import type { SessionUser } from "@/lib/auth/users";
import { getDb } from "@/lib/db/client";
import { leads } from "@/lib/db/schema";
import { fail } from "@/lib/errors";
import { type AdminLead, type LeadEdit, toAdminLead } from "./admin";
import { checkAssignee } from "./check-assignee";
import { type LeadChanges, normaliseLeadInput } from "./normalise";
import { staffActor } from "./actor";
import { upsertLead } from "./upsert";
import { visibleLead } from "./visible-lead";

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
 * Changes one lead of this portal's database through the upsert, so every rule of the API applies
 * to the admin's edits too; given tags replace the lead's. A member may not give their lead the
 * phone or email of a lead they cannot see: that customer's next submissions would reach them. Two
 * such leads are for an admin to merge; the refusal does not say whose the other lead is.
 */
export async function updateLead(user: SessionUser, id: string, input: LeadEdit): Promise<AdminLead> {
  await visibleLead(user, id);
  await checkAssignee(user, input.assigned_to);
  const changes = normaliseLeadInput({ ...input, id });
  if (user.role !== "admin" && (await contactOfHiddenLead(user, changes, id))) {
    throw fail.conflict("This phone or email belongs to another lead. Ask an admin to merge the two leads.");
  }
  if (input.archived !== undefined) changes.fields.archived = input.archived;
  if (input.assigned_to !== undefined) changes.fields.assignedTo = input.assigned_to;
  const { lead } = await upsertLead(
    user.companyId,
    changes,
    {},
    {
      replaceTags: input.tags !== undefined,
      actor: staffActor(user),
    },
  );
  return toAdminLead(lead);
}
