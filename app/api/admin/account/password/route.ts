import { withSession } from "@/lib/api/with-session";
import { errors } from "@/lib/api/errors";
import { readJsonObject } from "@/lib/http/body";
import { parseOrThrow } from "@/lib/validation";
import { jsonResponse } from "@/lib/api/respond";
import { renewedSessionCookie } from "@/lib/auth/session";
import { changePassword, passwordChangeSchema } from "@/lib/auth/users";

/** Changes the signed-in user's own password; every other session ends, this one goes on. */
export const POST = withSession({}, async ({ req, user }) => {
  const input = parseOrThrow(passwordChangeSchema, await readJsonObject(req));
  const sessionVersion = await changePassword(user.id, input);
  if (sessionVersion === null) {
    throw errors.validation([{ field: "current", message: "That is not your current password" }]);
  }
  const cookie = await renewedSessionCookie(req.headers, sessionVersion);
  return jsonResponse(
    { status: "success", message: "Password changed. Every other session has ended." },
    200,
    cookie ? { "set-cookie": cookie } : {},
  );
});
