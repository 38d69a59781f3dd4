import { withSession } from "@/lib/api/with-session";
import { errors } from "@/lib/api/errors";
import { jsonResponse } from "@/lib/api/respond";
import { revokeApiKey } from "@/lib/auth/api-keys";

// Vercel gives routes of one configuration one function: this (the default limit, stated) puts
// the admin's API in a function of its own, beside the public one (README, "Deploy on Vercel").
export const maxDuration = 300;

/** Revokes a key of the admin's company; it stops working at once. */
export const DELETE = withSession<{ id: string }>({ adminOnly: true }, async ({ user, params }) => {
  if (!(await revokeApiKey(params.id, user.companyId))) throw errors.notFound();
  return jsonResponse({ status: "success", message: "Key revoked" });
});
