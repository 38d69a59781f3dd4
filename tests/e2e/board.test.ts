import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ARTIFACTS, launchBrowser, type Portal, seedApiKey, signInAdmin, startPortal } from "./harness";

let portal: Portal;
let browser: Browser;
let apiKey: string;
const ADMIN = { name: "Bo Admin", email: "bo@example.com", password: "a long admin passphrase" };
const ids: Record<string, string> = {};

beforeAll(async () => {
  portal = await startPortal((env) => {
    apiKey = seedApiKey(env, "leads:read,leads:write");
  });
  // Ann has no stage (the API may make such a lead): she is in the first column, New.
  for (const [name, stage, value] of [
    ["Ann Mouse", null, 1200],
    ["Ben Keys", "Contacted", 800],
    ["Cat Touch", "Quoted", 450],
    ["Dan Won", "Won", 900],
  ] as const) {
    const response = await fetch(`${portal.base}/open-api/leads`, {
      method: "POST",
      headers: { "x-api-key": apiKey, "content-type": "application/json" },
      body: JSON.stringify({
        name,
        phone: `+1612555${String(2000 + Object.keys(ids).length)}`,
        service_type: "Window cleaning",
        projected_value: value,
        ...(stage ? { stage } : {}),
      }),
    });
    ids[name] = ((await response.json()) as { id: string }).id;
  }
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

/** A signed-in admin's page, at a phone's size or a desktop's. */
async function adminPage(phone: boolean): Promise<Page> {
  const context = await browser.newContext(
    phone
      ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }
      : { viewport: { width: 1440, height: 900 } },
  );
  return signInAdmin(await context.newPage(), portal.base, ADMIN);
}

const card = (stage: string, name: string) => `section[data-stage="${stage}"] [data-lead="${ids[name]}"]`;
const header = (page: Page, stage: string) => page.locator(`section[data-stage="${stage}"] h2`).textContent();

async function center(page: Page, selector: string) {
  const box = (await page.locator(selector).boundingBox())!;
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** The lead page's history shows the admin moving the lead from one stage to the other. */
async function historyShows(page: Page, name: string, from: string, to: string) {
  await page.goto(`${portal.base}/admin/leads/${ids[name]}`);
  const moves = page.locator(".changes li", { hasText: "Stage" });
  await moves.first().waitFor();
  expect(await moves.first().textContent()).toBe(`Stage: ${from} → ${to}`);
  expect(await page.locator("main").textContent()).toContain(ADMIN.name);
}

describe("the board", () => {
  it("shows a column per open stage with counts and value, won and lost folded; moves a card by mouse", async () => {
    const page = await adminPage(false);
    await page.goto(`${portal.base}/admin/leads/board`);
    await page.waitForSelector(card("New", "Ann Mouse"));
    const columns = await page
      .locator("section[data-stage]")
      .evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.stage));
    expect(columns).toEqual(["New", "Contacted", "Quoted", "Scheduled", "Won", "Lost"]);
    expect(await header(page, "New")).toBe("New 1 · $1,200");
    expect(await header(page, "Won")).toBe("Won 1 · $900");
    expect(await page.locator(`section[data-stage="Won"] [data-lead]`).count()).toBe(0);
    await page.screenshot({ path: path.join(ARTIFACTS, "board-desktop.png"), fullPage: true });

    const from = await center(page, `${card("New", "Ann Mouse")} .handle`);
    const to = await center(page, `section[data-stage="Quoted"] h2`);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(from.x + 40, from.y + 10, { steps: 4 });
    await page.mouse.move(to.x, to.y + 60, { steps: 10 });
    await page.mouse.up();
    await page.waitForSelector(card("Quoted", "Ann Mouse"));
    expect(await header(page, "New")).toBe("New 0");
    expect(await header(page, "Quoted")).toBe("Quoted 2 · $1,650");
    await page.waitForSelector("#board-status:text-is('Ann Mouse moved to Quoted.')", { state: "attached" });
    // Stored: a reload shows it where it was put.
    await page.reload();
    await page.waitForSelector(card("Quoted", "Ann Mouse"));
    await historyShows(page, "Ann Mouse", "—", "Quoted");
    await page.context().close();
  });

  it("moves a card by keyboard: pick up, arrows, put down; Escape puts it back", async () => {
    const page = await adminPage(false);
    await page.goto(`${portal.base}/admin/leads/board`);
    const handle = page.locator(`${card("Contacted", "Ben Keys")} .handle`);
    await handle.focus();
    await page.keyboard.press("Enter");
    expect(await handle.getAttribute("aria-pressed")).toBe("true");
    await page.keyboard.press("ArrowRight");
    expect(await page.locator("section.over").getAttribute("data-stage")).toBe("Quoted");
    await page.keyboard.press("Escape");
    expect(await page.locator("section.over").count()).toBe(0);
    expect(await page.locator(card("Contacted", "Ben Keys")).count()).toBe(1);

    await handle.focus();
    await page.keyboard.press("Enter");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("Enter");
    await page.waitForSelector(card("Scheduled", "Ben Keys"));
    await page.waitForSelector("#board-status:text-is('Ben Keys moved to Scheduled.')", {
      state: "attached",
    });
    await historyShows(page, "Ben Keys", "Contacted", "Scheduled");
    await page.context().close();
  });

  it("moves a card by touch on a phone, into the folded Won column", async () => {
    const page = await adminPage(true);
    await page.goto(`${portal.base}/admin/leads/board`);
    await page.waitForSelector(card("Quoted", "Cat Touch"));
    await page.locator(`${card("Quoted", "Cat Touch")} .handle`).scrollIntoViewIfNeeded();
    const from = await center(page, `${card("Quoted", "Cat Touch")} .handle`);
    const cdp = await page.context().newCDPSession(page);
    const touch = (type: "touchStart" | "touchMove" | "touchEnd", x = 0, y = 0) =>
      cdp.send("Input.dispatchTouchEvent", { type, touchPoints: type === "touchEnd" ? [] : [{ x, y }] });
    await touch("touchStart", from.x, from.y);
    for (let i = 1; i <= 5; i++) await touch("touchMove", from.x + ((380 - from.x) * i) / 5, from.y);
    // Held at the screen's edge, the columns scroll along until Won, folded at the end, is in view.
    const won = page.locator(`section[data-stage="Won"] h2`);
    for (let i = 0; i < 80; i++) {
      const box = await won.boundingBox();
      if (box && box.x + box.width < 380) break;
      await touch("touchMove", 380 + (i % 2), from.y);
    }
    const to = await center(page, `section[data-stage="Won"] h2`);
    await touch("touchMove", to.x, to.y);
    await page.screenshot({ path: path.join(ARTIFACTS, "board-phone-dragging.png") });
    await touch("touchEnd");
    await page.waitForFunction(
      (won) => document.querySelector(`section[data-stage="Won"] h2`)?.textContent === won,
      "Won 2 · $1,350",
    );
    expect(await page.locator(`[data-lead="${ids["Cat Touch"]}"]`).count()).toBe(0);
    await page.waitForSelector("#board-status:text-is('Cat Touch moved to Won.')", { state: "attached" });
    await page.screenshot({ path: path.join(ARTIFACTS, "board-phone.png"), fullPage: true });
    await historyShows(page, "Cat Touch", "Quoted", "Won");
    await page.context().close();
  });
});
