import { withSession } from "@/lib/api/admin-handler";
import { errors } from "@/lib/api/errors";
import { parseOrThrow, readJsonObject } from "@/lib/api/body";
import { jsonResponse } from "@/lib/api/respond";
import { changePassword, passwordChangeSchema } from "@/lib/auth/users";

/** Changes the signed-in user's own password; every session, this one included, ends. */
export const POST = withSession({}, async ({ req, user }) => {
  const input = parseOrThrow(passwordChangeSchema, await readJsonObject(req));
  if (!(await changePassword(user.id, input))) {
    throw errors.validation([{ field: "current", message: "That is not your current password" }]);
  }
  return jsonResponse({ status: "success", message: "Password changed. Sign in again with the new one." });
});
