import { decode, getToken } from "next-auth/jwt";
import { appSecret } from "@/lib/secret";
import { getSessionUser, type SessionUser } from "./users";

export type { SessionUser };

const COOKIE = "authjs.session-token";
const SECURE_COOKIE = `__Secure-${COOKIE}`;

/**
 * Decrypting a session token costs about a millisecond (key derivation and JWE), more than the
 * rest of a cached list request, and the same token comes back on every request of a session. So
 * each process keeps what its tokens decoded to until they expire. A token is encrypted and
 * authenticated with the secret, so equal text means equal content.
 */
const MAX_DECODED = 10_000;
const decoded = new Map<string, { uid: string | null; expiresAt: number }>();

async function tokenUserId(raw: string, salt: string): Promise<string | null> {
  // A token is salted with its cookie's name: the same text under the other name is not valid.
  const key = `${salt}:${raw}`;
  const kept = decoded.get(key);
  if (kept && kept.expiresAt > Date.now()) return kept.uid;
  const token = await decode({ token: raw, secret: await appSecret(), salt }).catch(() => null);
  const uid = typeof token?.uid === "string" ? token.uid : null;
  const expiresAt = typeof token?.exp === "number" ? token.exp * 1000 : 0;
  if (uid && expiresAt > Date.now()) {
    if (decoded.size >= MAX_DECODED) decoded.clear();
    decoded.set(key, { uid, expiresAt });
  }
  return expiresAt > Date.now() ? uid : null;
}

/**
 * The signed-in user behind a request's session cookie, or null. The user is read from the users
 * table (lib/auth/users.ts keeps it a few seconds), so that a removed user or a changed role takes
 * effect. Only the cookie is read: the admin never takes a session from an Authorization header.
 */
export async function sessionFromHeaders(headers: Headers): Promise<SessionUser | null> {
  const cookie = headers.get("cookie");
  if (!cookie || !cookie.includes(COOKIE)) return null;
  // next-auth names the cookie __Secure-… when it was set over HTTPS, and salts the token with the name.
  const secure = cookie.includes(SECURE_COOKIE);
  const raw = await getToken({
    req: { headers: { cookie } },
    secret: await appSecret(),
    secureCookie: secure,
    raw: true,
  });
  if (!raw) return null;
  const uid = await tokenUserId(raw, secure ? SECURE_COOKIE : COOKIE);
  return uid ? ((await getSessionUser(uid)) ?? null) : null;
}
