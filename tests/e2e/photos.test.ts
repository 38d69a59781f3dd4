import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formCommand, launchBrowser, type Portal, seedApiKey, signInAdmin, startPortal } from "./harness";

let portal: Portal;
let browser: Browser;
let readKey: string;
const files = mkdtempSync(path.join(tmpdir(), "lead-portal-photos-"));
const ADMIN = { name: "Pat Admin", email: "pat@example.com", password: "a long admin passphrase" };

beforeAll(async () => {
  const settings = path.join(files, "settings.json");
  writeFileSync(
    settings,
    JSON.stringify({
      fields: [
        { name: "name", label: "Name", required: true },
        { name: "email", label: "Email", required: true },
      ],
      photos: { label: "Photos of the job", help: "A few photos help us quote.", required: false },
    }),
  );
  portal = await startPortal((env) => {
    // A test fills the form faster than a person: not taken for a bot's.
    env.INTAKE_MIN_FILL_SECONDS = "0";
    readKey = seedApiKey(env, "leads:read");
    formCommand(env, ["create", "job", "--title", "Get a quote", "--settings", settings]);
  });
  browser = await launchBrowser();
  // Two photos drawn in the browser: a 3000 x 2000 JPEG (a phone's) and a 1200 x 900 PNG.
  const page = await browser.newPage();
  const drawn = await page.evaluate(async () => {
    const draw = async (width: number, height: number, type: string) => {
      const canvas = document.createElement("canvas");
      canvas.width = width;
      canvas.height = height;
      const context = canvas.getContext("2d")!;
      const gradient = context.createLinearGradient(0, 0, width, height);
      gradient.addColorStop(0, "#2a6f97");
      gradient.addColorStop(1, "#f4a261");
      context.fillStyle = gradient;
      context.fillRect(0, 0, width, height);
      context.fillStyle = "#fff";
      context.fillRect(width / 4, height / 4, width / 2, height / 2);
      const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), type, 0.9));
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let binary = "";
      for (const byte of bytes) binary += String.fromCharCode(byte);
      return btoa(binary);
    };
    return { jpeg: await draw(3000, 2000, "image/jpeg"), png: await draw(1200, 900, "image/png") };
  });
  await page.close();
  writeFileSync(path.join(files, "roof.jpg"), Buffer.from(drawn.jpeg, "base64"));
  writeFileSync(path.join(files, "porch.png"), Buffer.from(drawn.png, "base64"));
});

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
  rmSync(files, { recursive: true, force: true });
});

const PHOTOS = () => [path.join(files, "roof.jpg"), path.join(files, "porch.png")];

async function leadIdOf(name: string): Promise<string> {
  const response = await fetch(`${portal.base}/open-api/leads?${new URLSearchParams({ search: name })}`, {
    headers: { "x-api-key": readKey },
  });
  const { data } = (await response.json()) as { data: { id: string; name: string }[] };
  const lead = data.find((l) => l.name === name);
  if (!lead) throw new Error(`no lead named ${name}`);
  return lead.id;
}

async function signedIn(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  return signInAdmin(await context.newPage(), portal.base, ADMIN);
}

/** The lead page's photos once loaded: each thumbnail's size and the full image's. */
async function photosShown(page: Page, leadId: string) {
  await page.goto(`${portal.base}/admin/leads/${leadId}`);
  const images = page.locator(".lead-photos img");
  await images.first().scrollIntoViewIfNeeded();
  await page.waitForFunction(() =>
    [...document.querySelectorAll<HTMLImageElement>(".lead-photos img")].every(
      (img) => img.complete && img.naturalWidth > 0,
    ),
  );
  return images.evaluateAll((list) =>
    (list as HTMLImageElement[]).map((img) => ({
      width: img.width,
      height: img.height,
      naturalWidth: img.naturalWidth,
      naturalHeight: img.naturalHeight,
      loading: img.loading,
      href: img.closest("a")!.getAttribute("href"),
    })),
  );
}

describe("photos on the form in real Chromium", () => {
  it("with JavaScript on: resized in the browser to 1,600 px at most, sent, shown to the signed-in admin", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const scripts: string[] = [];
    page.on("request", (request) => {
      if (request.resourceType() === "script") scripts.push(new URL(request.url()).pathname);
    });
    const violations: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.goto(`${portal.base}/f/job`);
    // The resizer is loaded only once a photo is picked.
    expect(scripts).toEqual([]);
    await page.fill("#f-name", "Pia Script");
    await page.fill("#f-email", "pia@example.com");
    await page.setInputFiles("#f-photos", PHOTOS());
    await page.waitForFunction(() => "formPhotos" in window);
    expect(scripts).toEqual(["/form-photos.js"]);
    await Promise.all([page.waitForURL(/\/f\/job\/thanks$/), page.click("button[type=submit]")]);
    expect(violations).toEqual([]);
    await context.close();

    const admin = await signedIn();
    const shown = await photosShown(admin, await leadIdOf("Pia Script"));
    expect(shown).toHaveLength(2);
    // Both re-encoded as JPEG in the browser: the large one down to 1,600 px on its long side.
    expect(shown.map((s) => [s.naturalWidth, s.naturalHeight])).toEqual([
      [1600, 1067],
      [1200, 900],
    ]);
    for (const s of shown) {
      expect(s.loading).toBe("lazy");
      expect(Math.max(s.width, s.height)).toBe(160);
      expect(s.href).toMatch(/^\/api\/admin\/leads\/[0-9a-f-]+\?photo=[0-9a-f-]+&expires=\d+&sig=/);
    }
    const full = await admin.request.get(`${portal.base}${shown[0]!.href}`);
    expect(full.status()).toBe(200);
    expect(full.headers()["content-type"]).toBe("image/jpeg");
    expect(full.headers()["cache-control"]).toBe("private, max-age=600");
    // Without the session, the same link is refused.
    const anonymous = await fetch(`${portal.base}${shown[0]!.href}`, { redirect: "manual" });
    expect(anonymous.status).toBe(401);
    await admin.context().close();
  });

  it("with JavaScript off: a plain multipart post of the photos as they are", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${portal.base}/f/job`);
    await page.fill("#f-name", "Noa Plain");
    await page.fill("#f-email", "noa@example.com");
    await page.setInputFiles("#f-photos", PHOTOS());
    await Promise.all([page.waitForURL(/\/f\/job\/thanks$/), page.click("button[type=submit]")]);
    await context.close();

    const admin = await signedIn();
    const shown = await photosShown(admin, await leadIdOf("Noa Plain"));
    expect(shown.map((s) => [s.naturalWidth, s.naturalHeight, s.width, s.height])).toEqual([
      [3000, 2000, 160, 107],
      [1200, 900, 160, 120],
    ]);
    await admin.context().close();
  });

  it("keeps the form without photos small, with no script file", async () => {
    const plain = await fetch(`${portal.base}/f/contact`, { headers: { "accept-encoding": "gzip" } });
    const html = await plain.text();
    expect(html).not.toContain('type="file"');
    expect(plain.headers.get("content-security-policy")).toMatch(/script-src 'sha256-[^ ;]+;/);
    const { gzipSync } = await import("node:zlib");
    expect(gzipSync(html).length).toBeLessThan(10 * 1024);
  });
});
