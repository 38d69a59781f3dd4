import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ARTIFACTS, launchBrowser, phoneProblems, type Portal, startPortal } from "./harness";

/** A common phone: 390 × 844 CSS pixels, touch, laid out by its viewport meta tag. */
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
/** The smallest tap target the admin offers (WCAG 2.5.5). */
const TAP = 44;
const ADMIN = { name: "Dana Admin", email: "dana@example.com", password: "a long admin passphrase" };
const MEMBER = {
  name: "Maximilian Oppenheimer-Castellanos",
  email: "maximilian.oppenheimer-castellanos@roofing-and-gutters.example.com",
  password: "a long member passphrase",
};
const MISSING_LEAD = "/admin/leads/00000000-0000-4000-8000-000000000000";

let portal: Portal;
let browser: Browser;
let page: Page;
let receiver: Server;

beforeAll(async () => {
  portal = await startPortal((env) => {
    // The webhook's receiver listens on loopback, which the operator must allow.
    env.WEBHOOK_ALLOWED_HOSTS = "127.0.0.1";
  });
  receiver = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(204).end());
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  browser = await launchBrowser();
  page = await (await browser.newContext(PHONE)).newPage();
  page.on("dialog", (dialog) => void dialog.accept());
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve(undefined)));
  await portal?.stop();
});

/** Full-page screenshot as test-results/phone-NAME-STATE.png, then every check above. */
async function checkPhone(name: string, state: "empty" | "data"): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `phone-${name}-${state}.png`), fullPage: true });
  // Soft: one run lists every page's problems, not only the first page's.
  expect
    .soft(await page.evaluate(phoneProblems, { tap: TAP, width: PHONE.viewport.width }), `${name} (${state})`)
    .toEqual([]);
}

async function open(url: string): Promise<void> {
  await page.goto(portal.base + url, { waitUntil: "networkidle" });
}

async function openMenu(): Promise<void> {
  if ((await page.getAttribute(".menu-toggle", "aria-expanded")) !== "true") await page.click(".menu-toggle");
  await page.locator("#admin-menu nav").waitFor();
}

async function signOut(): Promise<void> {
  await openMenu();
  await Promise.all([page.waitForURL(/\/admin\/sign-in/), page.click("button:text-is('Sign out')")]);
}

async function signIn(): Promise<void> {
  await page.fill("#email", ADMIN.email);
  await page.fill("#password", ADMIN.password);
  await Promise.all([page.waitForURL(/\/admin(\?|$)/), page.click("button[type=submit]")]);
}

/** Every staff page, each ready to be looked at: the leads list once its count has arrived. */
async function checkStaffPages(state: "empty" | "data", lead: string, leads: number): Promise<void> {
  const pages: [string, string, string][] = [
    ["dashboard", "/admin", "h1:text-is('Dashboard')"],
    ["leads", "/admin/leads", `text=${leads} ${leads === 1 ? "lead" : "leads"}`],
    ["lead", lead, "h1"],
    ["new-lead", "/admin/leads/new", "h1"],
    ["board", "/admin/leads/board", "section[data-stage]"],
    ["due", "/admin/leads/due", "h1:text-is('Follow-ups due')"],
    ["duplicates", "/admin/leads/duplicates", "h1:text-is('Duplicates')"],
    ["review", "/admin/review", "h1:text-is('Review')"],
    ["forms", "/admin/forms", "h1:text-is('Forms')"],
    ["form", "/admin/forms/contact", "[data-testid=embed-snippet]"],
    ["deliveries", "/admin/deliveries", "h1:text-is('Deliveries')"],
    ["api-keys", "/admin/api-keys", "h1:text-is('API keys')"],
    ["users", "/admin/users", "h1:text-is('Users')"],
    ["account", "/admin/account", "h1"],
    ["settings", "/admin/settings", "h1"],
    ["not-found", "/admin/no-such-page", "h1:text-is('Page not found')"],
  ];
  for (const [name, url, ready] of pages) {
    await open(url);
    await page.locator(ready).first().waitFor();
    await checkPhone(name, state);
  }
}

