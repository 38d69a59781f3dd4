import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PushService, startPushService } from "../support/push-service";
import { type SmtpStandIn, startSmtp } from "../support/smtp";
import { waitFor } from "../support/wait-for";
import { ARTIFACTS, formCommand, hostSite, launchBrowser, type Portal, startPortal } from "./harness";

let portal: Portal;
let browser: Browser;
let smtp: SmtpStandIn;
let push: PushService;
let site: Awaited<ReturnType<typeof hostSite>>;
const ADMIN = { name: "Olivia Owner", email: "owner@clearview.example", password: "a long owner passphrase" };

beforeAll(async () => {
  smtp = await startSmtp();
  push = await startPushService();
  // The push service's certificate is the test's own: the portal trusts it as it would a real CA's.
  const ca = path.join(tmpdir(), `push-ca-${process.pid}.pem`);
  writeFileSync(ca, push.ca);
  site = await hostSite(
    () => `<!doctype html><html lang="en"><head><meta name="viewport" content="width=device-width">
<title>Clearview Windows</title></head><body><h1>Clearview Windows</h1>
<script src="${portal.base}/embed.js" data-form="quote" async></script></body></html>`,
  );
  portal = await startPortal((env) => {
    env.SMTP_URL = smtp.url;
    env.MAIL_FROM = "Lead alerts <alerts@clearview.example>";
    env.NODE_EXTRA_CA_CERTS = ca;
    env.WEBHOOK_ALLOWED_HOSTS = "127.0.0.1";
    env.INTAKE_MIN_FILL_SECONDS = "0";
    formCommand(env, ["create", "quote", "--title", "Get a quote", "--origins", new URL(site.url).origin]);
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
  await site?.close();
  await smtp?.close();
  await push?.close();
});

describe("speed to lead, in real Chromium", () => {
  it("a visitor's request reaches the owner by email in seconds; its link opens the lead, one tap from a call; Mark contacted shows on the dashboard", async () => {
    // The first admin sets the portal up (which also tells it its own address for links).
    const owner = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const admin = await owner.newPage();
    await admin.goto(`${portal.base}/admin/setup`);
    await admin.fill("#name", ADMIN.name);
    await admin.fill("#email", ADMIN.email);
    await admin.fill("#password", ADMIN.password);
    await admin.fill("#confirm", ADMIN.password);
    await Promise.all([admin.waitForURL(`${portal.base}/admin`), admin.click("button[type=submit]")]);
    await owner.close();

    // A visitor on the business's own site, on a phone.
    const visitor = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await visitor.newPage();
    await page.goto(site.url);
    const frame = page.frameLocator("iframe");
    await frame.locator("[name=name]").fill("Dana Whitfield");
    await frame.locator("[name=phone]").fill("(612) 555-0142");
    await frame.locator("[name=email]").fill("dana@example.com");
    await frame.locator("[name=notes]").fill("Two storeys, about 20 windows");
    await frame.locator("button[type=submit]").click();
    await frame.locator("[role=status]").waitFor();
    const sentAt = Date.now();
    await visitor.close();

    const mail = await smtp.waitForMail((m) => m.to.includes(ADMIN.email), 10_000);
    const seconds = (Date.now() - sentAt) / 1000;
    expect(mail.subject).toBe("New lead: Dana Whitfield");
    const link = /Open the lead: (\S+)/.exec(mail.text)![1]!;
    expect(link).toMatch(new RegExp(`^${portal.base}/admin/leads/[0-9a-f-]{36}$`));
    expect(mail.html).toContain('href="tel:+16125550142"');

    // The owner taps the link on their phone: sign-in first, then the lead.
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const lead = await phone.newPage();
    await lead.goto(link);
    expect(new URL(lead.url()).pathname).toBe("/admin/sign-in");
    await lead.fill("#email", ADMIN.email);
    await lead.fill("#password", ADMIN.password);
    await Promise.all([lead.waitForURL(link), lead.click("button[type=submit]")]);
    expect(await lead.textContent("h1")).toBe("Dana Whitfield");
    expect(await lead.getAttribute("a:text-is('Call (612) 555-0142')", "href")).toBe("tel:+16125550142");
    expect(await lead.getAttribute("a:text-is('Text')", "href")).toBe("sms:+16125550142");
    expect(await lead.getAttribute("a:text-is('Email')", "href")).toBe("mailto:dana@example.com");
    expect(await lead.textContent(".lead-message")).toBe("Two storeys, about 20 windows");
    // Who and what fit the first screen of a phone, and nothing is wider than it.
    const call = await lead.locator("a:text-is('Call (612) 555-0142')").boundingBox();
    expect(call!.y + call!.height).toBeLessThanOrEqual(844);
    expect(call!.height).toBeGreaterThanOrEqual(44);
    expect(await lead.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await lead.screenshot({ path: path.join(ARTIFACTS, "alerts-lead-phone.png") });

    await lead.click("button:text-is('Mark contacted')");
    await lead.waitForSelector("text=Marked contacted.");
    await lead.waitForSelector(".lead-facts >> text=/after (under a minute|\\d+ min)/");
    await lead.setViewportSize({ width: 1440, height: 900 });
    await lead.screenshot({ path: path.join(ARTIFACTS, "alerts-lead-desktop.png"), fullPage: true });

    await lead.goto(`${portal.base}/admin`);
    const card = lead.locator("section[aria-labelledby=response-title]");
    expect(await card.textContent()).toMatch(/This week1 lead, answered after (under a minute|\d+ min)/);
    await lead.screenshot({ path: path.join(ARTIFACTS, "alerts-dashboard.png"), fullPage: true });

    // The profile alerts and auto-replies use, edited on Settings, at desktop and phone width.
    await lead.goto(`${portal.base}/admin/settings`);
    await lead.fill("#name", "Clearview Windows");
    await lead.fill("#phone", "(612) 555-0100");
    await lead.selectOption("#timeZone", "America/Chicago");
    await lead.click("button:text-is('Save settings')");
    await lead.waitForSelector("text=Saved. Forms, alerts and auto-replies use the new profile from now on.");
    await lead.screenshot({ path: path.join(ARTIFACTS, "alerts-settings.png"), fullPage: true });
    await lead.setViewportSize({ width: 390, height: 844 });
    await lead.reload();
    expect(await lead.inputValue("#name")).toBe("Clearview Windows");
    expect(await lead.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await lead.screenshot({ path: path.join(ARTIFACTS, "alerts-settings-phone.png"), fullPage: true });
    await phone.close();
    console.info(
      `[alerts e2e] the alert reached the SMTP server ${seconds.toFixed(1)} s after the visitor's answer`,
    );
  });

  it("push: the service worker registers, the device subscribes, and a pushed alert shows as a notification", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.grantPermissions(["notifications"], { origin: portal.base });
    // The browser's own push service is out of reach here: its subscribe() answers with the
    // stand-in's subscription, as a browser answers with its vendor's.
    const device = push.subscription();
    await context.addInitScript(
      (subscription) => {
        PushManager.prototype.subscribe = async function () {
          return {
            endpoint: subscription.endpoint,
            toJSON: () => subscription,
          } as unknown as PushSubscription;
        };
        PushManager.prototype.getSubscription = async function () {
          return null;
        };
      },
      { endpoint: device.endpoint, keys: device.keys },
    );
    const page = await context.newPage();
    await page.goto(`${portal.base}/admin/account`);
    await page.fill("#email", ADMIN.email);
    await page.fill("#password", ADMIN.password);
    await Promise.all([page.waitForURL(`${portal.base}/admin/account`), page.click("button[type=submit]")]);
    await page.click("button:text-is('Turn on alerts on this device')");
    await page.waitForSelector("text=Alerts are on for this device.");
    const worker = await page.evaluate(async () => (await navigator.serviceWorker.ready).active?.scriptURL);
    expect(worker).toBe(`${portal.base}/sw.js`);
    await page.reload();
    expect(await page.textContent("main")).toContain("Chrome on Linux");

    await page.click("button:text-is('Send me a test alert')");
    await page.waitForSelector("text=A test alert is on its way by email, to 1 device.");
    await waitFor("the push to reach the push service", () => push.received.length > 0, 10_000);
    const payload = device.decrypt(push.received.at(-1)!.body);
    expect(JSON.parse(payload)).toMatchObject({
      title: "New lead: Test Customer",
      url: `${portal.base}/admin/leads`,
    });

    // What the browser does with a push: hands it to the service worker, which shows it.
    const cdp = await context.newCDPSession(page);
    const registration = new Promise<string>((resolve) =>
      cdp.on("ServiceWorker.workerRegistrationUpdated", ({ registrations }) => {
        const mine = registrations.find((r) => r.scopeURL === `${portal.base}/` && !r.isDeleted);
        if (mine) resolve(mine.registrationId);
      }),
    );
    await cdp.send("ServiceWorker.enable");
    await cdp.send("ServiceWorker.deliverPushMessage", {
      origin: portal.base,
      registrationId: await registration,
      data: payload,
    });
    await waitFor(
      "the notification",
      async () =>
        (
          await page.evaluate(async () =>
            (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => n.title),
          )
        ).includes("New lead: Test Customer"),
      10_000,
    );
    await page.screenshot({ path: path.join(ARTIFACTS, "alerts-account.png"), fullPage: true });
    await context.close();
  });
});
