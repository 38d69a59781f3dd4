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
interface Decoded {
  uid: string;
  /** When the session began, epoch seconds. */
  issuedAt: number;
  expiresAt: number;
}
const decoded = new Map<string, Decoded>();

async function decodeToken(raw: string, salt: string): Promise<Decoded | null> {
  // A token is salted with its cookie's name: the same text under the other name is not valid.
  const key = `${salt}:${raw}`;
  const kept = decoded.get(key);
  if (kept) return kept.expiresAt > Date.now() ? kept : null;
  const token = await decode({ token: raw, secret: await appSecret(), salt }).catch(() => null);
  if (typeof token?.uid !== "string" || typeof token.exp !== "number" || typeof token.iat !== "number")
    return null;
  const found = { uid: token.uid, issuedAt: token.iat, expiresAt: token.exp * 1000 };
  if (found.expiresAt <= Date.now()) return null;
  if (decoded.size >= MAX_DECODED) decoded.clear();
  decoded.set(key, found);
  return found;
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
  const token = await decodeToken(raw, secure ? SECURE_COOKIE : COOKIE);
  const user = token ? await getSessionUser(token.uid) : undefined;
  if (!token || !user) return null;
  // A session that began before the password last changed has ended (in whole seconds, as iat is).
  if (user.passwordChangedAt && token.issuedAt < Math.floor(user.passwordChangedAt.getTime() / 1000))
    return null;
  return user;
}
