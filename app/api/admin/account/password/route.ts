import { withSession } from "@/lib/api/with-session";
import { fail } from "@/lib/errors";
import { readJsonAs } from "@/lib/http/body";
import { jsonResponse } from "@/lib/api/respond";
import { renewedSessionCookie } from "@/lib/auth/session";
import { changePassword, passwordChangeSchema } from "@/lib/auth/users";

// Vercel gives routes of one configuration one function: this (the default limit, stated) puts
// the admin's API in a function of its own, beside the public one (README, "Deploy on Vercel").
export const maxDuration = 300;

/** Changes the signed-in user's own password; every other session ends, this one goes on. */
export const POST = withSession({}, async ({ req, user }) => {
  const input = await readJsonAs(req, passwordChangeSchema);
  const sessionVersion = await changePassword(user.id, input);
  if (sessionVersion === null) {
    throw fail.invalid("current", "That is not your current password");
  }
  const cookie = await renewedSessionCookie(req.headers, sessionVersion);
  return jsonResponse(
    { status: "success", message: "Password changed. Every other session has ended." },
    200,
    cookie ? { "set-cookie": cookie } : {},
  );
});
