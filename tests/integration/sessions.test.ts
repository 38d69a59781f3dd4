import { NextRequest } from "next/server";
import { afterEach, describe, expect, it } from "vitest";
import * as passwordRoute from "@/app/api/admin/account/password/route";
import * as keysRoute from "@/app/api/admin/api-keys/route";
import * as leadsRoute from "@/app/api/admin/leads/route";
import * as userRoute from "@/app/api/admin/users/[id]/route";
import * as authRoute from "@/app/api/auth/[...nextauth]/route";
import { setClock } from "@/lib/clock";
import { newTenant } from "../support/fixtures";
import { call, json, newUser, ORIGIN, PASSWORD, sessionCookie, signIn } from "../support/staff";

const DAY_MS = 24 * 60 * 60 * 1000;

afterEach(() => setClock(null));

/** The admin's answer to a session: 200 while it holds, 401 once it has ended. */
const leadsStatus = async (cookie: string) => (await call(leadsRoute, "/api/admin/leads", { cookie })).status;

/** Cookies as a browser keeps them: those a response sets replace (or, emptied, remove) its own. */
function keep(cookie: string, response: Response): string {
  const jar = new Map(cookie.split("; ").map((c) => [c.slice(0, c.indexOf("=")), c] as const));
  for (const set of response.headers.getSetCookie()) {
    const pair = set.split(";")[0]!;
    const name = pair.slice(0, pair.indexOf("="));
    if (pair === `${name}=`) jar.delete(name);
    else jar.set(name, pair);
  }
  return [...jar.values()].join("; ");
}

/**
 * next-auth's own refresh, as a page using it would call it: the session's body (null when there is
 * none), the cookies the browser holds afterwards, and what the response set.
 */
async function refresh(cookie: string) {
  const response = await authRoute.GET(
    new NextRequest(`${ORIGIN}/api/auth/session`, { headers: { cookie } }),
  );
  expect(response.status).toBe(200);
  return {
    body: (await response.json()) as { user?: { email?: string } } | null,
    cookie: keep(cookie, response),
    setCookies: response.headers.getSetCookie(),
  };
}

/** What a refresh answers once the session has ended: no session, and the cookie removed. */
async function expectRefreshRefused(cookie: string) {
  const after = await refresh(cookie);
  expect(after.body).toBeNull();
  expect(after.setCookies.filter((c) => c.includes("session-token"))).toEqual([
    expect.stringMatching(/^authjs\.session-token=; Max-Age=0; /),
  ]);
  expect(after.cookie).not.toContain("authjs.session-token");
  // Sent anyway, by a client that ignores the removal: still refused.
  expect(await leadsStatus(cookie)).toBe(401);
}

