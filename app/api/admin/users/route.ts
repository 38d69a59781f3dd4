import { withSession } from "@/lib/api/admin-handler";
import { errors } from "@/lib/api/errors";
import { parseOrThrow, readJsonObject } from "@/lib/api/body";
import { jsonResponse } from "@/lib/api/respond";
import { createUser, DuplicateEmailError, listUsers, userInputSchema } from "@/lib/auth/users";

export const GET = withSession({ adminOnly: true }, async ({ user }) =>
  jsonResponse({ data: await listUsers(user.companyId), status: "success" }),
);

export const POST = withSession({ adminOnly: true }, async ({ req, user }) => {
  const input = parseOrThrow(userInputSchema, await readJsonObject(req));
  try {
    return jsonResponse({ data: await createUser(user.companyId, input), status: "success" }, 201);
  } catch (error) {
    // Addresses are unique across companies (people sign in with theirs alone), so one may be
    // taken by a user this admin cannot see. The answer is the same either way and names no one.
    if (error instanceof DuplicateEmailError) {
      throw errors.validation([
        { field: "email", message: "This email address cannot be used for a new user" },
      ]);
    }
    throw error;
  }
});
