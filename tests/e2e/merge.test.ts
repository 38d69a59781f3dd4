import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ARTIFACTS,
  launchBrowser,
  phoneProblems,
  type Portal,
  seedApiKey,
  signInAdmin,
  startPortal,
} from "./harness";

let portal: Portal;
let browser: Browser;
let apiKey: string;
const ADMIN = { name: "Mo Admin", email: "mo@example.com", password: "a long admin passphrase" };

async function api(method: string, pathname: string, body?: unknown) {
  const response = await fetch(`${portal.base}/open-api${pathname}`, {
    method,
    headers: { "x-api-key": apiKey, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  portal = await startPortal((env) => {
    apiKey = seedApiKey(env, "leads:read,leads:write");
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

async function signedIn(phone: boolean): Promise<Page> {
  const context = await browser.newContext(
    phone
      ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }
      : { viewport: { width: 1440, height: 900 } },
  );
  return signInAdmin(await context.newPage(), portal.base, ADMIN);
}

describe("duplicates in the admin", () => {
  it("suggests two leads as one person, merges them field by field, and undoes the merge", async () => {
    // One person, twice: a phone call typed in, and the form with an email written otherwise.
    const first = await api("POST", "/leads", {
      name: "Rae Lind",
      phone: "6125553100",
      email: "rae.lind@example.com",
      address_street1: "4 Birch Ln",
      service_type: "Gutters",
      tags: ["phone"],
    });
    const second = await api("POST", "/leads", {
      name: "Rae Lind",
      email: "raelind+quotes@example.com",
      address_street1: "40 Birch Lane",
      notes: "Three storeys",
      tags: ["web"],
    });
    const [keep, other] = [first.body.id as string, second.body.id as string];

    const page = await signedIn(false);
    await page.goto(`${portal.base}/admin/leads/duplicates`);
    await expect(page.locator(".duplicate-pair").count()).resolves.toBe(1);
    await expect(page.locator(".duplicate-pair").textContent()).resolves.toContain(
      "the same email apart from dots or a plus-tag",
    );
    await page.screenshot({ path: path.join(ARTIFACTS, "duplicates-desktop.png"), fullPage: true });

    // The newer lead's page names the older one, a tap from the comparison.
    await page.goto(`${portal.base}/admin/leads/${other}`);
    await expect(page.locator(".merge-notice").textContent()).resolves.toContain("Possibly the same person");
    await Promise.all([page.waitForURL(/\/admin\/leads\/merge\?/), page.click("text=Compare and merge")]);
    // The older lead stays by default; it takes the newer one's address, and keeps its own email.
    await expect(page.locator("input[name=stays]").nth(1).isChecked()).resolves.toBe(true);
    await page
      .locator("fieldset", { hasText: "Address" })
      .locator("label", { hasText: "40 Birch Lane" })
      .click();
    await page.screenshot({ path: path.join(ARTIFACTS, "merge-desktop.png"), fullPage: true });
    await Promise.all([
      page.waitForURL(`${portal.base}/admin/leads/${keep}`),
      page.click("text=Merge into one lead"),
    ]);

    await expect(page.locator(".merge-notice").first().textContent()).resolves.toContain(
      "Rae Lind was merged into this lead",
    );
    await expect(page.locator(".timeline").textContent()).resolves.toContain(
      "merged Rae Lind into this lead",
    );
    const merged = (await api("GET", `/leads/${keep}`)).body.data as Record<string, unknown>;
    expect(merged).toMatchObject({
      email: "rae.lind@example.com",
      address_street1: "40 Birch Lane",
      notes: "Three storeys",
      service_type: "Gutters",
      tags: ["phone", "web"],
    });
    expect((await api("GET", `/leads/${other}`)).status).toBe(404);
    // The merged lead's old address leads to the lead it joined.
    await page.goto(`${portal.base}/admin/leads/${other}`);
    expect(new URL(page.url()).pathname).toBe(`/admin/leads/${keep}`);

    await Promise.all([page.waitForURL(/\?unmerged=/), page.click("text=Undo merge")]);
    await page.waitForFunction(() => document.body.textContent?.includes("undid the merge of Rae Lind"));
    await expect(page.locator(".merge-notice[role=status]").textContent()).resolves.toBe(
      "Rae Lind is a lead of its own again.",
    );
    expect((await api("GET", `/leads/${other}`)).body.data).toMatchObject({
      email: "raelind+quotes@example.com",
      address_street1: "40 Birch Lane",
      tags: ["web"],
    });
    expect((await api("GET", `/leads/${keep}`)).body.data).toMatchObject({
      address_street1: "4 Birch Ln",
      notes: null,
      tags: ["phone"],
    });
    await page.goto(`${portal.base}/admin/leads/${other}`);
    expect(new URL(page.url()).pathname).toBe(`/admin/leads/${other}`);
    await page.context().close();
  });

  it("fits a phone: the duplicates list and the comparison", async () => {
    await api("POST", "/leads", { name: "Sol Berg", email: "sol.berg@example.com" });
    await api("POST", "/leads", { name: "Sol Berg", email: "solberg@example.com", phone: "6125553200" });
    const page = await signedIn(true);
    await page.goto(`${portal.base}/admin/leads/duplicates`);
    await page.screenshot({ path: path.join(ARTIFACTS, "duplicates-phone.png"), fullPage: true });
    expect(await page.evaluate(phoneProblems, { tap: 44, width: 390 })).toEqual([]);
    await Promise.all([page.waitForURL(/\/admin\/leads\/merge\?/), page.click("text=Compare and merge")]);
    await page.screenshot({ path: path.join(ARTIFACTS, "merge-phone.png"), fullPage: true });
    expect(await page.evaluate(phoneProblems, { tap: 44, width: 390 })).toEqual([]);
    await page.context().close();
  });
});
