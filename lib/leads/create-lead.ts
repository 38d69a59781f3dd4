import type { SessionUser } from "@/lib/auth/users";
import { fail } from "@/lib/errors";
import { type AdminLead, type LeadCreate, toAdminLead } from "./admin";
import { checkAssignee } from "./check-assignee";
import { matchingLead } from "./matching-lead";
import { normaliseLeadInput } from "./normalise";
import { staffActor } from "./actor";
import { upsertLead } from "./upsert";

/**
 * Creates a lead typed in by staff in this portal's database, through the upsert like every other
 * write: when the phone or email is already a lead's, that lead is updated instead (one person, one
 * lead). A new lead records who created it, so a member then sees it. The stage and source typed in
 * describe a new lead, so they apply to new leads only (as an intake form's do). A member whose
 * person is already a lead they may not see changes nothing: the answer is a 409 asking for an admin.
 */
export async function createLead(
  user: SessionUser,
  input: LeadCreate,
): Promise<{ created: boolean; lead: AdminLead }> {
  await checkAssignee(user, input.assigned_to);
  // Nothing to clear on a lead being typed in: null is taken as "not given".
  const given = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null));
  const changes = normaliseLeadInput(given);
  if (input.assigned_to) changes.fields.assignedTo = input.assigned_to;
  const match = await matchingLead(user.companyId, changes);
  if (match && user.role !== "admin" && match.assignedTo !== user.id && match.createdBy !== user.id) {
    throw fail.conflict(
      "This person is already a lead, assigned to someone else. Ask an admin to assign it to you.",
    );
  }
  const { stage, source, ...fields } = changes.fields;
  const defaults = { createdBy: user.id, ...(stage ? { stage } : {}), ...(source ? { source } : {}) };
  const { lead, created } = await upsertLead(user.companyId, { ...changes, fields }, defaults, {
    actor: staffActor(user),
  });
  return { created, lead: toAdminLead(lead) };
}
