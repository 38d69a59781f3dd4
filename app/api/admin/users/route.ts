import { withSession } from "@/lib/api/with-session";
import { readJsonAs } from "@/lib/http/body";
import { jsonResponse } from "@/lib/api/respond";
import { createUser, listUsers, userInputSchema } from "@/lib/auth/users";

export const GET = withSession({ adminOnly: true }, async ({ user }) =>
  jsonResponse({ data: await listUsers(user.companyId), status: "success" }),
);

export const POST = withSession({ adminOnly: true }, async ({ req, user }) => {
  const input = await readJsonAs(req, userInputSchema);
  return jsonResponse({ data: await createUser(user.companyId, input), status: "success" }, 201);
});
