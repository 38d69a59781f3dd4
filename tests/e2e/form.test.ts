import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ARTIFACTS, formCommand, hostSite, launchBrowser, type Portal, startPortal } from "./harness";

let portal: Portal;
let browser: Browser;
let allowedSite: Awaited<ReturnType<typeof hostSite>>;
let otherSite: Awaited<ReturnType<typeof hostSite>>;
const embedPage = (port: number) => `<!doctype html><html lang="en"><head><title>Shop ${port}</title></head>
<body><h1>Window cleaning</h1><p>Ask for a quote:</p>
<script src="${portal.base}/embed.js" data-form="quote" async></script>
<p id="after">Below the form</p></body></html>`;

beforeAll(async () => {
  // Host pages are built lazily, once the portal's address is known.
  allowedSite = await hostSite((port) => embedPage(port));
  otherSite = await hostSite((port) => embedPage(port));
  portal = await startPortal((env) => {
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

    await page.waitForTimeout(3_100);
    await fill(page, { name: "Bo", phone: "(612) 555-0142" });
    await Promise.all([
      page.waitForURL(`${portal.base}/f/contact/thanks`),
      page.click("button[type=submit]"),
    ]);
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
