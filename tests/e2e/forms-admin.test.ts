import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../support/wait-for";
import {
  ARTIFACTS,
  axeViolations,
  launchBrowser,
  phoneProblems,
  type Portal,
  signInAdmin,
  startPortal,
} from "./harness";

const ADMIN = { name: "Dana Admin", email: "dana@example.com", password: "a long admin passphrase" };
/**
 * A visitor's browser. Headless Chromium says "HeadlessChrome" in its user agent, which the portal
 * does not count as a person (lib/forms/stats.ts): the visitor's context says what a desktop
 * Chrome says.
 */
const PERSON =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

let portal: Portal;
let browser: Browser;
let admin: Page;

beforeAll(async () => {
  portal = await startPortal((env) => {
    // The visitor below fills the form faster than a person would.
    env.INTAKE_MIN_FILL_SECONDS = "0";
  });
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  admin = await signInAdmin(await context.newPage(), portal.base, ADMIN);
});

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

/** A form's figures as its row on the Forms page shows them. */
async function figuresOf(page: Page, slug: string): Promise<Record<string, string>> {
  const row = page.locator(`table[aria-labelledby="forms-title"] tr[data-form="${slug}"]`);
  const cells = await row
    .locator("td[data-label]")
    .evaluateAll((tds) => tds.map((td) => [td.getAttribute("data-label"), td.textContent?.trim() ?? ""]));
  return Object.fromEntries(cells);
}

describe("forms in the admin, and how they convert", () => {
  it("creates a form, duplicates it, archives the copy; a visitor's view, start and submission show on the Forms page", async () => {
    await admin.goto(`${portal.base}/admin/forms`);
    // The address follows the title; one already taken is refused beside the field.
    await admin.fill("#new-form-name", "Spring Quote!");
    expect(await admin.inputValue("#new-form-slug")).toBe("spring-quote");
    await admin.fill("#new-form-slug", "contact");
    await admin.click("button:text-is('Create form')");
    await expect
      .poll(() => admin.locator("#new-form-slug-error").textContent())
      .toBe("The address /f/contact is already taken: choose another");
    expect(await admin.getAttribute("#new-form-slug", "aria-invalid")).toBe("true");
    await admin.fill("#new-form-slug", "spring-quote");
    await Promise.all([
      admin.waitForURL(`${portal.base}/admin/forms/spring-quote`),
      admin.click("button:text-is('Create form')"),
    ]);

    await admin.goto(`${portal.base}/admin/forms`);
    await admin.click("button[aria-label='Duplicate Spring Quote!']");
    const copyRow = admin.locator('table[aria-labelledby="forms-title"] tr[data-form="spring-quote-copy"]');
    await copyRow.waitFor();
    expect(await copyRow.locator("td.title").textContent()).toBe("Spring Quote! (copy)");
    await admin.click("button[aria-label='Archive Spring Quote! (copy)']");
    await admin
      .locator('table[aria-labelledby="archived-title"] tr[data-form="spring-quote-copy"]')
      .waitFor();
    await copyRow.waitFor({ state: "detached" });
    const archived = await fetch(`${portal.base}/f/spring-quote-copy`);
    expect(archived.status).toBe(410);
    expect(await archived.text()).toContain("This form no longer takes requests.");

    // A visitor opens the new form, types (a start), and sends it.
    const visitor = await (await browser.newContext({ userAgent: PERSON })).newPage();
    await visitor.goto(`${portal.base}/f/spring-quote?utm_campaign=spring`);
    await visitor.fill("[name=name]", "Ann Visitor");
    await visitor.fill("[name=phone]", "(612) 555-0142");
    await Promise.all([
      visitor.waitForURL(`${portal.base}/f/spring-quote/thanks`),
      visitor.click("button[type=submit]"),
    ]);

    // The beacon may land after the submission: the page is read again until it shows.
    await waitFor(
      "the visitor's view, start and submission on the Forms page",
      async () => {
        await admin.goto(`${portal.base}/admin/forms`);
        const f = await figuresOf(admin, "spring-quote");
        return f.Views === "1" && f.Started === "1" && f.Submitted === "1";
      },
      20_000,
      250,
    );
    expect(await figuresOf(admin, "spring-quote")).toEqual({
      Address: "/f/spring-quote",
      Views: "1",
      Started: "1",
      Submitted: "1",
      Spam: "0",
      Conversion: "100%",
    });
    // By source, campaign and day, in the form's details.
    const details = admin.locator('details.form-breakdown[data-form="spring-quote"]');
    await details.locator("summary").click();
    await admin.screenshot({ path: path.join(ARTIFACTS, "forms-figures.png"), fullPage: true });
    expect(await axeViolations(admin), "forms").toEqual([]);
    const rows = await details
      .locator("tbody tr")
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)));
    expect(rows).toEqual([
      ["direct", "1", "1", "1", "0", "100%"],
      ["spring", "1", "1", "1", "0", "100%"],
      // By day: today, in the company's time zone (UTC until one is chosen).
      [expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), "1", "1", "1", "0", "100%"],
    ]);
    // The dashboard's panel.
    await admin.goto(`${portal.base}/admin`);
    const panel = admin.locator('section[aria-labelledby="forms-panel-title"] tr[data-form="spring-quote"]');
    expect(await panel.locator("td").allTextContents()).toEqual(["Spring Quote!", "1", "1", "100%"]);
    expect(await axeViolations(admin), "dashboard").toEqual([]);

    // Restored, the copy takes requests again.
    await admin.goto(`${portal.base}/admin/forms`);
    await admin.click("button[aria-label='Restore Spring Quote! (copy)']");
    await copyRow.waitFor();
    expect((await fetch(`${portal.base}/f/spring-quote-copy`)).status).toBe(200);
  });

  it("fits a 390 px phone with the figures and a breakdown open", async () => {
    const phone = await (
      await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })
    ).newPage();
    await phone.goto(`${portal.base}/admin/sign-in`);
    await phone.fill("#email", ADMIN.email);
    await phone.fill("#password", ADMIN.password);
    await Promise.all([phone.waitForURL(`${portal.base}/admin`), phone.click("button[type=submit]")]);
    expect(await phone.evaluate(phoneProblems, { tap: 44, width: 390 }), "dashboard").toEqual([]);
    await phone.goto(`${portal.base}/admin/forms`, { waitUntil: "networkidle" });
    await phone.locator('details.form-breakdown[data-form="spring-quote"] summary').click();
    await phone.screenshot({ path: path.join(ARTIFACTS, "phone-forms-figures.png"), fullPage: true });
    expect(await phone.evaluate(phoneProblems, { tap: 44, width: 390 }), "forms").toEqual([]);
  });
});