describe("the admin on a 390 × 844 phone", () => {
  it("sets up the first admin on a page with margins, a 404 in the admin frame, and fits every page while empty", async () => {
    await open("/admin");
    expect(new URL(page.url()).pathname).toBe("/admin/setup");
    const form = await page.locator("main.narrow form").boundingBox();
    expect(form!.x).toBeGreaterThanOrEqual(12);
    expect(form!.x + form!.width).toBeLessThanOrEqual(390 - 12);
    await checkPhone("setup", "empty");
    // Its errors beside the fields, on a phone too.
    await page.fill("#name", ADMIN.name);
    await page.fill("#email", ADMIN.email);
    await page.fill("#password", ADMIN.password);
    await page.fill("#confirm", "something else entirely");
    await page.click("button[type=submit]");
    await page.waitForSelector("#confirm-error");
    await checkPhone("setup-error", "empty");
    // The passwords are not sent back: typed again.
    await page.fill("#password", ADMIN.password);
    await page.fill("#confirm", ADMIN.password);
    await Promise.all([page.waitForURL(`${portal.base}/admin`), page.click("button[type=submit]")]);

    await checkStaffPages("empty", MISSING_LEAD, 0);

    // An unknown address and a lead that is not there: the admin's 404, with its status, in the
    // admin frame, with the way back to the leads.
    expect((await page.goto(`${portal.base}/admin/no-such-page`))!.status()).toBe(404);
    expect((await page.goto(portal.base + MISSING_LEAD))!.status()).toBe(404);
    expect(await page.textContent("h1")).toBe("Page not found");
    expect(await page.isVisible(".admin-bar .menu-toggle")).toBe(true);
    await Promise.all([page.waitForURL(/\/admin\/leads$/), page.click("a:text-is('Back to Leads')")]);

    await signOut();
    const signInForm = await page.locator("main.narrow form").boundingBox();
    expect(signInForm!.x).toBeGreaterThanOrEqual(12);
    expect(signInForm!.x + signInForm!.width).toBeLessThanOrEqual(390 - 12);
    await checkPhone("sign-in", "empty");
    await page.fill("#email", ADMIN.email);
    await page.fill("#password", "not my password");
    await page.click("button[type=submit]");
    await page.waitForSelector("text=That email and password do not match an account.");
    await checkPhone("sign-in-error", "empty");
    await signIn();
  });

  it("keeps the bar to one row with a Menu that opens, closes by keyboard, and closes on the page it opens", async () => {
    await open("/admin/leads");
    const bar = await page.locator(".admin-bar").boundingBox();
    expect(bar!.height).toBeLessThanOrEqual(60);
    expect(await page.isVisible("nav[aria-label=Admin]")).toBe(false);
    expect(await page.getAttribute(".menu-toggle", "aria-expanded")).toBe("false");

    await page.focus(".menu-toggle");
    await page.keyboard.press("Enter");
    await page.locator("nav[aria-label=Admin]").waitFor();
    expect(await page.getAttribute(".menu-toggle", "aria-expanded")).toBe("true");
    // Its links follow the button in the tab order, the current page marked.
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Dashboard");
    expect(await page.textContent("nav[aria-label=Admin] a[aria-current=page]")).toBe("Leads");
    await checkPhone("menu", "empty");
    await page.keyboard.press("Escape");
    await page.locator("nav[aria-label=Admin]").waitFor({ state: "hidden" });
    expect(await page.evaluate(() => document.activeElement?.classList.contains("menu-toggle"))).toBe(true);

    await page.click(".menu-toggle");
    await Promise.all([
      page.waitForURL(/\/admin\/api-keys$/),
      page.click("nav[aria-label=Admin] >> text=API keys"),
    ]);
    await page.waitForSelector("h1:text-is('API keys')");
    await page.locator("nav[aria-label=Admin]").waitFor({ state: "hidden" });
    expect(await page.getAttribute(".menu-toggle", "aria-expanded")).toBe("false");
  });

  it("fits every page with data: leads, a form, an API key, a webhook, a second user", async () => {
    // A key, shown once.
    await open("/admin/api-keys");
    await page.fill("#key-name", "Zapier on the office laptop, for the quote spreadsheet");
    await page.click("text=Create key");
    const key = (await page.locator("[data-testid=new-key]").textContent())!.trim();
    expect(key).toMatch(/^lip_/);
    await checkPhone("api-key-created", "data");
    await page.click("text=Done");

    // A webhook, its secret shown once.
    await open("/admin/deliveries");
    const port = (receiver.address() as AddressInfo).port;
    await page.fill("#webhook-url", `http://127.0.0.1:${port}/hooks/leads/created-and-updated`);
    await page.click("text=Add endpoint");
    await page.locator("[data-testid=webhook-secret]").waitFor();
    await checkPhone("webhook-added", "data");
    await page.click("text=Done");

    // A second user, a member.
    await open("/admin/users");
    await page.fill("#user-email", MEMBER.email);
    await page.fill("#user-name", MEMBER.name);
    await page.fill("#user-password", MEMBER.password);
    await page.click("text=Add user");
    await page.waitForSelector(`text=${MEMBER.email} can now sign in.`);

    // The form, filled in.
    await open("/admin/forms/contact");
    await page.fill("#title", "Ask for a free quote on windows, roofs and gutters");
    await page.fill(
      "#allowed_origins",
      "https://www.northside-windows-and-roofing.example.com\nhttps://quotes.example.org",
    );
    // Two questions of the business's own, one waiting for the other's answer.
    await page.click("text=Add a question");
    await page.getByLabel("Question", { exact: true }).fill("Which of these do you need done this season?");
    await page.getByLabel("Answer", { exact: true }).selectOption("choices");
    await page.getByLabel("Options, one per line").fill("Windows\nGutters\nRoof moss");
    await page.click("text=Add a question");
    await page.locator(".question").last().getByLabel("Show", { exact: true }).selectOption({ index: 1 });
    await page.click("text=Save form");
    await page.waitForSelector("text=Saved.");

    // Leads through the API, some due for a follow-up, one with every field long.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const post = async (body: Record<string, unknown>) => {
      const response = await fetch(`${portal.base}/open-api/leads`, {
        method: "POST",
        headers: { "x-api-key": key, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(201);
    };
    for (let i = 1; i <= 24; i++) {
      await post({
        name: `Person ${String(i).padStart(2, "0")}`,
        phone: `+1612555${1000 + i}`,
        email: `person${i}@example.com`,
        stage: ["new", "quoted", "won"][i % 3],
        tags: i % 2 ? ["window"] : ["roof", "priority", "spring-2027"],
        source: i % 2 ? "website" : "referral",
        ...(i % 5 === 0 ? { follow_up_date: yesterday, service_type: "Gutter cleaning" } : {}),
      });
    }
    await post({
      name: "Alexandria Montgomery-Fitzgerald-Worthington",
      phone: "+16125559100",
      email: "alexandria.montgomery-fitzgerald@a-rather-long-company-name.example.com",
      stage: "waiting for the insurance adjuster",
      tags: ["roof", "storm-damage", "insurance-claim", "two-storey", "needs-ladder-truck"],
      source: "https://www.northside-windows-and-roofing.example.com/services/roof-repair",
      address_street1: "12345 North Longfellow Avenue Southwest, Apartment 1204",
      address_city: "Minneapolis",
      follow_up_date: yesterday,
      service_type: "Roof repair after the hail storm",
      notes: "Wants the whole back slope looked at; the adjuster comes Thursday.",
    });

    // A returning visitor through the form (a proposed change waits), and spam kept for review.
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
      email: "rita.returning.with.a.long.address@example.com",
      notes:
        "Second visit: the gutters too, and the downspout on the north-east corner that overflows every time it rains hard.",
      referral_source: "A neighbour across the street who had the same gutters replaced last autumn",
    });
    await submit({ name: "Sam Caught", phone: "612 555 9002", website_url: "autofilled by mistake" });

    await open("/admin/leads?search=rita");
    await page.waitForSelector("text=1 lead");
    await Promise.all([page.waitForURL(/\/admin\/leads\/[0-9a-f-]{36}$/), page.click("text=Rita Returning")]);
    const lead = new URL(page.url()).pathname;
    await page.locator(".proposals").waitFor();

    // 24 + Alexandria + Rita; the spam is no lead.
    await checkStaffPages("data", lead, 26);

    // The lead's editor, opened.
    await open(lead);
    await page.click("summary:text-is('Edit lead')");
    await page.locator("#notes").waitFor();
    await checkPhone("lead-editing", "data");

    // The list's cards: one per lead, each within the screen, a checkbox a fingertip wide.
    await open("/admin/leads");
    await page.waitForSelector("text=26 leads");
    const card = await page.locator("tbody tr").first().boundingBox();
    expect(card!.x + card!.width).toBeLessThanOrEqual(390);
    await page.check('[aria-label="Select Alexandria Montgomery-Fitzgerald-Worthington"]');
    await page.waitForSelector("text=1 selected");
    await checkPhone("leads-selected", "data");

    // A user's row while a new password is typed for them.
    await open("/admin/users");
    await page.click("button:text-is('Set a new password')");
    await page.locator(`[id^=reset-]`).first().waitFor();
    await checkPhone("users-reset", "data");

    // Persons 10, 15 and Alexandria: 05 and 20 are won, no longer open.
    await open("/admin/leads/due");
    expect(await page.locator(".due-list li").count()).toBe(3);

    await signOut();
    await checkPhone("sign-in", "data");
    await signIn();
  });
});
