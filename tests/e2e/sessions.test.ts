import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ARTIFACTS, launchBrowser, type Portal, portalCommand, startPortal } from "./harness";

let portal: Portal;
let browser: Browser;
const ADMIN = { email: "admin@example.com", password: "an admin's long passphrase" };
// One person per test: the server keeps a signed-in person's record a few seconds, and the second
// test needs it first read by the copied session's pages.
const OWNER = {
  email: "owner@example.com",
  password: "the first passphrase",
  next: "the second passphrase",
  last: "the third passphrase",
};
const SESSION_COOKIE = "authjs.session-token";

beforeAll(async () => {
  portal = await startPortal((env) => {
    for (const person of [ADMIN, OWNER]) {
      portalCommand(env, "scripts/user.ts", [
        "create",
        "--email",
        person.email,
        "--password",
        person.password,
        "--role",
        "admin",
      ]);
    }
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(ARTIFACTS, `sessions-${name}.png`), fullPage: true });

async function signInPage(context: BrowserContext, person: { email: string; password: string }) {
  const page = await context.newPage();
  await page.goto(`${portal.base}/admin/sign-in`);
  await page.fill("#email", person.email);
  await page.fill("#password", person.password);
  await Promise.all([page.waitForURL(`${portal.base}/admin`), page.click("button[type=submit]")]);
  return page;
}

/** Signs a browser in through next-auth's endpoints, as the sign-in page would, without a page. */
async function signInRequest(context: BrowserContext, person: { email: string; password: string }) {
  const csrf = await context.request.get(`${portal.base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  await context.request.post(`${portal.base}/api/auth/callback/credentials`, {
    form: { csrfToken, email: person.email, password: person.password, callbackUrl: "/admin" },
    maxRedirects: 0,
  });
}

const sessionEmail = async (context: BrowserContext) => {
  const response = await context.request.get(`${portal.base}/api/auth/session`);
  return ((await response.json()) as { user?: { email?: string } } | null)?.user?.email ?? null;
};

const sessionCookieOf = async (context: BrowserContext) =>
  (await context.cookies()).find((c) => c.name === SESSION_COOKIE);

describe("next-auth's own endpoints on 127.0.0.1", () => {
  it("redirect to 127.0.0.1, not localhost, and its sign-out page signs out there", async () => {
    const base = portal.base;
    const signInPath = await fetch(`${base}/api/auth/signin`, { redirect: "manual" });
    const callbackUrl = new URL(signInPath.headers.get("location")!, base).searchParams.get("callbackUrl");
    expect(callbackUrl).toBe(base);

    const csrf = await fetch(`${base}/api/auth/csrf`);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const cookie = csrf.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const post = (action: string, fields: Record<string, string>) =>
      fetch(`${base}/api/auth/${action}`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie },
        body: new URLSearchParams({ csrfToken, ...fields }),
      });
    const signedIn = await post("callback/credentials", {
      email: ADMIN.email,
      password: ADMIN.password,
      callbackUrl: "/admin",
    });
    expect(signedIn.headers.get("location")).toBe(`${base}/admin`);
    expect((await post("signout", {})).headers.get("location")).toBe(base);

    // In the browser: next-auth's own sign-out page posts to, and lands on, the portal's origin.
    const context = await browser.newContext();
    const page = await signInPage(context, ADMIN);
    await page.goto(`${base}/api/auth/signout`);
    await shot(page, "next-auth-sign-out");
    await Promise.all([
      page.waitForURL((url) => url.origin === base && url.pathname === "/admin/sign-in"),
      page.click("button[type=submit]"),
    ]);
    expect(await sessionCookieOf(context)).toBeUndefined();
    await context.close();
  });
});

describe("a session copied before a password change", () => {
  it("is dead afterwards in every tab, and the refresh endpoint does not revive it; the owner's tab goes on", async () => {
    const base = portal.base;
    const owner = await browser.newContext();
    await signInRequest(owner, OWNER);

    // The session is copied into another browser, which opens the admin in two tabs and keeps the
    // session refreshed through next-auth's own endpoint.
    const thief = await browser.newContext();
    await thief.addCookies(await owner.cookies());
    const stolen = (await sessionCookieOf(thief))!;
    const leads = await thief.newPage();
    await leads.goto(`${base}/admin/leads`);
    expect(await leads.textContent("h1")).toBe("Leads");
    const account = await thief.newPage();
    await account.goto(`${base}/admin/account`);
    expect(await account.textContent("h1")).toBe("Your account");
    expect(await sessionEmail(thief)).toBe(OWNER.email);

    // The owner changes the password (through the API the account page calls), while the pages'
    // copy of the owner's record, read for the tabs above, is still fresh.
    const changed = await owner.request.post(`${base}/api/admin/account/password`, {
      headers: { origin: base },
      data: { current: OWNER.password, password: OWNER.next },
    });
    expect(changed.status()).toBe(200);

    // One tab is reloaded, the other sends a request from the page it shows: both go to sign-in.
    await Promise.all([leads.waitForURL(/\/admin\/sign-in\?/), leads.reload()]);
    await leads.waitForSelector("text=Your session has ended. Sign in again to go on.");
    await shot(leads, "stolen-tab-reloaded");
    await account.fill("#current", "whatever they try");
    await account.fill("#password", "a password of theirs");
    await account.fill("#confirm", "a password of theirs");
    await Promise.all([account.waitForURL(/\/admin\/sign-in\?/), account.click("text=Change password")]);
    await account.waitForSelector("text=Your session has ended. Sign in again to go on.");
    await shot(account, "stolen-tab-request");

    // The refresh endpoint answers no session and removes the cookie, in the browser and outside it.
    expect(await sessionEmail(thief)).toBeNull();
    expect(await sessionCookieOf(thief)).toBeUndefined();
    const withCopy = { cookie: `${stolen.name}=${stolen.value}` };
    const outside = await fetch(`${base}/api/auth/session`, { headers: withCopy });
    expect(await outside.json()).toBeNull();
    expect(outside.headers.getSetCookie()).toContainEqual(expect.stringMatching(/^authjs\.session-token=; /));
    expect((await fetch(`${base}/api/admin/leads`, { headers: withCopy })).status).toBe(401);

    // The owner's browser is still signed in, and changing the password again on the account page
    // keeps that tab signed in and says so.
    const ownerPage = await owner.newPage();
    await ownerPage.goto(`${base}/admin/account`);
    expect(await ownerPage.textContent("h1")).toBe("Your account");
    await ownerPage.fill("#current", OWNER.next);
    await ownerPage.fill("#password", OWNER.last);
    await ownerPage.fill("#confirm", OWNER.last);
    await ownerPage.click("text=Change password");
    await ownerPage.waitForSelector("text=Password changed. Every other session, on any device, has ended");
    await shot(ownerPage, "password-changed");
    await ownerPage.goto(`${base}/admin/leads`);
    expect(await ownerPage.textContent("h1")).toBe("Leads");
    expect(await sessionEmail(owner)).toBe(OWNER.email);
    await owner.close();
    await thief.close();
  });
});
