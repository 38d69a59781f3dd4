import { randomInt, randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import * as authRoute from "@/app/api/auth/[...nextauth]/route";
import { createUser, type StaffUser } from "@/lib/auth/users";
import type { Role } from "@/lib/db/schema";
import { stampPeer } from "@/lib/http/client-address";

export const ORIGIN = "http://127.0.0.1:3000";
export const PASSWORD = "correct horse battery staple";

export async function newUser(companyId: string, role: Role, email?: string): Promise<StaffUser> {
  return createUser(companyId, {
    email: email ?? `${role}-${randomUUID().slice(0, 8)}@example.com`,
    name: null,
    password: PASSWORD,
    role,
  });
}

const cookiesOf = (response: Response) =>
  response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");

/** The headers of a request from the given client address, as the server stamps them. */
export function fromAddress(address: string): Record<string, string> {
  const headers: Record<string, string> = {};
  stampPeer(headers, address);
  return headers;
}

/**
 * Signs in through next-auth's own handlers, as the sign-in page does: fetch a CSRF token, post the
 * credentials. Returns the response and the cookies it set. Each sign-in comes from a client address
 * of its own (in 198.18.0.0/15, kept for tests) unless the headers stamp one (fromAddress), so that
 * the per-client sign-in limit counts only what a test means it to, whatever ran before on a
 * shared KV.
 */
export async function signIn(
  email: string,
  password: string = PASSWORD,
  given: Record<string, string> = {},
): Promise<{ response: Response; cookie: string }> {
  const headers = {
    ...fromAddress(`198.${18 + randomInt(2)}.${randomInt(256)}.${randomInt(256)}`),
    ...given,
  };
  const base = `${ORIGIN}/api/auth`;
  const csrf = await authRoute.GET(new NextRequest(`${base}/csrf`, { headers }));
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await authRoute.POST(
    new NextRequest(`${base}/callback/credentials`, {
      method: "POST",
      headers: {
        ...headers,
        "content-type": "application/x-www-form-urlencoded",
        cookie: cookiesOf(csrf),
      },
      body: new URLSearchParams({ csrfToken, email, password, callbackUrl: "/admin" }),
    }),
  );
  return { response, cookie: cookiesOf(response) };
}

/** A signed-in user's session cookie. */
export async function sessionCookie(user: { email: string }): Promise<string> {
  const { cookie } = await signIn(user.email);
  if (!cookie.includes("authjs.session-token")) throw new Error("sign-in failed");
  return cookie;
}

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

export interface Call {
  method?: string;
  params?: Record<string, string>;
  body?: unknown;
  cookie?: string;
  headers?: Record<string, string>;
}

/** Calls a route module's handler in-process, as Next.js would. */
export async function call(
  mod: Record<string, unknown>,
  path: string,
  { method = "GET", params = {}, body, cookie, headers = {} }: Call = {},
): Promise<Response> {
  const handler = mod[method] as Handler | undefined;
  if (!handler) throw new Error(`${path} has no ${method} handler`);
  const init: RequestInit = {
    method,
    headers: {
      ...(cookie ? { cookie } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  };
  return handler(new Request(`${ORIGIN}${path}`, init), { params: Promise.resolve(params) });
}

export async function json<T = Record<string, unknown>>(response: Response): Promise<T> {
  return JSON.parse(await response.text()) as T;
}
