import { withSession } from "@/lib/api/with-session";
import { readJsonAs } from "@/lib/http/body";
import { jsonResponse } from "@/lib/api/respond";
import { createEndpoint, endpointInputSchema, listEndpoints } from "@/lib/webhooks";

// Vercel gives routes of one configuration one function: this (the default limit, stated) puts
// the admin's API in a function of its own, beside the public one (README, "Deploy on Vercel").
export const maxDuration = 300;

export const GET = withSession({ adminOnly: true }, async ({ user }) =>
  jsonResponse({ data: await listEndpoints(user.companyId), status: "success" }),
);

/** A new endpoint; the answer holds its signing secret, shown this once. */
export const POST = withSession({ adminOnly: true }, async ({ req, user }) => {
  const { endpoint, secret } = await createEndpoint(
    user.companyId,
    await readJsonAs(req, endpointInputSchema),
  );
  return jsonResponse({ data: endpoint, secret, status: "success" }, 201);
});
