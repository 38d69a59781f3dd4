import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ARTIFACTS, launchBrowser, type Portal, seedApiKey, startPortal } from "./harness";

let portal: Portal;
let browser: Browser;
let apiKey: string;
const ADMIN = { name: "Tess Triage", email: "tess@example.com", password: "a long admin passphrase" };
const DESKTOP = { viewport: { width: 1440, height: 900 } };
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

/** The leads, made through the API: some due, one won, values to sort by. */
const LEADS: Record<string, unknown>[] = [
  { name: "Ann Gutters", stage: "Quoted", projected_value: 900, tags: ["roof"], follow_up_date: yesterday },
  { name: "Bob Windows", stage: "New", projected_value: 150, tags: ["window"], follow_up_date: yesterday },
  {
    name: "Cal Roofer",
    stage: "Contacted",
    projected_value: 4200,
    tags: ["roof"],
    follow_up_date: yesterday,
  },
  { name: "Dee Won", stage: "Won", projected_value: 2500, tags: ["roof"] },
  { name: "Eve Nothing", projected_value: null, tags: [] },
];

beforeAll(async () => {
  portal = await startPortal((env) => {
    apiKey = seedApiKey(env, "leads:write");
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

async function seed(): Promise<void> {
  for (const [i, lead] of LEADS.entries()) {
    const response = await fetch(`${portal.base}/open-api/leads`, {
      method: "POST",
      headers: { "x-api-key": apiKey, "content-type": "application/json" },
      body: JSON.stringify({ phone: `+1612555${3000 + i}`, ...lead }),
    });
    expect(response.status).toBe(201);
  }
}

async function signIn(page: Page): Promise<void> {
  await page.goto(`${portal.base}/admin/sign-in`);
  await page.fill("#email", ADMIN.email);
  await page.fill("#password", ADMIN.password);
  await Promise.all([page.waitForURL(/\/admin(\?|$)/), page.click("button[type=submit]")]);
}

const titles = (page: Page) => page.locator("tbody td.title a").allTextContents();

/** Waits for the list to show these leads, top to bottom (the page before may linger while the next loads). */
async function shows(page: Page, expected: string[]): Promise<void> {
  await page
    .waitForFunction(
      (want) =>
        document.querySelector("table.leads")?.getAttribute("aria-busy") === "false" &&
        [...document.querySelectorAll("tbody td.title a")].map((a) => a.textContent).join("|") === want,
      expected.join("|"),
      { timeout: 15_000 },
    )
    .catch(() => undefined);
  expect(await titles(page)).toEqual(expected);
}

const paramsOf = (url: string) => [...new URL(url).searchParams].sort();

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(ARTIFACTS, `triage-${name}.png`), fullPage: true });

describe("triage in the leads list", () => {
  let context: BrowserContext;
  let page: Page;

  it("sorts by a column, marks new leads, opens a built-in view, saves a view, which outlives signing out", async () => {
    context = await browser.newContext(DESKTOP);
    page = await context.newPage();
    await page.goto(`${portal.base}/admin/setup`);
    await page.fill("#name", ADMIN.name);
    await page.fill("#email", ADMIN.email);
    await page.fill("#password", ADMIN.password);
    await page.fill("#confirm", ADMIN.password);
    await Promise.all([page.waitForURL(`${portal.base}/admin`), page.click("button[type=submit]")]);
    // The leads come in after the admin began: every one is new to her.
    await seed();

    await page.goto(`${portal.base}/admin/leads`);
    await shows(page, ["Eve Nothing", "Dee Won", "Cal Roofer", "Bob Windows", "Ann Gutters"]);
    expect(await page.locator("tbody .mark:text-is('New')").count()).toBe(5);
    expect(await page.getAttribute("a[aria-current=page]", "href")).toBe("/admin/leads");

    // Value: the largest first, then the other way; leads without one last both ways.
    await page.click("th >> button:has-text('Value')");
    await page.waitForURL(/sort=-value/);
    expect(await page.getAttribute("th:has(button:has-text('Value'))", "aria-sort")).toBe("descending");
    await shows(page, ["Cal Roofer", "Dee Won", "Ann Gutters", "Bob Windows", "Eve Nothing"]);
    await page.click("th >> button:has-text('Value')");
    await page.waitForURL(/sort=value/);
    expect(await page.getAttribute("th:has(button:has-text('Value'))", "aria-sort")).toBe("ascending");
    await shows(page, ["Bob Windows", "Ann Gutters", "Dee Won", "Cal Roofer", "Eve Nothing"]);
    await shot(page, "sorted-desktop");

    // Due: the open leads followed up yesterday, most overdue first (then the newest); the filter
    // says so, removably.
    await page.click(".views >> text=Due");
    await page.waitForURL(/\?due=1&sort=follow-up$/);
    expect(await page.textContent(".views a[aria-current=page]")).toBe("Due");
    await shows(page, ["Cal Roofer", "Bob Windows", "Ann Gutters"]);
    expect(await page.isVisible("button[aria-label='Remove filter: Follow-up due (today or past)']")).toBe(
      true,
    );

    // Narrowed by a tag, it is a view of its own to save.
    await page.fill("#tags", "roof");
    await page.press("#tags", "Enter");
    await page.waitForURL(/tags=roof/);
    await shows(page, ["Cal Roofer", "Ann Gutters"]);
    expect(await page.locator(".views a[aria-current]").count()).toBe(0);
    await page.click("button:text-is('Save view')");
    await page.fill("#view-name", "Roofs to call");
    await page.click(".save-view button[type=submit]");
    await page.waitForSelector(".views a[aria-current=page]:text-is('Roofs to call')");
    const saved = paramsOf(page.url());
    await shot(page, "saved-view-desktop");

    // A second view under the same name is refused beside the field.
    await page.click(".views >> text=Mine");
    await page.waitForURL(/assigned=me/);
    await page.click(".chips button");
    await page.waitForURL((url) => !url.search.includes("assigned"));
    await page.click(".views >> text=Won this month");
    await page.waitForURL(/won=month/);
    await shows(page, ["Dee Won"]);
    await page.click("th >> button:has-text('Name')");
    await page.waitForURL(/sort=name/);
    await page.click("button:text-is('Save view')");
    await page.fill("#view-name", "roofs TO call");
    await page.click(".save-view button[type=submit]");
    await page.waitForSelector("#view-name-error");
    expect(await page.textContent("#view-name-error")).toBe('You already have a view named "roofs TO call"');
    await page.click(".save-view button:text-is('Cancel')");

    // Mark all read: the marks go, and stay gone.
    await page.goto(`${portal.base}/admin/leads`);
    await page.click("button:text-is('Mark all on this page as read')");
    await page.waitForSelector("tbody .mark", { state: "detached" });
    await page.reload();
    await shows(page, ["Eve Nothing", "Dee Won", "Cal Roofer", "Bob Windows", "Ann Gutters"]);
    expect(await page.locator("tbody .mark").count()).toBe(0);
    // Someone else's write since (here through the API): that lead is Updated.
    const update = await fetch(`${portal.base}/open-api/leads`, {
      method: "POST",
      headers: { "x-api-key": apiKey, "content-type": "application/json" },
      body: JSON.stringify({ phone: "+16125553002", notes: "Wants the chimney looked at too" }),
    });
    expect(update.status).toBe(200);
    await page.reload();
    await page.waitForSelector("tbody tr[data-mark=changed] >> text=Cal Roofer");
    expect(await page.locator("tbody .mark").allTextContents()).toEqual(["Updated"]);
    await shot(page, "updated-desktop");

    await Promise.all([page.waitForURL(/\/admin\/sign-in/), page.click("text=Sign out")]);
    await context.close();

    // Another session, another day's browser: the view is there and opens the same list.
    context = await browser.newContext(DESKTOP);
    page = await context.newPage();
    await signIn(page);
    await page.goto(`${portal.base}/admin/leads`);
    await page.click(".views >> text=Roofs to call");
    await page.waitForURL(/tags=roof/);
    expect(paramsOf(page.url())).toEqual(saved);
    expect(await page.textContent(".views a[aria-current=page]")).toBe("Roofs to call");
    await shows(page, ["Cal Roofer", "Ann Gutters"]);
    expect(await page.inputValue("#tags")).toBe("roof");

    // Removed, it leaves the list as it was, ready to be saved again.
    await page.click("button:text-is('Remove view')");
    await page.waitForSelector(".views >> text=Roofs to call", { state: "detached" });
    expect(await page.isVisible("button:text-is('Save view')")).toBe(true);
    await page.reload();
    expect(await page.locator(".views >> text=Roofs to call").count()).toBe(0);
    await context.close();
  });

  it("on a phone: a Sort by select, views a fingertip tall, nothing wider than the screen", async () => {
    context = await browser.newContext(PHONE);
    page = await context.newPage();
    await signIn(page);
    await page.goto(`${portal.base}/admin/leads?due=1&sort=follow-up`);
    await shows(page, ["Cal Roofer", "Bob Windows", "Ann Gutters"]);
    expect(await page.isVisible("th >> button:has-text('Value')")).toBe(false);
    await page.selectOption("#sort", "-value");
    await page.waitForURL(/sort=-value/);
    await shows(page, ["Cal Roofer", "Ann Gutters", "Bob Windows"]);
    await page.click("button:text-is('Save view')");
    await page.locator("#view-name").waitFor();
    await shot(page, "phone");
    const problems = await page.evaluate((width) => {
      const out: string[] = [];
      if (document.documentElement.scrollWidth > width) out.push("the page scrolls sideways");
      for (const el of document.querySelectorAll<HTMLElement>("a[href], button, input, select")) {
        const box = el.getBoundingClientRect();
        if (box.width === 0 || getComputedStyle(el).visibility === "hidden") continue;
        const name = el.getAttribute("aria-label") || el.textContent?.trim() || el.id;
        if (box.width < 44 || box.height < 44) out.push(`${name} is ${box.width} × ${box.height}`);
        if (box.right > width + 0.5) out.push(`${name} reaches ${box.right}`);
      }
      return out;
    }, PHONE.viewport.width);
    expect(problems).toEqual([]);
    await context.close();
  });
});
