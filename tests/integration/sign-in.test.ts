import { randomBytes, randomUUID } from "node:crypto";
import { AuthError, CredentialsSignin } from "next-auth";
import { NextRequest } from "next/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as leadsRoute from "@/app/api/admin/leads/route";
import * as authRoute from "@/app/api/auth/[...nextauth]/route";
import { logAuthError } from "@/lib/auth/auth";
import { signInDelayMs, throttleSignIn } from "@/lib/auth/sign-in-limit";
import { newTenant } from "../support/fixtures";
import { call, fromAddress, newUser, ORIGIN, signIn } from "../support/staff";

afterEach(() => vi.restoreAllMocks());

const signedIn = (attempt: { cookie: string }) => attempt.cookie.includes("authjs.session-token");
/** Why next-auth refused a sign-in: "credentials" (no such email and password) or "rate_limited". */
const refusedAs = (attempt: { response: Response }) =>
  new URL(attempt.response.headers.get("location")!).searchParams.get("code");

/**
 * A new client address on each call (in 2001:db8::/32, kept for documentation), so that no client
 * shares another's counts, nor an earlier run's on a shared KV.
 */
const newClient = () => fromAddress(`2001:db8::${randomBytes(8).toString("hex").match(/.{4}/g)!.join(":")}`);

describe("sign-in attempts", () => {
  it("from one client, wrong ones neither lock the account nor slow its owner on another device", async () => {
    const { company } = await newTenant();
    const user = await newUser(company.id, "admin");
    const guesser = newClient();
    const owner = newClient();
    // Past the limit of 10: once the owner's account would have been locked for everybody.
    for (let i = 0; i < 11; i++) {
      const attempt = await signIn(user.email, `guess number ${i}`, guesser);
      expect(signedIn(attempt)).toBe(false);
      expect(refusedAs(attempt)).toBe("credentials");
    }
    const fromOwner = await signIn(user.email, undefined, owner);
    expect(signedIn(fromOwner)).toBe(true);
    expect((await call(leadsRoute, "/api/admin/leads", { cookie: fromOwner.cookie })).status).toBe(200);
    // The guessing client itself is slowed, not locked: the right password still works there.
    expect(signedIn(await signIn(user.email, undefined, guesser))).toBe(true);
  });

  it("past the limit, one account from one client waits longer each time, up to 10 s", async () => {
    expect([1, 10, 11, 12, 13, 20, 30, 50].map((n) => signInDelayMs(n, 10))).toEqual([
      0, 0, 500, 1000, 1500, 5000, 10_000, 10_000,
    ]);
    const { company } = await newTenant();
    const user = await newUser(company.id, "member");
    const guesser = newClient();
    // Twelve attempts counted as a sign-in counts them (the 11th and 12th already slowed).
    for (let i = 0; i < 12; i++) {
      expect(await throttleSignIn(user.email, new Request(ORIGIN, { headers: guesser }))).toBe(true);
    }
    // The 13th waits 1.5 s before its password is even checked; the owner's attempt from another
    // device, sent after it, is answered first.
    const answered: string[] = [];
    const slowed = signIn(user.email, "guess number 13", guesser).then(() => answered.push("guesser"));
    const owner = signIn(user.email, undefined, newClient()).then(() => answered.push("owner"));
    await Promise.all([slowed, owner]);
    expect(answered).toEqual(["owner", "guesser"]);
  });

  it("from one client naming many accounts are refused past five times the limit; other clients are not", async () => {
    const { company } = await newTenant();
    const user = await newUser(company.id, "member");
    const sprayer = newClient();
    // Fifty attempts as a sign-in counts them (without fifty password checks), each a new address.
    for (let i = 0; i < 50; i++) {
      const email = `nobody-${i}-${randomUUID().slice(0, 8)}@example.com`;
      expect(await throttleSignIn(email, new Request(ORIGIN, { headers: sprayer }))).toBe(true);
    }
    const refused = await signIn(user.email, undefined, sprayer);
    expect(signedIn(refused)).toBe(false);
    expect(refusedAs(refused)).toBe("rate_limited");
    expect(signedIn(await signIn(user.email, undefined, newClient()))).toBe(true);
  });
});

