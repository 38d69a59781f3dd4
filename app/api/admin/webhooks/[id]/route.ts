import { withSession } from "@/lib/api/with-session";
import { readJsonAs } from "@/lib/http/body";
import { jsonResponse } from "@/lib/api/respond";
import { deleteEndpoint, endpointUpdateSchema, updateEndpoint } from "@/lib/webhooks";

// Vercel gives routes of one configuration one function: this (the default limit, stated) puts
// the admin's API in a function of its own, beside the public one (README, "Deploy on Vercel").
export const maxDuration = 300;

/**
 * Turns an endpoint off or on (`{"active": false}`: while off, no event is queued for it), or
 * resumes one that its failures paused (`{"paused": false}`).
 */
export const PATCH = withSession<{ id: string }>({ adminOnly: true }, async ({ req, user, params }) =>
  jsonResponse({
    data: await updateEndpoint(user.companyId, params.id, await readJsonAs(req, endpointUpdateSchema)),
    status: "success",
  }),
);

export const DELETE = withSession<{ id: string }>({ adminOnly: true }, async ({ user, params }) => {
  await deleteEndpoint(user.companyId, params.id);
  return jsonResponse({ status: "success", message: "Endpoint removed" });
});
