import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ARTIFACTS,
  formCommand,
  hostSite,
  launchBrowser,
  type Portal,
  portalCommand,
  startPortal,
} from "./harness";

let portal: Portal;
let browser: Browser;
let allowedSite: Awaited<ReturnType<typeof hostSite>>;
let otherSite: Awaited<ReturnType<typeof hostSite>>;
let readKey: string;
const embedPage = (port: number) => `<!doctype html><html lang="en"><head><title>Shop ${port}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><h1>Window cleaning</h1><p>Ask for a quote:</p>
<script src="${portal.base}/embed.js" data-form="quote" async></script>
<p id="after">Below the form</p></body></html>`;

beforeAll(async () => {
  // Host pages are built lazily, once the portal's address is known.
  allowedSite = await hostSite((port) => embedPage(port));
  otherSite = await hostSite((port) => embedPage(port));
  portal = await startPortal((env) => {
    readKey = portalCommand(env, "scripts/apikey.ts", ["create", "--name", "e2e", "--scopes", "leads:read"])
      .trim()
      .split("\n")
      .at(-1)!;
    formCommand(env, [
      "create",
      "quote",
      "--title",
      "Get a quote",
      "--origins",
      new URL(allowedSite.url).origin,
    ]);
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
  await allowedSite?.close();
  await otherSite?.close();
});

async function fill(page: Page, values: Record<string, string>) {
  for (const [name, value] of Object.entries(values)) await page.fill(`[name="${name}"]`, value);
}

/** The leads the API finds for a search, as the business would see them. */
async function leadsFound(search: string): Promise<{ name: string; source: string; tags: string[] }[]> {
  const response = await fetch(`${portal.base}/open-api/leads?${new URLSearchParams({ search })}`, {
    headers: { "x-api-key": readKey },
  });
  return ((await response.json()) as { data: { name: string; source: string; tags: string[] }[] }).data;
}

/** The id of the element that has the keyboard's focus, or its tag when it has none. */
const focused = (page: Page): Promise<string> =>
  page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName || "");

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

describe("the form in real Chromium", () => {
  it("works with JavaScript off: errors beside fields with values kept, then the thank-you page", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${portal.base}/f/contact`);
    await fill(page, { name: "", email: "ann@", notes: "Fourteen windows" });
    await page.click("button[type=submit]");
    expect(page.url()).toBe(`${portal.base}/api/intake/contact`);
    expect(await page.textContent("#f-name-error")).toBe("Please enter your name");
    expect(await page.textContent("#f-email-error")).toBe("Invalid email format");
    expect(await page.inputValue("[name=email]")).toBe("ann@");
    expect(await page.inputValue("[name=notes]")).toBe("Fourteen windows");
    expect(await page.getAttribute("#f-email", "aria-describedby")).toBe("f-email-error");
    await shot(page, "form-no-js-errors");

    // A person takes a few seconds; the form's signed render time says so.
    await page.waitForTimeout(3_100);
    await fill(page, { name: "Ann Lee", email: "ann@example.com" });
    await page.click("button[type=submit]");
    expect(page.url()).toBe(`${portal.base}/f/contact/thanks`);
    expect(await page.textContent("[role=status]")).toContain("Thank you");
    await shot(page, "form-no-js-thanks");
    await context.close();
  });

  it("with JavaScript on, shows errors inline without leaving the page, then sends once", async () => {
    const page = await browser.newPage();
    await page.goto(`${portal.base}/f/contact`);
    await page.click("button[type=submit]");
    await page.waitForSelector("#f-name-error");
    expect(page.url()).toBe(`${portal.base}/f/contact`);
    expect(await page.textContent("#f-phone-error")).toBe("Please enter a phone number or an email address");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("f-name");
    await shot(page, "form-js-errors");

    // The errors are announced (the summary is an alert) and tied to their fields.
    expect(await page.getAttribute("#summary", "role")).toBe("alert");
    expect(await page.textContent("#summary")).toBe("Please check 3 fields.");
    expect(await page.getAttribute("#f-name", "aria-invalid")).toBe("true");
    expect(await page.getAttribute("#f-name", "aria-describedby")).toBe("f-name-error");
    expect(await page.getAttribute("#f-email", "aria-describedby")).toBe("f-email-error");

    await page.waitForTimeout(3_100);
    await fill(page, { name: "Bo", phone: "(612) 555-0142" });
    const posts: string[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST") posts.push(request.url());
    });
    // A double click sends the request once.
    await Promise.all([
      page.waitForURL(`${portal.base}/f/contact/thanks`),
      page.dblclick("button[type=submit]"),
    ]);
    expect(posts).toEqual([`${portal.base}/api/intake/contact`]);
    expect((await leadsFound("555-0142")).map((lead) => lead.name)).toEqual(["Bo"]);
    await page.close();
  });

  it("is usable by keyboard alone: every field in order, then Send", async () => {
    const page = await browser.newPage();
    await page.goto(`${portal.base}/f/contact`);
    const order: string[] = [];
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press("Tab");
      order.push(await focused(page));
    }
    // The honeypot (tabindex -1) is never reached.
    expect(order).toEqual([
      "f-name",
      "f-phone",
      "f-email",
      "f-address_street1",
      "f-address_city",
      "f-address_zip",
      "f-notes",
      "BUTTON",
    ]);
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Shift+Tab");
    expect(await focused(page)).toBe("f-address_zip");

    // Send with nothing typed: focus goes to the first field in error.
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await page.waitForSelector("#f-name-error");
    expect(await focused(page)).toBe("f-name");

    await page.waitForTimeout(3_100);
    await page.keyboard.type("Cy Keys");
    await page.keyboard.press("Tab");
    await page.keyboard.type("(612) 555-0177");
    await Promise.all([page.waitForURL(`${portal.base}/f/contact/thanks`), page.keyboard.press("Enter")]);
    expect((await leadsFound("555-0177")).map((lead) => lead.name)).toEqual(["Cy Keys"]);
    await page.close();
  });

  it("has no accessibility violations (axe-core)", async () => {
    const page = await browser.newPage();
    await page.goto(`${portal.base}/f/contact`);
    // The page's policy allows no script but its own; axe is injected through the browser's debugger.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Page.setBypassCSP", { enabled: true });
    await page.reload();
    const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
    await page.addScriptTag({ content: axeSource });
    const violations = await page.evaluate(async () => {
      const result = await (
        window as unknown as { axe: { run(): Promise<{ violations: { id: string }[] }> } }
      ).axe.run();
      return result.violations.map((v) => v.id);
    });
    expect(violations).toEqual([]);
    await page.close();
  });

  it("embedded on an allowed site, sizes its frame to the form's content", async () => {
    const page = await browser.newPage();
    await page.goto(allowedSite.url);
    const frame = page.frameLocator("iframe");
    await frame.locator("h1").waitFor();
    await page.waitForFunction(() => document.querySelector("iframe")!.style.height !== "640px");
    const frameHeight = await page.evaluate(
      () => document.querySelector("iframe")!.getBoundingClientRect().height,
    );
    const contentHeight = await frame.locator("html").evaluate((html) => html.scrollHeight);
    expect(Math.abs(frameHeight - contentHeight)).toBeLessThanOrEqual(2);
    await shot(page, "embed-allowed");
    await page.close();
  });

  it("embedded, brings the page's UTM tags and click id into the lead", async () => {
    const page = await browser.newPage();
    const landing = `${allowedSite.url}windows?utm_source=google&utm_campaign=spring&gclid=e2e-click`;
    await page.goto(landing);
    const frame = page.frameLocator("iframe");
    await frame.locator("[name=name]").waitFor();
    await page.waitForTimeout(3_100);
    await frame.locator("[name=name]").fill("Di Embed");
    await frame.locator("[name=email]").fill("di.embed@example.com");
    await frame.locator("button[type=submit]").click();
    await frame.locator("[role=status]").waitFor();
    const [lead] = await leadsFound("di.embed@example.com");
    expect(lead!.tags).toEqual(expect.arrayContaining(["utm_source:google", "utm_campaign:spring"]));
    expect(lead!.source).toContain(`page ${landing}`);
    expect(lead!.source).toContain("gclid e2e-click");
    await page.close();
  });

  it("on a phone, sending through the embed leaves the thank-you in view, the frame fitting it", async () => {
    const page = await browser.newPage({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    await page.goto(allowedSite.url);
    const frame = page.frameLocator("iframe");
    await frame.locator("[name=name]").waitFor();
    await page.waitForTimeout(3_100);
    await frame.locator("[name=name]").fill("Pat Phone");
    await frame.locator("[name=phone]").fill("612 555 0188");
    await frame.locator("[name=notes]").fill("Front and back windows, two storeys");
    // The visitor scrolled down to Send: the frame's top is above the screen.
    await frame.locator("button[type=submit]").scrollIntoViewIfNeeded();
    expect(
      await page.evaluate(() => document.querySelector("iframe")!.getBoundingClientRect().top),
    ).toBeLessThan(0);
    await frame.locator("button[type=submit]").click();
    await frame.locator("h2:text-is('What happens next')").waitFor();
    await page.waitForFunction(() => {
      const box = document.querySelector("iframe")!.getBoundingClientRect();
      return box.top >= 0 && box.height < 640;
    });
    const box = await page.evaluate(() => {
      const { top, bottom, height } = document.querySelector("iframe")!.getBoundingClientRect();
      return { top, bottom, height, viewport: innerHeight };
    });
    const content = await frame.locator("body").evaluate((b) => b.getBoundingClientRect().height);
    expect(Math.abs(box.height - content)).toBeLessThanOrEqual(2);
    expect(box.top).toBeGreaterThanOrEqual(0);
    expect(box.bottom).toBeLessThanOrEqual(box.viewport);
    await shot(page, "embed-phone-thanks");
    await page.close();
  });

  it("refuses framing and CORS to a site that is not allowed", async () => {
    const page = await browser.newPage();
    const refused: string[] = [];
    page.on("console", (message) => refused.push(message.text()));
    await page.goto(otherSite.url);
    await page.waitForTimeout(1_500);
    // Chromium blocks the frame (frame-ancestors), reports it on the console, and shows no form.
    expect(refused.some((m) => m.includes("frame-ancestors"))).toBe(true);
    const forms = await Promise.all(page.frames().map((f) => f.locator("form[data-form]").count()));
    expect(forms.reduce((a, b) => a + b, 0)).toBe(0);

    const cors = await page.evaluate(async (base) => {
      try {
        await fetch(`${base}/api/intake/quote`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ name: "Eve", email: "eve@example.com" }),
        });
        return "readable";
      } catch {
        return "blocked";
      }
    }, portal.base);
    expect(cors).toBe("blocked");
    await shot(page, "embed-refused");
    await page.close();
  });
});