describe("a session ends", () => {
  it("for every other session at once when the user changes their password; the tab that changed it goes on", async () => {
    const tenant = await newTenant();
    const member = await newUser(tenant.company.id, "member");
    const here = await sessionCookie(member);
    const elsewhere = await sessionCookie(member);
    // A stolen copy kept refreshed through next-auth's endpoint before the change.
    const refreshedBefore = await refresh(elsewhere);
    expect(refreshedBefore.body?.user?.email).toBe(member.email);
    expect(await leadsStatus(refreshedBefore.cookie)).toBe(200);

    // In the same second as the sign-ins: a version, not a time, tells the sessions apart.
    const changed = await call(passwordRoute, "/api/admin/account/password", {
      method: "POST",
      cookie: here,
      body: { current: PASSWORD, password: "a brand new passphrase" },
    });
    expect(changed.status).toBe(200);
    expect(await json(changed)).toEqual({
      status: "success",
      message: "Password changed. Every other session has ended.",
    });
    const carriedOn = keep(here, changed);
    expect(carriedOn).not.toBe(here);
    expect(await leadsStatus(carriedOn)).toBe(200);
    // and it refreshes as any live session does.
    const refreshed = await refresh(carriedOn);
    expect(refreshed.body?.user?.email).toBe(member.email);
    expect(await leadsStatus(refreshed.cookie)).toBe(200);

    for (const ended of [here, elsewhere, refreshedBefore.cookie]) {
      expect(await leadsStatus(ended)).toBe(401);
      await expectRefreshRefused(ended);
    }
    expect((await signIn(member.email)).cookie).not.toContain("authjs.session-token");
    const fresh = await signIn(member.email, "a brand new passphrase");
    expect(await leadsStatus(fresh.cookie)).toBe(200);
  });

  it("when an admin sets a new password for the user", async () => {
    const tenant = await newTenant();
    const admin = await newUser(tenant.company.id, "admin");
    const member = await newUser(tenant.company.id, "member");
    const adminCookie = await sessionCookie(admin);
    const memberCookie = await sessionCookie(member);
    const refreshedBefore = (await refresh(memberCookie)).cookie;

    const reset = await call(userRoute, `/api/admin/users/${member.id}`, {
      method: "PATCH",
      params: { id: member.id },
      cookie: adminCookie,
      body: { password: "set by the admin" },
    });
    expect(reset.status).toBe(200);
    // The admin's own session is not the one that ended.
    expect(await leadsStatus(adminCookie)).toBe(200);
    for (const ended of [memberCookie, refreshedBefore]) await expectRefreshRefused(ended);
    expect(await leadsStatus((await signIn(member.email, "set by the admin")).cookie)).toBe(200);
  });

  it("when the user's role changes, and they sign in again into the new role; the same role again, or nothing, changes nothing", async () => {
    const tenant = await newTenant();
    const admin = await newUser(tenant.company.id, "admin");
    const member = await newUser(tenant.company.id, "member");
    const adminCookie = await sessionCookie(admin);
    const memberCookie = await sessionCookie(member);
    const change = async (body: { role?: string }) => {
      const response = await call(userRoute, `/api/admin/users/${member.id}`, {
        method: "PATCH",
        params: { id: member.id },
        cookie: adminCookie,
        body,
      });
      expect(await json(response)).toEqual({ status: "success", message: "User updated" });
    };
    const setRole = (role: string) => change({ role });

    await setRole("member");
    await change({});
    expect(await leadsStatus(memberCookie)).toBe(200);

    await setRole("admin");
    await expectRefreshRefused(memberCookie);
    const promoted = await sessionCookie(member);
    expect((await call(keysRoute, "/api/admin/api-keys", { cookie: promoted })).status).toBe(200);

    await setRole("member");
    expect((await call(keysRoute, "/api/admin/api-keys", { cookie: promoted })).status).toBe(401);
    await expectRefreshRefused(promoted);
  });

  it("when the user is removed", async () => {
    const tenant = await newTenant();
    const admin = await newUser(tenant.company.id, "admin");
    const member = await newUser(tenant.company.id, "member");
    const adminCookie = await sessionCookie(admin);
    const memberCookie = await sessionCookie(member);
    expect(await leadsStatus(memberCookie)).toBe(200);
    const removed = await call(userRoute, `/api/admin/users/${member.id}`, {
      method: "DELETE",
      params: { id: member.id },
      cookie: adminCookie,
    });
    expect(removed.status).toBe(200);
    await expectRefreshRefused(memberCookie);
  });

  it("SESSION_MAX_AGE_DAYS (7) after its sign-in, however often it was refreshed", async () => {
    const tenant = await newTenant();
    const member = await newUser(tenant.company.id, "member");
    const signedInAt = Date.now();
    setClock(() => new Date(signedInAt));
    const first = await sessionCookie(member);

    // Refreshed every day of the week: the session goes on, and its sign-in time with it.
    let cookie = first;
    for (let day = 1; day < 7; day++) {
      setClock(() => new Date(signedInAt + day * DAY_MS));
      const refreshed = await refresh(cookie);
      expect(refreshed.body?.user?.email).toBe(member.email);
      cookie = refreshed.cookie;
      expect(await leadsStatus(cookie)).toBe(200);
    }
    setClock(() => new Date(signedInAt + 7 * DAY_MS - 60_000));
    expect(await leadsStatus(cookie)).toBe(200);
    expect(await leadsStatus(first)).toBe(200);

    setClock(() => new Date(signedInAt + 7 * DAY_MS));
    for (const ended of [first, cookie]) {
      expect(await leadsStatus(ended)).toBe(401);
      await expectRefreshRefused(ended);
    }
    // A new sign-in starts a new week.
    expect(await leadsStatus(await sessionCookie(member))).toBe(200);
  });
});
