/**
 * npm run bench:lighthouse: Lighthouse's scores of the portal's pages, on a production server.
 * Builds the app (unless --no-build), starts `next start` on loopback on the embedded database with
 * an admin and 50 leads, and runs Lighthouse (performance, accessibility, best practices, SEO) in
 * its mobile mode (its default form factor and simulated throttling) and its desktop mode on the
 * public form and its thank-you page, and, signed in, on the dashboard, the leads list, a lead and
 * the board (when the build has that route). It prints a Markdown table of the scores with LCP, CLS
 * and the JavaScript transferred, then the audits that kept each score below 100; then the
 * JavaScript every admin page loads (each file gzipped), the figure to quote before and after a
 * change to the admin's bundles.
 * Each Lighthouse run gets a Chromium of its own (Debian's, CHROMIUM_PATH to override), killed after
 * it, and at most RUN_TIMEOUT_MS.
 * Options: --no-build, --only form|admin, --runs N (median of N runs, default 1), --js (the admin
 * pages' JavaScript alone, no Lighthouse).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import lighthouse, { desktopConfig, type Result } from "lighthouse";
import { CHROMIUM_FLAGS, launchBrowser, pageUrls } from "../e2e/harness";
import { signInOverHttp } from "../support/sign-in-http";
import { FIRST_NAMES, LAST_NAMES } from "./data";
import { startServer, stop, tsx } from "./server";

const { values: opts } = parseArgs({
  options: {
    "no-build": { type: "boolean", default: false },
    only: { type: "string" },
    runs: { type: "string", default: "1" },
    js: { type: "boolean", default: false },
  },
});
if (opts.only !== undefined && opts.only !== "form" && opts.only !== "admin") {
  throw new Error(`--only takes form or admin, not ${opts.only}`);
}
const RUNS = Number(opts.runs);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`--runs takes a whole number, not ${opts.runs}`);
const PORT = 3137;
const BASE = `http://127.0.0.1:${PORT}`;
const LEADS = 50;
const RUN_TIMEOUT_MS = 120_000;
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"] as const;
const MODES = ["mobile", "desktop"] as const;
type Mode = (typeof MODES)[number];
const STAFF = { email: "lighthouse-admin@example.com", password: "lighthouse admin passphrase" };

/** How to stop what is running, which must not outlive the script even when it is interrupted. */
const running = new Set<() => void>();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    for (const kill of running) kill();
    process.exit(130);
  });
}

/** Stops a process and the group it leads (Chromium's renderers and helpers), by its id. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // gone already
  }
}

interface Target {
  name: string;
  path: string;
  admin: boolean;
}

interface Measurement {
  scores: Record<(typeof CATEGORIES)[number], number | null>;
  lcpMs: number | null;
  cls: number | null;
  jsBytes: number | null;
  /** Per category below 100, the audits that held it there. */
  failing: { category: string; audits: string[] }[];
}

/** A Chromium with a debugging port on loopback, for Lighthouse to drive. */
async function launchChromium(): Promise<{ port: number; close(): Promise<void> }> {
  const profile = mkdtempSync(path.join(tmpdir(), "lead-portal-lighthouse-"));
  const child = spawn(
    CHROMIUM,
    [...CHROMIUM_FLAGS, "--remote-debugging-port=0", `--user-data-dir=${profile}`, "about:blank"],
    // A process group of its own, so that its renderers and helpers stop with it.
    { stdio: ["ignore", "ignore", "pipe"], detached: true },
  );
  const kill = () => killGroup(child, "SIGTERM");
  running.add(kill);
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => killGroup(child, "SIGKILL"), 5_000);
        child.once("exit", () => {
          clearTimeout(force);
          resolve();
        });
        killGroup(child, "SIGTERM");
      });
    }
    running.delete(kill);
    // Its helpers may still be writing the profile for a moment after the browser has gone.
    rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  };
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let said = "";
      const timer = setTimeout(() => reject(new Error(`Chromium did not start: ${said}`)), 30_000);
      // Read to the end, so that Chromium never blocks on a full pipe.
      let listening = false;
      child.stderr!.on("data", (chunk: Buffer) => {
        // Kept only until it listens (its later logs are not needed), and only enough to say why not.
        if (listening || said.length > 65_536) return;
        said += chunk.toString();
        const port = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(said)?.[1];
        if (port) {
          listening = true;
          clearTimeout(timer);
          resolve(Number(port));
        }
      });
      child.once("exit", (code) => reject(new Error(`Chromium exited (${code}): ${said}`)));
    });
    return { port, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** One Lighthouse run of one page in one mode, in a fresh Chromium. */
async function runLighthouse(url: string, mode: Mode, cookie: string | null): Promise<Result> {
  const chromium = await launchChromium();
  let timer: NodeJS.Timeout | undefined;
  try {
    const run = lighthouse(
      url,
      {
        port: chromium.port,
        hostname: "127.0.0.1",
        output: "json",
        logLevel: "error",
        onlyCategories: [...CATEGORIES],
        extraHeaders: cookie ? { Cookie: cookie } : null,
        maxWaitForLoad: 45_000,
      },
      mode === "desktop" ? desktopConfig : undefined,
    );
    // After a timeout the browser is killed under it, and its failure has no one left to hear it.
    run.catch(() => {});
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`timed out after ${RUN_TIMEOUT_MS / 1000} s`)),
        RUN_TIMEOUT_MS,
      );
    });
    const result = await Promise.race([run, timeout]);
    if (!result) throw new Error("Lighthouse returned no result");
    if (result.lhr.runtimeError) throw new Error(result.lhr.runtimeError.message);
    return result.lhr;
  } finally {
    clearTimeout(timer);
    await chromium.close();
  }
}

