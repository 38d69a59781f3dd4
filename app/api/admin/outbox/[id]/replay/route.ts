import { withSession } from "@/lib/api/with-session";
import { errors } from "@/lib/api/errors";
import { jsonResponse } from "@/lib/api/respond";
import { replay } from "@/lib/outbox/log";

// Vercel gives routes of one configuration one function: this (the default limit, stated) puts
// the admin's API in a function of its own, beside the public one (README, "Deploy on Vercel").
export const maxDuration = 300;

/** Sends a failed item again, or a delivered webhook once more. */
export const POST = withSession<{ id: string }>({ adminOnly: true }, async ({ user, params }) => {
  if (!/^\d{1,15}$/.test(params.id)) throw errors.notFound();
  const queued = await replay(user.companyId, Number(params.id));
  return jsonResponse({ status: "success", message: "Queued to go out again", id: queued });
});
