import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import { NextRequest } from "next/server";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";
import { z } from "zod";
import { now } from "@/lib/clock";
import { env } from "@/lib/env";
import { requestOrigin } from "@/lib/http/origin";
import { appSecret } from "@/lib/secret";
import { verifyPassword } from "./passwords";
import { SESSION_IDLE_SECONDS, sessionClaims, sessionUser } from "./session";
import { throttleSignIn } from "./sign-in-limit";
import { findUserByEmail, noteSignIn } from "./users";

/** Too many attempts from this client: the sign-in page says so. */
class TooManyAttempts extends CredentialsSignin {
  override code = "rate_limited";
}

const credentialsSchema = z.object({
  email: z.string().trim().max(320),
  password: z.string().max(200),
});

/**
 * Whether GitHub has verified this address of the account. Its profile's email can be one it has
 * not (Auth.js falls back to the account's first address), so the account's list says.
 */
async function githubVerified(email: string, accessToken: string, fetcher: typeof fetch): Promise<boolean> {
  try {
    const response = await fetcher("https://api.github.com/user/emails", {
      headers: {
        authorization: `Bearer ${accessToken}`,
        accept: "application/vnd.github+json",
        "user-agent": "lead-intake-portal",
      },
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) return false;
    const emails = (await response.json()) as { email?: unknown; verified?: unknown }[];
    return (
      Array.isArray(emails) &&
      emails.some(
        (e) =>
          typeof e.email === "string" && e.email.toLowerCase() === email.toLowerCase() && e.verified === true,
      )
    );
  } catch {
    return false;
  }
}

/**
 * The user a GitHub or Google sign-in stands for: only someone an admin has added, matched by an
 * email the provider has verified; null for anyone else.
 */
export async function oauthUserId(
  provider: string,
  profile: { email?: unknown; email_verified?: unknown } | undefined,
  accessToken: string | undefined,
  fetcher: typeof fetch = fetch,
): Promise<string | null> {
  if (provider !== "github" && provider !== "google") return null;
  const email = typeof profile?.email === "string" ? profile.email : "";
  if (!email) return null;
  const user = await findUserByEmail(email);
  if (!user) return null;
  if (provider === "google" && profile?.email_verified !== true) return null;
  if (provider === "github" && !(accessToken && (await githubVerified(email, accessToken, fetcher))))
    return null;
  return user.id;
}

async function config(): Promise<NextAuthConfig> {
  const settings = env();
  const providers: NextAuthConfig["providers"] = [
    Credentials({
      credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, request) {
        const parsed = credentialsSchema.safeParse(credentials);
        if (!parsed.success) return null;
        if (!(await throttleSignIn(parsed.data.email, request))) throw new TooManyAttempts();
        const user = await findUserByEmail(parsed.data.email);
        if (!(await verifyPassword(parsed.data.password, user?.passwordHash ?? null)) || !user) return null;
        await noteSignIn(user.id);
        // The version read with the hash just checked: a password changed in between is not the one
        // this session began with, and the change must end it too.
        const signedIn = {
          id: user.id,
          email: user.email,
          name: user.name,
          sessionVersion: user.sessionVersion,
        };
        return signedIn;
      },
    }),
  ];
  if (settings.AUTH_GITHUB_ID && settings.AUTH_GITHUB_SECRET) {
    providers.push(GitHub({ clientId: settings.AUTH_GITHUB_ID, clientSecret: settings.AUTH_GITHUB_SECRET }));
  }
  if (settings.AUTH_GOOGLE_ID && settings.AUTH_GOOGLE_SECRET) {
    providers.push(Google({ clientId: settings.AUTH_GOOGLE_ID, clientSecret: settings.AUTH_GOOGLE_SECRET }));
  }
  return {
    secret: await appSecret(),
    // The app is reached through its own host name or Vercel's; it never builds links from an
    // untrusted Host header beyond next-auth's own redirects, which stay on the same origin.
    trustHost: true,
    session: { strategy: "jwt", maxAge: SESSION_IDLE_SECONDS },
    pages: { signIn: "/admin/sign-in", error: "/admin/sign-in" },
    logger: { error: logAuthError, warn() {}, debug() {} },
    providers,
    callbacks: {
      async signIn({ account, profile }) {
        if (!account || account.provider === "credentials") return true;
        return (await oauthUserId(account.provider, profile, account.access_token)) !== null;
      },
      async jwt({ token, user, account, profile }) {
        if (account) {
          // A sign-in: the session carries when it began and the user's version, both kept through
          // every refresh, so that neither a refresh nor a new token can outlive what ends it.
          let uid: string | null | undefined;
          let sessionVersion: number | undefined;
          if (account.provider === "credentials") {
            uid = user?.id;
            const version = (user as { sessionVersion?: unknown } | undefined)?.sessionVersion;
            sessionVersion = typeof version === "number" ? version : undefined;
          } else {
            uid = await oauthUserId(account.provider, profile, account.access_token);
            sessionVersion = uid ? await noteSignIn(uid) : undefined;
          }
          if (!uid || sessionVersion === undefined) return null;
          return { ...token, uid, signedInAt: now().getTime(), sessionVersion };
        }
        // A refresh (GET /api/auth/session re-issues the token): an ended session is not revived;
        // null makes next-auth clear the cookie.
        const claims = sessionClaims(token);
        return claims && (await sessionUser(claims)) ? token : null;
      },
    },
  };
}

