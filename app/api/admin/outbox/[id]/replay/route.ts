import { withSession } from "@/lib/api/with-session";
import { errors } from "@/lib/api/errors";
import { jsonResponse } from "@/lib/api/respond";
import { replay } from "@/lib/outbox/log";

/** Sends a failed item again, or a delivered webhook once more. */
export const POST = withSession<{ id: string }>({ adminOnly: true }, async ({ user, params }) => {
  if (!/^\d{1,15}$/.test(params.id)) throw errors.notFound();
  const queued = await replay(user.companyId, Number(params.id));
  return jsonResponse({ status: "success", message: "Queued to go out again", id: queued });
});
