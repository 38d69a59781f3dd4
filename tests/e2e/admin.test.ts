import { createHmac } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../support/wait-for";
import {
  ARTIFACTS,
  axeViolations,
  launchBrowser,
  pageUrls,
  type Portal,
  portalCommand,
  startPortal,
} from "./harness";

let portal: Portal;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let apiKey: string;
const ADMIN = { name: "Dana Admin", email: "dana@example.com", password: "a long admin passphrase" };
const SEEDED = 120;
const STAGES = ["new", "quoted", "won"];

beforeAll(async () => {
  portal = await startPortal((env) => {
    // The webhook test's receiver listens on loopback, which the operator must allow.
    env.WEBHOOK_ALLOWED_HOSTS = "127.0.0.1";
    const out = portalCommand(env, "scripts/apikey.ts", [
      "create",
      "--name",
      "seed",
      "--scopes",
      "leads:read,leads:write",
    ]);
    apiKey = out.trim().split("\n").at(-1)!;
  });
  // Leads made through the API, oldest first: Person 120 is the newest.
  for (let i = 1; i <= SEEDED; i++) {
    const n = String(i).padStart(3, "0");
    const response = await fetch(`${portal.base}/open-api/leads`, {
      method: "POST",
      headers: { "x-api-key": apiKey, "content-type": "application/json" },
      body: JSON.stringify({
        name: `Person ${n}`,
        phone: `+1612555${String(1000 + i)}`,
        email: `person${n}@example.com`,
        stage: STAGES[i % 3],
        tags: i % 4 === 0 ? ["roof"] : ["window"],
        source: i % 2 === 0 ? "website" : "referral",
      }),
    });
    if (response.status !== 201) throw new Error(`seeding failed: ${response.status}`);
  }
  browser = await launchBrowser();
  context = await browser.newContext({ acceptDownloads: true });
  page = await context.newPage();
  page.on("dialog", (dialog) => void dialog.accept());
  // Anything the pages' Content-Security-Policy blocks shows in the console: none may.
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
});

const cspViolations: string[] = [];

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

const shot = (name: string) =>
  page.screenshot({ path: path.join(ARTIFACTS, `admin-${name}.png`), fullPage: true });

function adminRouteUrls(dir = path.resolve("app/api/admin"), prefix = "/api/admin"): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isFile()) return entry.name === "route.ts" ? [prefix] : [];
    const segment =
      entry.name === "[id]"
        ? "/00000000-0000-4000-8000-000000000000"
        : entry.name === "[slug]"
          ? "/contact"
          : `/${entry.name}`;
    return adminRouteUrls(path.join(dir, entry.name), prefix + segment);
  });
}

