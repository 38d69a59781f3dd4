import { withSession } from "@/lib/api/with-session";
import { readJsonAs } from "@/lib/http/body";
import { jsonResponse } from "@/lib/api/respond";
import { createUser, listUsers, userInputSchema } from "@/lib/auth/users";

// Vercel gives routes of one configuration one function: this (the default limit, stated) puts
// the admin's API in a function of its own, beside the public one (README, "Deploy on Vercel").
export const maxDuration = 300;

export const GET = withSession({ adminOnly: true }, async ({ user }) =>
  jsonResponse({ data: await listUsers(user.companyId), status: "success" }),
);

export const POST = withSession({ adminOnly: true }, async ({ req, user }) => {
  const input = await readJsonAs(req, userInputSchema);
  return jsonResponse({ data: await createUser(user.companyId, input), status: "success" }, 201);
});
