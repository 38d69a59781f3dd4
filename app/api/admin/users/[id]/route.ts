import { withSession } from "@/lib/api/with-session";
import { jsonResponse } from "@/lib/api/respond";
import { readJsonAs } from "@/lib/http/body";
import { deleteUser, updateUser, userUpdateSchema } from "@/lib/auth/users";

// Vercel gives routes of one configuration one function: this (the default limit, stated) puts
// the admin's API in a function of its own, beside the public one (README, "Deploy on Vercel").
export const maxDuration = 300;

export const DELETE = withSession<{ id: string }>({ adminOnly: true }, async ({ user, params }) => {
  await deleteUser(user.companyId, params.id);
  return jsonResponse({ status: "success", message: "User removed" });
});

/** Changes another user's role, or sets a new password for them (which ends their sessions). */
export const PATCH = withSession<{ id: string }>({ adminOnly: true }, async ({ req, user, params }) => {
  await updateUser(user.companyId, params.id, await readJsonAs(req, userUpdateSchema));
  return jsonResponse({ status: "success", message: "User updated" });
});