describe("the admin in real Chromium", () => {
  it("refuses anonymous visitors on every admin page and admin route, even with a forged cookie", async () => {
    const pages = pageUrls(path.resolve("app/admin"), "/admin", {
      id: "00000000-0000-4000-8000-000000000000",
      slug: "contact",
    }).filter((url) => url !== "/admin/sign-in" && url !== "/admin/setup");
    expect(pages.length).toBeGreaterThanOrEqual(7);
    const forged = "authjs.session-token=forged";
    for (const url of pages) {
      for (const cookie of [undefined, forged]) {
        const response = await fetch(portal.base + url, {
          redirect: "manual",
          headers: cookie ? { cookie } : {},
        });
        expect(response.status, `${url} ${cookie ?? ""}`).toBe(307);
        expect(response.headers.get("location"), url).toContain("/admin/sign-in");
      }
    }
    for (const url of adminRouteUrls()) {
      for (const method of ["GET", "POST", "PATCH", "DELETE"]) {
        const response = await fetch(portal.base + url, { method, redirect: "manual" });
        expect([401, 405], `${method} ${url}`).toContain(response.status);
      }
      expect((await fetch(portal.base + url, { headers: { cookie: forged } })).status).not.toBe(200);
    }
  });

  it("sends a nonce-based CSP and the other security headers on every page, each view its own nonce", async () => {
    const nonces = new Set<string>();
    for (const url of ["/", "/admin/sign-in", "/admin/sign-in"]) {
      const response = await fetch(portal.base + url);
      const policy = response.headers.get("content-security-policy") ?? "";
      const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
      expect(nonce, url).toBeDefined();
      nonces.add(nonce!);
      expect(policy).toContain("'strict-dynamic'");
      expect(policy).toContain("frame-ancestors 'none'");
      expect(policy).toContain("object-src 'none'");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
      // next start runs in production: browsers keep to HTTPS once they have seen the portal over it.
      expect(response.headers.get("strict-transport-security")).toMatch(/^max-age=\d+/);
      const html = await response.text();
      const scripts = html.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag, url).toContain(`nonce="${nonce}"`);
    }
    expect(nonces.size).toBe(3);
    expect((await fetch(`${portal.base}/admin/sign-in`)).headers.get("x-frame-options")).toBe("DENY");
  });

  it("sets up the first admin once, with errors beside the fields and values kept", async () => {
    await page.goto(`${portal.base}/admin`);
    expect(new URL(page.url()).pathname).toBe("/admin/setup");
    await page.fill("#name", ADMIN.name);
    await page.fill("#email", ADMIN.email);
    await page.fill("#password", ADMIN.password);
    await page.fill("#confirm", "something else entirely");
    await page.click("button[type=submit]");
    await page.waitForSelector("#confirm-error");
    expect(await page.textContent("#confirm-error")).toBe("The two passwords differ");
    expect(await page.inputValue("#email")).toBe(ADMIN.email);
    expect(await page.getAttribute("#confirm", "aria-invalid")).toBe("true");
    // The password was valid, so it is kept; only the one that did not match is emptied.
    expect(await page.inputValue("#password")).toBe(ADMIN.password);
    expect(await page.inputValue("#confirm")).toBe("");
    await shot("setup-error");
    await page.fill("#confirm", ADMIN.password);
    await Promise.all([page.waitForURL(`${portal.base}/admin`), page.click("button[type=submit]")]);
    expect(await page.textContent("h1")).toBe("Dashboard");
    await shot("dashboard");

    const again = await fetch(`${portal.base}/admin/setup`, { redirect: "manual" });
    expect(again.status).toBe(307);
    expect(again.headers.get("location")).toContain("/admin/sign-in");
  });

  it("signs out, refuses a wrong password, signs in", async () => {
    await Promise.all([page.waitForURL(/\/admin\/sign-in/), page.click("text=Sign out")]);
    await page.goto(`${portal.base}/admin/leads?stage=won`);
    expect(new URL(page.url()).pathname).toBe("/admin/sign-in");
    expect(await axeViolations(page)).toEqual([]);
    await page.fill("#email", ADMIN.email);
    await page.fill("#password", "not my password");
    await page.click("button[type=submit]");
    await page.waitForSelector("text=That email and password do not match an account.");
    expect(await page.inputValue("#email")).toBe(ADMIN.email);
    await page.fill("#password", ADMIN.password);
    await Promise.all([page.waitForURL(/\/admin\/leads\?stage=won$/), page.click("button[type=submit]")]);
  });

  it("searches, filters by stage and tag, and pages, with the state in the URL", async () => {
    await page.goto(`${portal.base}/admin/leads`);
    await page.waitForSelector(`text=${SEEDED} leads`);
    expect(await page.locator("tbody tr").count()).toBe(50);
    expect(await page.locator("tbody tr").first().textContent()).toContain("Person 120");
    expect(await axeViolations(page)).toEqual([]);
    await shot("leads");

    await page.click("text=Next");
    await page.waitForURL(/page=2/);
    await page.waitForSelector("text=Page 2 of 3");
    expect(await page.locator("tbody tr").first().textContent()).toContain("Person 070");
    await page.goBack();
    await page.waitForSelector("text=Page 1 of 3");
    expect(new URL(page.url()).searchParams.get("page")).toBeNull();

    await page.click("text=Next");
    await page.waitForURL(/page=2/);
    await page.fill("#search", "person11");
    await page.waitForURL(/search=person11/);
    const url = new URL(page.url());
    expect(url.searchParams.get("page")).toBeNull();
    // person110@ to person119@.
    await page.waitForSelector("text=10 leads");
    expect(await page.locator("tbody tr").count()).toBe(10);

    await page.fill("#search", "612555 1117");
    await page.waitForSelector("text=1 lead");
    expect(await page.locator("tbody tr").first().textContent()).toContain("Person 117");
    await page.fill("#search", "");
    await page.waitForSelector(`text=${SEEDED} leads`);

    // The stage filter offers the pipeline's stages, as it spells them.
    await page.selectOption("#stage", "Won");
    await page.waitForURL(/stage=Won/);
    await page.waitForSelector("text=40 leads");
    await page.fill("#tags", "roof");
    await page.press("#tags", "Enter");
    await page.waitForURL(/tags=roof/);
    // Stage "won" is i % 3 == 2 and tag "roof" is i % 4 == 0: i % 12 == 8, ten of them.
    await page.waitForSelector("text=10 leads");
    await shot("leads-filtered");

    // A shared link opens the same view.
    const shared = await context.newPage();
    await shared.goto(page.url());
    await shared.waitForSelector("text=10 leads");
    await shared.close();
  });

  it("exports the current filter as CSV, every page of it", async () => {
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("text=Export CSV")]);
    const text = readFileSync((await download.path())!, "utf8");
    const lines = text.trim().split("\r\n");
    expect(lines).toHaveLength(1 + 10);
    expect(lines[0]).toContain("tags");
    expect(lines.slice(1).every((l) => l.includes("roof"))).toBe(true);
    // Phone numbers start with +, so they are written as text, never as a formula.
    expect(lines[1]).toContain(",'+1612555");
  });

  it("opens a lead, edits it, and the list shows the edit", async () => {
    await page.goto(`${portal.base}/admin/leads?search=person108`);
    await page.waitForSelector("text=1 lead");
    await Promise.all([page.waitForURL(/\/admin\/leads\/[0-9a-f-]{36}$/), page.click("text=Person 108")]);
    expect(await page.textContent("h1")).toBe("Person 108");
    // The page reads first; editing is behind its button.
    await page.click("summary:text-is('Edit lead')");
    await page.fill("#email", "not-an-email");
    await page.click("text=Save changes");
    await page.waitForSelector("#email-error");
    expect(await page.textContent("#email-error")).toBe("Invalid email format");
    await page.fill("#email", "person108@example.com");
    await page.selectOption("#stage", "Scheduled");
    await page.fill("#notes", "Wants the back windows too");
    await page.fill("#tags", "roof, priority");
    await page.click("text=Save changes");
    await page.waitForSelector("text=Saved.");
    // The page's refresh after the save brings the new stage into the header, and keeps the form open
    // with its "Saved." (the editor is not started afresh by its own save).
    await page.waitForSelector("dd:text-is('Scheduled')");
    expect(await page.isVisible("text=Saved.")).toBe(true);
    await shot("lead-edited");

    await page.goto(`${portal.base}/admin/leads?search=person108`);
    await page.waitForSelector("text=1 lead");
    const row = await page.locator("tbody tr").first().textContent();
    expect(row).toContain("Scheduled");
    expect(row).toContain("priority");
  });

  it("shows a returning visitor's second submission on the lead's timeline, accepts a proposed change, restores spam", async () => {
    const submit = async (body: Record<string, unknown>) => {
      const response = await fetch(`${portal.base}/api/intake/contact`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(201);
    };
    await submit({ name: "Rita Returning", phone: "612 555 9001", notes: "First visit: the front windows" });
    await submit({
      name: "Rita R. Returning",
      phone: "(612) 555-9001",
      email: "rita@example.com",
      notes: "Second visit: the gutters too",
      referral_source: "A neighbour",
    });
    await submit({ name: "Sam Caught", phone: "612 555 9002", website_url: "autofilled by mistake" });

    await page.goto(`${portal.base}/admin/leads?search=rita`);
    await page.waitForSelector("text=1 lead");
    await Promise.all([page.waitForURL(/\/admin\/leads\/[0-9a-f-]{36}$/), page.click("text=Rita Returning")]);
    const timeline = page.locator(".timeline");
    await timeline.locator("text=Second visit: the gutters too").waitFor();
    // Every field as sent, the unknown one too, and the first message, still there.
    expect(await timeline.textContent()).toContain("A neighbour");
    expect(await timeline.textContent()).toContain("First visit: the front windows");
    // The empty email was filled; the different name waits as a proposal.
    expect(await page.inputValue("#email")).toBe("rita@example.com");
    const proposals = page.locator(".proposals");
    expect(await proposals.textContent()).toContain("Rita R. Returning");
    await page.setViewportSize({ width: 1440, height: 900 });
    await shot("lead-timeline");
    await page.setViewportSize({ width: 390, height: 844 });
    await shot("lead-timeline-phone");
    await page.setViewportSize({ width: 1280, height: 800 });

    await proposals.locator("button:text-is('Accept')").click();
    await page.waitForFunction(() => document.querySelector("h1")?.textContent === "Rita R. Returning");
    await page.waitForSelector(".proposals", { state: "detached" });
    expect(await page.inputValue("#name")).toBe("Rita R. Returning");
    await timeline.locator("text=accepted a proposed change").waitFor();

    await page.goto(`${portal.base}/admin/review`);
    const caught = page.locator(".review-item", { hasText: "Sam Caught" });
    expect(await caught.textContent()).toContain("filled the hidden field");
    await page.setViewportSize({ width: 1440, height: 900 });
    await shot("review-spam");
    await page.setViewportSize({ width: 390, height: 844 });
    await shot("review-spam-phone");
    await page.setViewportSize({ width: 1280, height: 800 });
    await caught.locator("button:text-is('Not spam')").click();
    await caught.waitFor({ state: "detached" });
    await page.goto(`${portal.base}/admin/leads?search=${encodeURIComponent("Sam Caught")}`);
    await page.waitForSelector("text=1 lead");
  });

  it("archives selected rows in bulk", async () => {
    await page.goto(`${portal.base}/admin/leads?search=person10`);
    await page.waitForSelector("text=10 leads");
    await page.check('[aria-label="Select Person 101"]');
    await page.check('[aria-label="Select Person 102"]');
    await page.click("text=2 selected");
    await page.click("button:text-is('Archive')");
    await page.waitForSelector("text=8 leads");
    // The box shows the URL's state, so it turns checked once the URL has changed.
    await page.click("text=Include archived");
    await page.waitForURL(/archived=true/);
    await page.waitForSelector("text=10 leads");
  });

  it("creates an API key shown once, which works until it is revoked", async () => {
    await page.goto(`${portal.base}/admin/api-keys`);
    await page.fill("#key-name", "Zapier");
    await page.click("text=Create key");
    const key = (await page.locator("[data-testid=new-key]").textContent())!.trim();
    expect(key).toMatch(/^lip_/);
    await shot("api-key-created");
    const check = () => fetch(`${portal.base}/open-api/auth/test`, { headers: { "x-api-key": key } });
    expect((await check()).status).toBe(200);
    await page.click("text=Done");
    await page.reload();
    expect(await page.content()).not.toContain(key);
    const row = page.locator("tr", { hasText: "Zapier" });
    await row.locator("text=Revoke").click();
    await page.waitForSelector("tr:has-text('Zapier') >> text=revoked");
    expect((await check()).status).toBe(401);
  });

  it("edits a form and gives its embed snippet", async () => {
    await page.goto(`${portal.base}/admin/forms/contact`);
    expect(await page.textContent("[data-testid=embed-snippet]")).toContain(`${portal.base}/embed.js`);
    await page.fill("#title", "Ask for a quote");
    await page.fill("#allowed_origins", "https://www.example.com");
    await page.click("text=Save form");
    await page.waitForSelector("text=Saved.");
    await shot("form-edited");
  });

  it("adds a webhook endpoint, its secret shown once, and the log shows the signed delivery of a new lead", async () => {
    const received: { signature: string; body: string }[] = [];
    const receiver = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        received.push({ signature: String(req.headers["x-portal-signature"]), body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
      await page.goto(`${portal.base}/admin/deliveries`);
      await page.fill("#webhook-url", url);
      await page.click("text=Add endpoint");
      const secret = (await page.locator("[data-testid=webhook-secret]").textContent())!.trim();
      expect(secret).toMatch(/^whsec_/);
      await shot("webhook-added");
      await page.click("text=Done");
      await page.reload();
      expect(await page.content()).not.toContain(secret);

      const response = await fetch(`${portal.base}/open-api/leads`, {
        method: "POST",
        headers: { "x-api-key": apiKey, "content-type": "application/json" },
        body: JSON.stringify({ name: "Hooked Person", phone: "+16125559990" }),
      });
      expect(response.status).toBe(201);
      // The server delivers right after the write.
      await waitFor("the webhook delivery", () => received.length > 0, 10_000, 100);
      expect(received).toHaveLength(1);
      const [delivery] = received;
      const t = /t=(\d+)/.exec(delivery!.signature)![1];
      const mac = createHmac("sha256", secret).update(`${t}.${delivery!.body}`).digest("hex");
      expect(delivery!.signature).toBe(`t=${t},v1=${mac}`);
      await page.reload();
      await page.waitForSelector("tr:has-text('lead.created') >> text=delivered");
      await shot("deliveries");
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it("shows an endpoint that keeps failing as paused, and resumes it", async () => {
    let failing = true;
    const receiver = createServer((req, res) => {
      req.resume();
      req.on("end", () => res.writeHead(failing ? 500 : 204).end());
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/failing`;
      await page.goto(`${portal.base}/admin/deliveries`);
      await page.fill("#webhook-url", url);
      await page.click("text=Add endpoint");
      await page.click("text=Done");
      // Ten failed deliveries in a row pause it.
      for (let i = 0; i < 10; i++) {
        const response = await fetch(`${portal.base}/open-api/leads`, {
          method: "POST",
          headers: { "x-api-key": apiKey, "content-type": "application/json" },
          body: JSON.stringify({ name: `Unheard Person ${i}`, phone: `+1612555998${i}` }),
        });
        expect(response.status).toBe(201);
      }
      // Its row among the endpoints (which show their secret's start), not the log's.
      const row = page.locator("tr", { hasText: "whsec_" }).filter({ hasText: "/failing" });
      await waitFor(
        "the endpoint shown as paused",
        async () => {
          if ((await row.textContent())?.includes("Paused")) return true;
          await page.reload();
          return false;
        },
        10_000,
        100,
      );
      expect(await row.textContent()).toMatch(/Paused after 10 failed attempts in a row, until .+ UTC/);
      await shot("webhook-paused");
      // Once the receiver is fixed, Resume sends what waited; had it failed again, it would be paused again.
      failing = false;
      await row.locator("text=Resume").click();
      await row.locator("td", { hasText: /^On$/ }).waitFor();
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it("has no accessibility violations on any staff page (axe-core)", async () => {
    await page.goto(`${portal.base}/admin/leads?search=person108`);
    await page.waitForSelector("text=1 lead");
    const leadUrl = await page.locator("tbody a").first().getAttribute("href");
    for (const url of [
      "/admin",
      "/admin/leads/new",
      leadUrl!,
      "/admin/api-keys",
      "/admin/forms",
      "/admin/forms/contact",
      "/admin/users",
      "/admin/account",
      "/admin/deliveries",
      "/admin/review",
      "/admin/settings",
      "/admin/leads/due",
    ]) {
      await page.goto(portal.base + url);
      expect(await axeViolations(page), url).toEqual([]);
    }
    // Every page so far ran its scripts under the policy without a violation.
    expect(cspViolations).toEqual([]);
  });
});