/** The audits that count against a category and did not pass; hidden ones (raw data) left out. */
function failingAudits(lhr: Result, category: string): string[] {
  const ignored = new Set(["informative", "manual", "notApplicable"]);
  return (lhr.categories[category]?.auditRefs ?? [])
    .filter((ref) => ref.group !== "hidden")
    .map((ref) => lhr.audits[ref.id]!)
    .filter(
      (audit) =>
        audit.scoreDisplayMode === "error" ||
        (!ignored.has(audit.scoreDisplayMode) && audit.score !== null && audit.score < 1),
    )
    .map((audit) =>
      audit.scoreDisplayMode === "error"
        ? `\`${audit.id}\` ${audit.title} (audit failed: ${audit.errorMessage ?? "no reason given"})`
        : `\`${audit.id}\` ${audit.title}${audit.displayValue ? ` (${audit.displayValue})` : ""}`,
    );
}

function measurementOf(lhr: Result): Measurement {
  const scores = Object.fromEntries(
    CATEGORIES.map((c) => {
      const score = lhr.categories[c]?.score;
      return [c, typeof score === "number" ? Math.round(score * 100) : null];
    }),
  ) as Measurement["scores"];
  const scripts = (
    lhr.audits["resource-summary"]?.details as
      { items?: { resourceType: string; transferSize: number }[] } | undefined
  )?.items?.find((item) => item.resourceType === "script");
  return {
    scores,
    lcpMs: lhr.audits["largest-contentful-paint"]?.numericValue ?? null,
    cls: lhr.audits["cumulative-layout-shift"]?.numericValue ?? null,
    jsBytes: scripts?.transferSize ?? null,
    failing: CATEGORIES.filter((c) => scores[c] !== null && scores[c] < 100).map((category) => ({
      category,
      audits: failingAudits(lhr, category),
    })),
  };
}

