import { withSession } from "@/lib/api/with-session";
import { readJsonAs } from "@/lib/http/body";
import { jsonResponse } from "@/lib/api/respond";
import { apiKeyInputSchema } from "@/lib/auth/api-key-input";
import { createApiKey, listCompanyKeys } from "@/lib/auth/api-keys";
import { env } from "@/lib/env";

// Vercel gives routes of one configuration one function: this (the default limit, stated) puts
// the admin's API in a function of its own, beside the public one (README, "Deploy on Vercel").
export const maxDuration = 300;

export const GET = withSession({ adminOnly: true }, async ({ user }) =>
  jsonResponse({ data: await listCompanyKeys(user.companyId), status: "success" }),
);

/** The new key is in this answer only; the database keeps its hash. */
export const POST = withSession({ adminOnly: true }, async ({ req, user }) => {
  const input = await readJsonAs(req, apiKeyInputSchema);
  const created = await createApiKey({
    companyId: user.companyId,
    name: input.name,
    scopes: input.scopes,
    dailyLimit: input.daily_limit ?? env().API_DAILY_LIMIT,
  });
  return jsonResponse({ data: created, status: "success" }, 201);
});
