import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { waitFor } from "../support/wait-for";

export const ARTIFACTS = path.resolve("test-results");
/** Chromium's flags for tests and benchmarks: nothing it does reaches past loopback. */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function launchBrowser(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: CHROMIUM_FLAGS,
  });
}

/** A member of staff as a test signs them in. */
export interface Staff {
  name: string;
  email: string;
  password: string;
}

/**
 * Signs the admin in on the page: as the first admin through setup on a new portal, through the
 * sign-in page once there is one. Ends on the dashboard.
 */
export async function signInAdmin(page: Page, base: string, admin: Staff): Promise<Page> {
  await page.goto(`${base}/admin/setup`);
  if (new URL(page.url()).pathname === "/admin/setup") {
    await page.fill("#name", admin.name);
    await page.fill("#email", admin.email);
    await page.fill("#password", admin.password);
    await page.fill("#confirm", admin.password);
  } else {
    await page.goto(`${base}/admin/sign-in`);
    await page.fill("#email", admin.email);
    await page.fill("#password", admin.password);
  }
  await Promise.all([page.waitForURL(`${base}/admin`), page.click("button[type=submit]")]);
  return page;
}

/**
 * axe-core's findings on the page, by rule. Injected through the browser's debugger: the pages'
 * policies let no other script run.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  const source = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  await page.evaluate(source);
  return page.evaluate(async () => {
    const result = await (
      window as unknown as { axe: { run(): Promise<{ violations: { id: string }[] }> } }
    ).axe.run();
    return result.violations.map((v) => v.id);
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A page of a business's site, served from another loopback origin, embedding the form. */
export async function hostSite(
  html: (port: number) => string,
): Promise<{ url: string; close(): Promise<void> }> {
  let port = 0;
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html(port));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  return {
    // "localhost" and "127.0.0.1" are different origins, both on loopback.
    url: `http://localhost:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface Portal {
  base: string;
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

/** The built app (built first when there is no build) on the embedded defaults, in a folder of its own. */
export async function startPortal(prepare: (env: NodeJS.ProcessEnv) => void): Promise<Portal> {
  if (!existsSync(".next/BUILD_ID")) {
    execFileSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], { stdio: "inherit" });
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), "lead-portal-e2e-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    NEXT_TELEMETRY_DISABLED: "1",
    // next start runs in production, which wants a real database and KV unless told otherwise.
    ALLOW_EMBEDDED_STORES: "true",
    // and its signing secret from the environment.
    AUTH_SECRET: "an e2e signing secret, 32 characters or more",
  };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  prepare(env);
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    ["node_modules/next/dist/bin/next", "start", "-H", "127.0.0.1", "-p", String(port)],
    { env, stdio: ["ignore", "ignore", "inherit"] },
  );
  const base = `http://127.0.0.1:${port}`;
  await waitFor(
    "the app to start",
    async () => {
      try {
        return (await fetch(`${base}/embed.js`)).ok;
      } catch {
        return false;
      }
    },
    60_000,
    250,
  );
  return {
    base,
    env,
    stop: async () => {
      await new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs one of the project's commands against the portal's settings (before it starts); its output. */
export function portalCommand(env: NodeJS.ProcessEnv, script: string, args: string[]): string {
  return execFileSync(process.execPath, ["--import", "tsx", script, ...args], {
    env,
    stdio: ["ignore", "pipe", "inherit"],
  }).toString();
}

/** An API key made with `npm run apikey` against the portal's settings (before it starts). */
export function seedApiKey(env: NodeJS.ProcessEnv, scopes: string): string {
  return portalCommand(env, "scripts/apikey.ts", ["create", "--name", "seed", "--scopes", scopes])
    .trim()
    .split("\n")
    .at(-1)!;
}

/** Runs `npm run form -- ...` against the portal's settings (before it starts). */
export function formCommand(env: NodeJS.ProcessEnv, args: string[]): void {
  portalCommand(env, "scripts/form.ts", args);
}

/**
 * Every page.tsx under an app folder as a URL: route groups left out, [id] and [slug] filled in
 * with the given values, other segments as named.
 */
export function pageUrls(dir: string, prefix: string, fill: { id: string; slug: string }): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isFile()) return entry.name === "page.tsx" ? [prefix] : [];
    if (!entry.isDirectory()) return [];
    const segment = entry.name.startsWith("(")
      ? ""
      : entry.name === "[id]"
        ? `/${fill.id}`
        : entry.name === "[slug]"
          ? `/${fill.slug}`
          : `/${entry.name}`;
    return pageUrls(path.join(dir, entry.name), prefix + segment, fill);
  });
}

/**
 * What is wrong with the page on a phone: the document wider than the screen, a table wider than
 * the screen (it would scroll sideways in its frame), and every visible control smaller than a
 * fingertip or reaching past the screen's edge. Controls not laid out (in a closed menu or
 * <details>) have no box and are skipped.
 */
export function phoneProblems({ tap, width }: { tap: number; width: number }): string[] {
  const problems: string[] = [];
  // A phone widens its layout viewport to fit a page that overflows, so innerWidth alone would
  // grow with the page: both are held to the screen's width.
  const { scrollWidth } = document.documentElement;
  if (scrollWidth > width || window.innerWidth > width) {
    problems.push(`the document is ${scrollWidth}px wide in a ${width}px screen`);
  }
  for (const table of document.querySelectorAll("table")) {
    const box = table.getBoundingClientRect();
    if (box.width > width) problems.push(`a table is ${Math.round(box.width)}px wide`);
  }
  const controls = "a[href], button, input:not([type=hidden]), select, textarea, summary";
  for (const control of document.querySelectorAll<HTMLElement>(controls)) {
    const box = control.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || getComputedStyle(control).visibility === "hidden") continue;
    const name = (
      control.getAttribute("aria-label") ||
      control.textContent?.trim() ||
      control.getAttribute("name") ||
      ""
    ).slice(0, 40);
    const what = `${control.tagName.toLowerCase()}${control.id ? `#${control.id}` : ""} "${name}"`;
    if (box.width < tap || box.height < tap) {
      problems.push(`${what} is ${box.width.toFixed(1)} × ${box.height.toFixed(1)}`);
    }
    // A control in a box that scrolls sideways (the board's columns) is reached by scrolling it.
    let scroller = control.parentElement;
    while (scroller && !/auto|scroll/.test(getComputedStyle(scroller).overflowX))
      scroller = scroller.parentElement;
    const reachable = scroller !== null && scroller.getBoundingClientRect().right <= width + 0.5;
    if (box.right > width + 0.5 && !reachable) problems.push(`${what} reaches ${Math.round(box.right)}px`);
  }
  return problems;
}
