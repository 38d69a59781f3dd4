import { decode, encode, getToken } from "next-auth/jwt";
import { now, systemNowMs } from "@/lib/clock";
import { env } from "@/lib/env";
import { appSecret } from "@/lib/secret";
import { getSessionUser, type SessionUser } from "./users";

export type { SessionUser };

const COOKIE = "authjs.session-token";
const SECURE_COOKIE = `__Secure-${COOKIE}`;

/** A session left unused this long ends; each use of the admin refreshes it (next-auth's maxAge). */
export const SESSION_IDLE_SECONDS = 12 * 60 * 60;
const DAY_MS = 24 * 60 * 60 * 1000;

/** What a session token carries besides next-auth's own claims. */
export interface SessionClaims {
  uid: string;
  /** When its sign-in happened, epoch ms: refreshes re-issue the token but never move it. */
  signedInAt: number;
  /** The user's session version when it began (lib/auth/users.ts). */
  sessionVersion: number;
}

/** The session's claims in a decoded token, or null for a token without them (one issued before them). */
export function sessionClaims(token: Record<string, unknown>): SessionClaims | null {
  const { uid, signedInAt, sessionVersion } = token;
  if (typeof uid !== "string" || typeof signedInAt !== "number" || typeof sessionVersion !== "number")
    return null;
  return { uid, signedInAt, sessionVersion };
}

/**
 * The user a session stands for, or null once the session has ended: SESSION_MAX_AGE_DAYS after
 * its sign-in however often it was refreshed, or when its user is removed or their version has
 * moved on (a new password, a reset by an admin, another role). Both the admin's own checks and
 * next-auth's refresh (the jwt callback) ask this, so a session ended here is ended everywhere.
 */
export async function sessionUser(claims: SessionClaims): Promise<SessionUser | null> {
  if (now().getTime() >= claims.signedInAt + env().SESSION_MAX_AGE_DAYS * DAY_MS) return null;
  return (await getSessionUser(claims.uid, claims.sessionVersion)) ?? null;
}

/**
 * Decrypting a session token costs about a millisecond (key derivation and JWE), more than the
 * rest of a cached list request, and the same token comes back on every request of a session. So
 * each process keeps what its tokens decoded to until they expire. A token is encrypted and
 * authenticated with the secret, so equal text means equal content. The expiry is the token's own
 * `exp`, which next-auth stamps and checks against the system clock, so it is compared with
 * that clock here too (`systemNowMs`), not with `now()` (a test that moves the clock days on
 * would otherwise see every token it refreshed as expired).
 */
const MAX_DECODED = 10_000;
interface Decoded {
  claims: SessionClaims;
  expiresAt: number;
}
const decoded = new Map<string, Decoded>();

async function decodeToken(raw: string, salt: string): Promise<SessionClaims | null> {
  // A token is salted with its cookie's name: the same text under the other name is not valid.
  const key = `${salt}:${raw}`;
  const kept = decoded.get(key);
  if (kept) return kept.expiresAt > systemNowMs() ? kept.claims : null;
  const token = await decode({ token: raw, secret: await appSecret(), salt }).catch(() => null);
  const claims = token ? sessionClaims(token) : null;
  if (!claims || typeof token?.exp !== "number") return null;
  const found = { claims, expiresAt: token.exp * 1000 };
  if (found.expiresAt <= systemNowMs()) return null;
  if (decoded.size >= MAX_DECODED) decoded.clear();
  decoded.set(key, found);
  return claims;
}

/** The raw session token of a request's cookie and the cookie's name, which salts it. */
async function sessionCookieOf(headers: Headers): Promise<{ raw: string; name: string } | null> {
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
  return raw ? { raw, name: secure ? SECURE_COOKIE : COOKIE } : null;
}

/**
 * The signed-in user behind a request's session cookie, or null. The user is read from the users
 * table (lib/auth/users.ts keeps it a few seconds), so that a removed user or a changed role takes
 * effect. Only the cookie is read: the admin never takes a session from an Authorization header.
 */
export async function sessionFromHeaders(headers: Headers): Promise<SessionUser | null> {
  const cookie = await sessionCookieOf(headers);
  const claims = cookie ? await decodeToken(cookie.raw, cookie.name) : null;
  return claims ? sessionUser(claims) : null;
}

/**
 * A Set-Cookie value that carries the request's session on under the user's new session version:
 * the tab that changed its own password stays signed in while every other session ends. The
 * token is the same one with the new version (its sign-in time kept, so the session's lifetime
 * does not start again), under next-auth's own cookie name and attributes (HTTP-only, SameSite=Lax,
 * the whole site, Secure with the __Secure- name). Null when the request has no valid session token.
 */
export async function renewedSessionCookie(headers: Headers, sessionVersion: number): Promise<string | null> {
  const cookie = await sessionCookieOf(headers);
  if (!cookie) return null;
  const secret = await appSecret();
  const token = await decode({ token: cookie.raw, secret, salt: cookie.name }).catch(() => null);
  if (!token || !sessionClaims(token)) return null;
  const renewed = await encode({
    token: { ...token, sessionVersion },
    secret,
    salt: cookie.name,
    maxAge: SESSION_IDLE_SECONDS,
  });
  // As the token's `exp`, which next-auth's encode stamps from the system clock.
  const expires = new Date(systemNowMs() + SESSION_IDLE_SECONDS * 1000).toUTCString();
  const secure = cookie.name === SECURE_COOKIE ? "; Secure" : "";
  return `${cookie.name}=${renewed}; Path=/; Expires=${expires}; HttpOnly; SameSite=Lax${secure}`;
}
