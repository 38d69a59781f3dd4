import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInOverHttp } from "../support/sign-in-http";
import { type AppProcess, spawnApp } from "../support/spawn-app";
import { embeddedDataDir } from "../support/stores";

// Cloudflare cannot be reached from the tests: a stand-in answers the siteverify calls, passing only
// the token "good" presented with the right secret, and the app process is pointed at it.
const calls: URLSearchParams[] = [];
let verifier: Server;
let app: AppProcess;
const dataDir = embeddedDataDir();
const ADMIN = `turnstile-${randomUUID().slice(0, 8)}@example.com`;
const PASSWORD = "a long admin passphrase";

/** The contact form's spam count, from the admin API. */
async function spamCount(): Promise<number> {
  const cookie = await signInOverHttp(app.base, ADMIN, PASSWORD);
  const response = await fetch(`${app.base}/api/admin/forms`, { headers: { cookie: cookie! } });
  const { data } = (await response.json()) as { data: { slug: string; spamCount: number }[] };
  return data.find((form) => form.slug === "contact")!.spamCount;
}

/** The names of the leads whose email is this one, from the admin's list. */
async function leadsOf(email: string): Promise<string[]> {
  const cookie = await signInOverHttp(app.base, ADMIN, PASSWORD);
  const response = await fetch(`${app.base}/api/admin/leads?refresh=1&search=${encodeURIComponent(email)}`, {
    headers: { cookie: cookie! },
  });
  const { data } = (await response.json()) as { data: { name: string }[] };
  return data.map((lead) => lead.name);
}

beforeAll(async () => {
  verifier = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const form = new URLSearchParams(body);
      calls.push(form);
      const success = form.get("secret") === "s3cret" && form.get("response") === "good";
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ success }));
    });
  });
  await new Promise<void>((resolve) => verifier.listen(0, "127.0.0.1", resolve));
  const { port } = verifier.address() as AddressInfo;
  const settings = { ...process.env, DATA_DIR: dataDir };
  // An admin, to read the form's spam count as the admin's forms page does (before the app starts:
  // the embedded database allows one process at a time).
  execFileSync(
    process.execPath,
    [
      "--import",
      "tsx",
      "scripts/user.ts",
      "create",
      "--email",
      ADMIN,
      "--password",
      PASSWORD,
      "--role",
      "admin",
    ],
    { env: settings, stdio: "ignore" },
  );
  app = await spawnApp({
    ...settings,
    TURNSTILE_SITE_KEY: "site-key-1",
    TURNSTILE_SECRET_KEY: "s3cret",
    TURNSTILE_VERIFY_URL: `http://127.0.0.1:${port}/siteverify`,
  });
});

afterAll(async () => {
  await app?.stop();
  await new Promise((resolve) => verifier.close(resolve));
});

async function submit(body: Record<string, string>) {
  const response = await fetch(`${app.base}/api/intake/contact`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { submission_id: string } };
}

describe("Cloudflare Turnstile, when its keys are set", () => {
  it("puts the widget on the form page and lets its host through the page's policy", async () => {
    const response = await fetch(`${app.base}/f/contact`);
    const html = await response.text();
    expect(html).toContain('data-sitekey="site-key-1"');
    expect(html).toContain('src="https://challenges.cloudflare.com/turnstile/v0/api.js"');
    expect(response.headers.get("content-security-policy")).toContain(
      "frame-src https://challenges.cloudflare.com",
    );
  });

  it("stores a submission Cloudflare passes, and treats a failed or missing one as spam", async () => {
    const passed = `pass.${randomUUID()}@example.com`;
    expect((await submit({ name: "Ann", email: passed, "cf-turnstile-response": "good" })).status).toBe(201);
    expect(await leadsOf(passed)).toEqual(["Ann"]);
    const verified = calls.at(-1)!;
    expect(verified.get("secret")).toBe("s3cret");
    expect(verified.get("response")).toBe("good");

    const spamBefore = await spamCount();
    const refused = `refused.${randomUUID()}@example.com`;
    const failed = await submit({ name: "Bot", email: refused, "cf-turnstile-response": "bad" });
    const missing = await submit({ name: "Bot", email: refused, notes: "no widget" });
    // Answered as if accepted, and no lead made: a real submission of that address is a new lead.
    expect([failed.status, missing.status]).toEqual([201, 201]);
    expect(await spamCount()).toBe(spamBefore + 2);
    expect(await leadsOf(refused)).toEqual([]);
    expect((await submit({ name: "Eve", email: refused, "cf-turnstile-response": "good" })).status).toBe(201);
    expect(await leadsOf(refused)).toEqual(["Eve"]);
  });
});