/**
 * next-auth's errors, logged by kind only: their messages can quote what a person typed. The kind
 * is next-auth's `type` ("CallbackRouteError"), which survives minification where the class name
 * does not. A refused sign-in (a wrong password, too many attempts) is an expected outcome, not an
 * error, and is not logged.
 */
export function logAuthError(error: Error): void {
  const kind = (e: unknown) => {
    const type = (e as { type?: unknown } | null)?.type;
    return typeof type === "string" ? type : e instanceof Error ? `unexpected ${e.name}` : "unexpected error";
  };
  if (kind(error) === "CredentialsSignin") return;
  // next-auth wraps what failed underneath (a database error during sign-in) as the cause.
  const cause = (error.cause as { err?: unknown } | undefined)?.err;
  console.error(`[auth] ${kind(error)}${cause === undefined ? "" : ` (caused by ${kind(cause)})`}`);
}

const nextAuth = NextAuth(config);
export const { signIn, signOut } = nextAuth;

/** A request whose URL is exactly the one given, where a NextRequest's turns 127.0.0.1 into localhost. */
class RequestAt extends NextRequest {
  readonly #url: string;
  constructor(url: string, init: Request) {
    super(url, init);
    this.#url = url;
  }
  override get url(): string {
    return this.#url;
  }
}

/**
 * next-auth's endpoints, on the origin the browser used. next-auth builds its redirects and its
 * callback URL from the request's URL, and the one Next.js gives a route handler is neither the
 * browser's: it is built from the server's own listening address, not the Host header, and a
 * NextRequest writes any loopback host (127.0.0.1, [::1]) as localhost. So a sign-in on 127.0.0.1,
 * or behind a proxy, would be sent on to localhost. next-auth gets the origin of the forwarded
 * headers (lib/http/origin.ts) instead; AUTH_URL, when set, still wins (next-auth applies it after).
 */
function atRequestOrigin(handler: (req: NextRequest) => Promise<Response>) {
  return (req: NextRequest): Promise<Response> => {
    const origin = requestOrigin(req);
    if (origin === null) return handler(req);
    const { pathname, search } = new URL(req.url);
    return handler(new RequestAt(origin + pathname + search, req));
  };
}

export const handlers = {
  GET: atRequestOrigin(nextAuth.handlers.GET),
  POST: atRequestOrigin(nextAuth.handlers.POST),
};

export function oauthProviders(): { id: string; name: string }[] {
  const settings = env();
  return [
    ...(settings.AUTH_GITHUB_ID ? [{ id: "github", name: "GitHub" }] : []),
    ...(settings.AUTH_GOOGLE_ID ? [{ id: "google", name: "Google" }] : []),
  ];
}
