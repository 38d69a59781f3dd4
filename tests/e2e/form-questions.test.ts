import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, Frame, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ARTIFACTS, launchBrowser, phoneProblems, type Portal, signInAdmin, startPortal } from "./harness";

let portal: Portal;
let browser: Browser;
const ADMIN = { name: "Quinn Admin", email: "quinn@example.com", password: "a long admin passphrase" };
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

const files = mkdtempSync(path.join(tmpdir(), "lead-portal-questions-"));
const PHOTOS = [path.join(files, "gutter.png"), path.join(files, "roof.png")];

beforeAll(async () => {
  portal = await startPortal((env) => {
    // Visitors here type faster than a person: the form's bot check would take them for bots.
    env.INTAKE_MIN_FILL_SECONDS = "0";
  });
  browser = await launchBrowser();
  // Two photos drawn in the browser, as a visitor's phone would have them.
  const page = await browser.newPage();
  const drawn = await page.evaluate(() =>
    [400, 600].map((width) => {
      const canvas = document.createElement("canvas");
      canvas.width = width;
      canvas.height = 300;
      const context = canvas.getContext("2d")!;
      context.fillStyle = width === 400 ? "#2a6f97" : "#f4a261";
      context.fillRect(0, 0, width, 300);
      return canvas.toDataURL("image/png").split(",")[1]!;
    }),
  );
  await page.close();
  drawn.forEach((base64, i) => writeFileSync(PHOTOS[i]!, Buffer.from(base64, "base64")));
});

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
  rmSync(files, { recursive: true, force: true });
});

async function signedIn(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  return signInAdmin(await context.newPage(), portal.base, ADMIN);
}

/** What a visitor reads of a form: its title, each label and legend, and each option, in order. */
async function formText(frame: Page | Frame): Promise<string[]> {
  return frame.$$eval("h1, form label, form legend", (nodes) =>
    nodes.filter((n) => !n.closest(".hp")).map((n) => (n.textContent ?? "").replace(/\s+/g, " ").trim()),
  );
}

/** Adds a question at the end of the editor's list, as an admin would. */
async function addQuestion(
  page: Page,
  q: { label: string; type: string; showWhen?: string; equals?: string; required?: boolean },
) {
  await page.click("button:has-text('Add a question')");
  const card = page.locator(".question").last();
  await card.getByLabel("Question", { exact: true }).fill(q.label);
  await card.getByLabel("Answer", { exact: true }).selectOption(q.type);
  if (q.showWhen) {
    await card
      .getByLabel("Show", { exact: true })
      .selectOption({ label: `Only when “${q.showWhen}” is answered` });
    if (q.equals) await card.getByLabel("With the answer").selectOption({ label: q.equals });
  }
  if (q.required) await card.getByLabel("Required").check();
}