function median(values: (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  if (known.length === 0) return null;
  const mid = Math.floor(known.length / 2);
  return known.length % 2 ? known[mid]! : (known[mid - 1]! + known[mid]!) / 2;
}

/** Each figure the median of the runs; the failing audits those of the run with the median performance. */
function combine(runs: Measurement[]): Measurement {
  const byPerformance = [...runs].sort((a, b) => (a.scores.performance ?? -1) - (b.scores.performance ?? -1));
  return {
    scores: Object.fromEntries(
      CATEGORIES.map((c) => [c, median(runs.map((r) => r.scores[c]))]),
    ) as Measurement["scores"],
    lcpMs: median(runs.map((r) => r.lcpMs)),
    cls: median(runs.map((r) => r.cls)),
    jsBytes: median(runs.map((r) => r.jsBytes)),
    failing: byPerformance[Math.floor((runs.length - 1) / 2)]!.failing,
  };
}

const show = (value: number | null, format: (v: number) => string) => (value === null ? "–" : format(value));

function printLighthouse(rows: { target: Target; mode: Mode; result: Measurement | string }[]): void {
  console.log(
    `\n# Lighthouse ${RUNS > 1 ? `(median of ${RUNS} runs)` : "(one run)"}: mobile is its default (simulated throttling), desktop its desktop preset`,
  );
  console.log(
    "| page | mode | performance | accessibility | best practices | SEO | LCP | CLS | JS (gzip KB) |",
  );
  console.log("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const { target, mode, result } of rows) {
    if (typeof result === "string") {
      console.log(`| ${target.name} | ${mode} | failed: ${result} | | | | | | |`);
      continue;
    }
    const s = result.scores;
    const score = (v: number | null) => show(v, (x) => String(Math.round(x)));
    console.log(
      `| ${target.name} | ${mode} | ${score(s.performance)} | ${score(s.accessibility)} | ${score(s["best-practices"])} | ${score(s.seo)} | ${show(result.lcpMs, (v) => `${(v / 1000).toFixed(1)} s`)} | ${show(result.cls, (v) => v.toFixed(3))} | ${show(result.jsBytes, (v) => (v / 1024).toFixed(1))} |`,
    );
  }
  const failing = rows.filter(
    (row) => typeof row.result !== "string" && row.result.failing.some((f) => f.audits.length > 0),
  );
  if (failing.length === 0) return;
  console.log("\n## What kept a score below 100");
  for (const { target, mode, result } of failing) {
    console.log(`\n${target.name}, ${mode}:`);
    for (const { category, audits } of (result as Measurement).failing) {
      if (audits.length > 0) console.log(`- ${category}: ${audits.join("; ")}`);
    }
  }
}

/**
 * The JavaScript each staff page loads, in a browser signed in, until the network is idle: every
 * script response's body, gzipped here (as next start serves them), so that the figure does not
 * hang on the server's compression settings or on what the browser had cached.
 */
async function adminJavaScript(cookie: string, leadId: string): Promise<void> {
  const browser = await launchBrowser();
  const all = new Map<string, { raw: number; gzip: number }>();
  const rows: string[] = [];
  try {
    for (const pathname of pageUrls(path.resolve("app/admin/(staff)"), "/admin", {
      id: leadId,
      slug: "contact",
    }).sort()) {
      // The same label in every run, so that tables from before and after a change line up.
      const label = `\`${pathname.replace(leadId, "{id}")}\``;
      const context = await browser.newContext({ extraHTTPHeaders: { cookie } });
      try {
        const page = await context.newPage();
        const bodies: Promise<void>[] = [];
        const files = new Map<string, { raw: number; gzip: number }>();
        page.on("response", (response) => {
          if (response.request().resourceType() !== "script") return;
          bodies.push(
            response.body().then((body) => {
              const size = { raw: body.length, gzip: gzipSync(body).length };
              files.set(response.url(), size);
              all.set(response.url(), size);
            }),
          );
        });
        const response = await page.goto(BASE + pathname, { waitUntil: "networkidle", timeout: 60_000 });
        await Promise.all(bodies);
        if (response?.status() !== 200 || new URL(page.url()).pathname !== pathname) {
          rows.push(
            `| ${label} | skipped: answers ${response?.status()} at ${new URL(page.url()).pathname} | | |`,
          );
          continue;
        }
        const sizes = [...files.values()];
        const sum = (key: "raw" | "gzip") => (sizes.reduce((t, s) => t + s[key], 0) / 1024).toFixed(1);
        rows.push(`| ${label} | ${sizes.length} | ${sum("raw")} | ${sum("gzip")} |`);
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
  }
  const sizes = [...all.values()];
  const sum = (key: "raw" | "gzip") => (sizes.reduce((t, s) => t + s[key], 0) / 1024).toFixed(1);
  console.log("\n# JavaScript of the admin pages, as loaded by Chromium until the network is idle");
  console.log("| admin page | JS files | raw KB | gzip KB |");
  console.log("| --- | ---: | ---: | ---: |");
  for (const row of rows) console.log(row);
  console.log(
    `| every admin page together (distinct files) | ${sizes.length} | ${sum("raw")} | ${sum("gzip")} |`,
  );
}

/** 50 leads through the API, in a spread of stages, tags and sources; the newest one's id. */
async function seedLeads(apiKey: string): Promise<string> {
  const stages = ["new", "contacted", "quoted", "won", "lost"];
  let id = "";
  for (let i = 0; i < LEADS; i++) {
    const first = FIRST_NAMES[i % FIRST_NAMES.length]!;
    const last = LAST_NAMES[(i * 7) % LAST_NAMES.length]!;
    const response = await fetch(`${BASE}/open-api/leads`, {
      method: "POST",
      headers: { "x-api-key": apiKey, "content-type": "application/json" },
      body: JSON.stringify({
        name: `${first} ${last}`,
        phone: `+1612555${String(2000 + i)}`,
        email: `${first}.${last}@example.com`.toLowerCase(),
        stage: stages[i % stages.length],
        tags: i % 3 === 0 ? ["gutters", "repeat"] : ["windows"],
        source: i % 2 === 0 ? "website" : "referral",
        notes: "Two-storey house, asks for a quote before the end of the month.",
      }),
    });
    const body = (await response.json()) as { id?: string };
    if (response.status !== 201 || !body.id) {
      throw new Error(`seeding lead ${i} failed: ${response.status} ${JSON.stringify(body)}`);
    }
    id = body.id;
  }
  return id;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "lead-portal-lighthouse-data-"));
  const env = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    AUTH_SECRET: "the Lighthouse benchmark's signing secret, 32 characters",
    ALLOW_EMBEDDED_STORES: "true",
    DATA_DIR: dataDir,
  } as NodeJS.ProcessEnv;
  for (const name of ["DATABASE_URL", "REDIS_URL", "KV_REST_API_URL", "KV_REST_API_TOKEN"]) delete env[name];
  try {
    if (!opts["no-build"]) {
      execFileSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
        stdio: "inherit",
        env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
      });
    }
    tsx(["scripts/db-migrate.ts"], env);
    tsx(
      ["scripts/user.ts", "create", "--email", STAFF.email, "--password", STAFF.password, "--role", "admin"],
      env,
    );
    const apiKey = tsx(
      ["scripts/apikey.ts", "create", "--name", "lighthouse", "--scopes", "leads:read,leads:write"],
      env,
    )
      .split("\n")
      .pop()!;
    const server = await startServer(env, PORT);
    const kill = () => server.kill("SIGTERM");
    running.add(kill);
    try {
      await measure(apiKey);
    } finally {
      await stop(server);
      running.delete(kill);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function measure(apiKey: string): Promise<void> {
  const leadId = await seedLeads(apiKey);
  const cookie = await signInOverHttp(BASE, STAFF.email, STAFF.password);
  if (!cookie) throw new Error("signing in failed");
  const wanted: Target[] = [
    { name: "form `/f/contact`", path: "/f/contact", admin: false },
    { name: "thank-you `/f/contact/thanks`", path: "/f/contact/thanks", admin: false },
    { name: "dashboard `/admin`", path: "/admin", admin: true },
    { name: "leads list `/admin/leads`", path: "/admin/leads", admin: true },
    { name: "lead `/admin/leads/{id}`", path: `/admin/leads/${leadId}`, admin: true },
    { name: "board `/admin/leads/board`", path: "/admin/leads/board", admin: true },
  ].filter((t) => !opts.only || (opts.only === "admin") === t.admin);
  const targets: Target[] = [];
  for (const target of wanted) {
    // Also the route's first load (next start loads each route on its first request), kept out of
    // the measurement.
    const response = await fetch(BASE + target.path, {
      redirect: "manual",
      headers: target.admin ? { cookie } : {},
    });
    await response.body?.cancel();
    if (response.status === 200) targets.push(target);
    else if (target.path === "/admin/leads/board") {
      console.log(`Skipping the board: ${target.path} answers ${response.status} in this build.`);
    } else throw new Error(`${target.path} answers ${response.status}, not 200`);
  }
  if (!opts.js) {
    const rows: { target: Target; mode: Mode; result: Measurement | string }[] = [];
    for (const target of targets) {
      for (const mode of MODES) {
        const runs: Measurement[] = [];
        let failure = "";
        for (let run = 1; run <= RUNS; run++) {
          const started = performance.now();
          try {
            runs.push(
              measurementOf(await runLighthouse(BASE + target.path, mode, target.admin ? cookie : null)),
            );
            console.log(
              `  ${target.path} ${mode} run ${run}: ${((performance.now() - started) / 1000).toFixed(0)} s`,
            );
          } catch (error) {
            failure = error instanceof Error ? error.message : String(error);
            console.log(`  ${target.path} ${mode} run ${run} failed: ${failure}`);
          }
        }
        rows.push({ target, mode, result: runs.length > 0 ? combine(runs) : failure });
      }
    }
    printLighthouse(rows);
  }
  if (opts.only !== "form") await adminJavaScript(cookie, leadId);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
