import { withSession } from "@/lib/api/with-session";
import { readJsonAs } from "@/lib/http/body";
import { jsonResponse } from "@/lib/api/respond";
import { leadEditSchema } from "@/lib/leads/admin";
import { erasePerson } from "@/lib/leads/person";
import { leadStore } from "@/lib/leads/store";
import { checkLeadEdit } from "@/lib/leads/staff-rules";

// Vercel gives routes of one configuration one function: this (the default limit, stated) puts
// the admin's API in a function of its own, beside the public one (README, "Deploy on Vercel").
export const maxDuration = 300;

export const GET = withSession<{ id: string }>({}, async ({ user, params }) => {
  const lead = await (await leadStore(user.companyId)).getForStaff(user, params.id);
  return jsonResponse({ data: lead, status: "success" });
});

export const PATCH = withSession<{ id: string }>({}, async ({ req, user, params }) => {
  const input = await readJsonAs(req, leadEditSchema);
  const store = await leadStore(user.companyId);
  await checkLeadEdit(user.companyId, input, () => store.getForStaff(user, params.id));
  const lead = await store.update(user, params.id, input);
  return jsonResponse({ data: lead, status: "success" });
});

/**
 * Erases the person (admins): the lead, its submissions, history and outbox items; an audit entry
 * keeps the counts only.
 */
export const DELETE = withSession<{ id: string }>({ adminOnly: true }, async ({ user, params }) => {
  const counts = await erasePerson(user, params.id);
  return jsonResponse({ message: "Erased", erased: counts, status: "success" });
});
