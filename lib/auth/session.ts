import { getToken } from "next-auth/jwt";
import { appSecret } from "@/lib/secret";
import { getSessionUser, type SessionUser } from "./users";

export type { SessionUser };

const SECURE_COOKIE = "__Secure-authjs.session-token";

/**
 * The signed-in user behind a request's session cookie, read from the database on every request so
 * that a removed user or a changed role takes effect at once; null for anyone else. Only the
 * cookie is read: the admin never takes a session from an Authorization header.
 */
export async function sessionFromHeaders(headers: Headers): Promise<SessionUser | null> {
  const cookie = headers.get("cookie");
  if (!cookie || !cookie.includes("authjs.session-token")) return null;
  const token = await getToken({
    req: { headers: { cookie } },
    secret: await appSecret(),
    // next-auth names the cookie __Secure-… when it was set over HTTPS.
    secureCookie: cookie.includes(SECURE_COOKIE),
  });
  const uid = token?.uid;
  if (typeof uid !== "string") return null;
  return (await getSessionUser(uid)) ?? null;
}