describe("a form's own questions, preferred time and service area", () => {
  it("are built in the editor beside a preview that matches the live form", async () => {
    const page = await signedIn();
    await page.goto(`${portal.base}/admin/forms/contact`);
    await addQuestion(page, { label: "Gutters too?", type: "yes_no" });
    await addQuestion(page, {
      label: "About how many feet of gutter?",
      type: "short_text",
      showWhen: "Gutters too?",
      equals: "Yes",
      required: true,
    });
    await page.getByLabel("Ask for a preferred date").check();
    await page.getByLabel("Take up to 5 photos").check();
    await page.getByLabel("Service area (ZIP codes)").fill("554, 55073");
    // The preview follows the editor before anything is saved.
    const preview = page.frameLocator("[data-testid=form-preview]");
    await expect
      .poll(async () => (await preview.locator("body").textContent()) ?? "", { timeout: 15_000 })
      .toContain("About how many feet of gutter?");
    await page.screenshot({ path: path.join(ARTIFACTS, "form-editor-desktop.png"), fullPage: true });
    await page.click("button:has-text('Save form')");
    await expect.poll(() => page.locator("[role=status].notice").textContent()).toContain("Saved");

    const frame = (await (await page.$("[data-testid=form-preview]"))!.contentFrame())!;
    const live = await (await browser.newContext()).newPage();
    await live.goto(`${portal.base}/f/contact`);
    expect(await formText(frame)).toEqual(await formText(live));
    expect(await formText(live)).toEqual(
      expect.arrayContaining([
        "Gutters too? (optional)",
        "About how many feet of gutter?",
        "Preferred time (optional)",
      ]),
    );
    // At a phone's width, the preview is a phone's.
    await page.getByLabel("Phone", { exact: true }).check();
    expect(await page.$eval("[data-testid=form-preview]", (f) => f.clientWidth)).toBe(390);
  });

  for (const javaScriptEnabled of [true, false]) {
    it(`takes the conditional answer and two photos on a phone with JavaScript ${javaScriptEnabled ? "on" : "off"}, and shows them on the lead`, async () => {
      const context = await browser.newContext({ ...PHONE, javaScriptEnabled });
      const page = await context.newPage();
      await page.goto(`${portal.base}/f/contact`);
      const feet = page.locator("#f-q_about_how_many_feet_of_gutter");
      // Hidden by the page's style until "Yes" is picked, script or not.
      await expect.poll(() => feet.isVisible()).toBe(false);
      await page.getByLabel("Yes", { exact: true }).check();
      await expect.poll(() => feet.isVisible()).toBe(true);
      const name = `Gus ${javaScriptEnabled ? "Script" : "Plain"}`;
      await page.fill("#f-name", name);
      await page.fill("#f-phone", javaScriptEnabled ? "6125550141" : "6125550142");
      await page.fill("#f-address_zip", "55401");
      await feet.fill("140");
      await page.fill("#f-preferred_date", "2027-04-02");
      await page.getByLabel("Afternoon").check();
      await page.setInputFiles("input[type=file][name=photos]", PHOTOS);
      // Nothing wider than the phone (its options are whole labels, larger than their boxes).
      expect(await page.evaluate(phoneProblems, { tap: 0, width: 390 })).toEqual([]);
      await page.screenshot({
        path: path.join(ARTIFACTS, `form-questions-phone-js-${javaScriptEnabled}.png`),
        fullPage: true,
      });
      await Promise.all([page.waitForURL(/\/f\/contact\/thanks$/), page.click("button[type=submit]")]);
      await context.close();

      const admin = await signedIn();
      await admin.goto(`${portal.base}/admin/leads?search=${encodeURIComponent(name)}`);
      await admin.click(`a:has-text("${name}")`);
      const answers = admin.locator(".answers-card");
      await expect.poll(() => answers.textContent()).toContain("About how many feet of gutter?140");
      expect(await answers.textContent()).toContain("Gutters too?Yes");
      expect(await answers.textContent()).toContain("Preferred timeAfternoon");
      // The two photos, shown to staff.
      await expect
        .poll(() =>
          admin.$$eval(
            ".lead-photos img",
            (images) =>
              images.filter(
                (img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0,
              ).length,
          ),
        )
        .toBe(2);
      await admin.screenshot({
        path: path.join(ARTIFACTS, `lead-answers-photos-js-${javaScriptEnabled}.png`),
        fullPage: true,
      });
    });
  }

  it("tags an address outside the service area and tells the visitor kindly", async () => {
    const page = await (await browser.newContext(PHONE)).newPage();
    await page.goto(`${portal.base}/f/contact`);
    await page.fill("#f-name", "Hal Ives");
    await page.fill("#f-email", "hal@example.com");
    await page.fill("#f-address_zip", "60601");
    await Promise.all([
      page.waitForURL(/\/f\/contact\/thanks\?area=outside$/),
      page.click("button[type=submit]"),
    ]);
    expect(await page.textContent("main")).toContain("Your address may be outside our area");
    await page.screenshot({ path: path.join(ARTIFACTS, "form-outside-area-phone.png"), fullPage: true });

    const admin = await signedIn();
    await admin.goto(`${portal.base}/admin/leads?search=Hal%20Ives`);
    await admin.click('a:has-text("Hal Ives")');
    await expect.poll(() => admin.textContent("main")).toContain("outside-service-area");
  });
});