describe("next-auth's errors in the log", () => {
  const errorLines = () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    return () => spy.mock.calls.map((args) => args.map(String).join(" "));
  };

  it("leave out refused sign-ins, and name other failures by kind, never by what was typed", async () => {
    const lines = errorLines();
    const { company } = await newTenant();
    const user = await newUser(company.id, "member");
    const client = newClient();
    expect(signedIn(await signIn(user.email, "not the password", client))).toBe(false);
    expect(lines()).toEqual([]);

    // A post without the CSRF token, and an action next-auth does not have.
    const posted = await authRoute.POST(
      new NextRequest("http://127.0.0.1:3000/api/auth/callback/credentials", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...client },
        body: new URLSearchParams({ email: user.email, password: "typed by a person" }),
      }),
    );
    await posted.arrayBuffer();
    await (await authRoute.GET(new NextRequest("http://127.0.0.1:3000/api/auth/nonsense"))).arrayBuffer();
    expect(lines()).toEqual(["[auth] MissingCSRF", "[auth] UnknownAction"]);
  });

  it("read the kind from next-auth's type, which minifying leaves alone, not from the class name", () => {
    const lines = errorLines();
    // What a production build's errors look like: class names shortened to a letter.
    const refused = Object.assign(new CredentialsSignin(), { name: "h" });
    logAuthError(refused);
    expect(lines()).toEqual([]);
    // next-auth keeps what failed underneath as the cause, whose message may quote the person.
    const cause = { err: new Error("no connection for person@example.com") };
    const failed = Object.assign(new AuthError("Sign-in failed for person@example.com", { cause }), {
      name: "h",
    });
    logAuthError(failed);
    expect(lines()).toEqual(["[auth] AuthError (caused by unexpected Error)"]);
  });
});

describe("next-auth's endpoints", () => {
  /** A request as `next start` hands it to the route: its URL on localhost, the browser's host forwarded. */
  const asServed = (
    path: string,
    forwarded: string,
    init: { method?: string; body?: URLSearchParams; cookie?: string } = {},
  ) => {
    const origin = new URL(forwarded);
    return new NextRequest(`http://localhost:3000/api/auth/${path}`, {
      method: init.method ?? "GET",
      headers: {
        host: origin.host,
        "x-forwarded-host": origin.host,
        "x-forwarded-proto": origin.protocol.replace(":", ""),
        ...(init.body ? { "content-type": "application/x-www-form-urlencoded" } : {}),
        ...(init.cookie ? { cookie: init.cookie } : {}),
      },
      body: init.body,
    });
  };

  it("redirect to the origin the browser used, not to the server's own address", async () => {
    for (const origin of ["http://127.0.0.1:3000", "https://portal.example"]) {
      const signInPage = await authRoute.GET(asServed("signin", origin));
      const callbackUrl = new URL(signInPage.headers.get("location")!, origin).searchParams.get(
        "callbackUrl",
      );
      expect(callbackUrl).toBe(origin);

      const csrf = await authRoute.GET(asServed("csrf", origin));
      const { csrfToken } = (await csrf.json()) as { csrfToken: string };
      const cookie = csrf.headers
        .getSetCookie()
        .map((c) => c.split(";")[0])
        .join("; ");
      const signOut = await authRoute.POST(
        asServed("signout", origin, { method: "POST", cookie, body: new URLSearchParams({ csrfToken }) }),
      );
      expect(signOut.headers.get("location")).toBe(origin);
      const wrong = await authRoute.POST(
        asServed("callback/credentials", origin, {
          method: "POST",
          cookie,
          body: new URLSearchParams({ csrfToken, email: "nobody@example.com", password: "a guess" }),
        }),
      );
      expect(new URL(wrong.headers.get("location")!).origin).toBe(origin);
    }
  });
});
