/**
 * npm run bench:cold: how long a production server takes from nothing to its first answer, as a
 * function's cold start does. Builds the app and a minimal Next.js app (one route handler, the same
 * installed next, react and react-dom), then times, from spawning `next start` to the first
 * successful answer, `POST /api/intake/contact` and `GET /open-api/auth/test` on PostgreSQL + Redis
 * and on the embedded default, and the minimal app's one route; each the median of fresh starts.
 * The starts run in rounds, each round one start of everything, so that the machine's drift over
 * the run falls on the app and the baseline alike; each ratio is the app's median to the minimal
 * app's.
 * Options: --no-build (the app's build; the minimal app is always built), --starts N (default 5),
 * --only pglite|postgres.
 * Settings: COLD_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/lead_portal_cold, created
 * when missing and emptied each run), COLD_REDIS_URL (default redis://127.0.0.1:6379).
 */
import { execFileSync, spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { resetPostgres, stop, tsx } from "./server";

const { values: opts } = parseArgs({
  options: {
    "no-build": { type: "boolean", default: false },
    starts: { type: "string", default: "5" },
    only: { type: "string" },
  },
});
const starts = Number(opts.starts);
const PORT = 3117;
const GOAL_ON_POSTGRES = 1.5;
const pgUrl = process.env.COLD_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/lead_portal_cold";
const redisUrl = process.env.COLD_REDIS_URL ?? "redis://127.0.0.1:6379";
const project = process.cwd();
const nextBin = path.join(project, "node_modules/next/dist/bin/next");

const baseEnv = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: "1",
  NODE_ENV: "production",
  AUTH_SECRET: process.env.AUTH_SECRET ?? "the benchmark's signing secret, 32 characters",
  // Every start submits from the same address: the hourly limits would soon answer it as spam,
  // which skips the write being timed.
  INTAKE_PER_IP_PER_HOUR: "1000000000",
  INTAKE_PER_FORM_PER_HOUR: "1000000000",
} as NodeJS.ProcessEnv;
for (const name of ["DATABASE_URL", "REDIS_URL", "KV_REST_API_URL", "KV_REST_API_TOKEN", "DATA_DIR"]) {
  delete baseEnv[name];
}

interface Probe {
  method: "GET" | "POST";
  path: string;
  headers: Record<string, string>;
  body?: () => string;
}

interface Target {
  name: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  probe: Probe;
  times: number[];
  /** CPU time of the server process to its first answer, where /proc tells it (Linux). */
  cpu: number[];
}

/** Linux's fixed unit for the CPU times in /proc/PID/stat. */
const TICK_MS = 10;

/** The CPU time a process has used so far (all its threads), in ms; null without /proc. */
function cpuMs(pid: number | undefined): number | null {
  const stat = `/proc/${pid}/stat`;
  if (pid === undefined || !existsSync(stat)) return null;
  // The fields after the command name, which may itself hold spaces: utime and stime are 12th and 13th.
  const fields = readFileSync(stat, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** One HTTP request on a connection of its own (a reused one could belong to the last server). */
function request(probe: Probe): Promise<{ status: number; body: string }> {
  const body = probe.body?.();
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port: PORT,
        method: probe.method,
        path: probe.path,
        headers:
          body === undefined
            ? probe.headers
            : { ...probe.headers, "content-length": Buffer.byteLength(body) },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * Spawns `next start` and asks for the probe until it succeeds: the milliseconds from the spawn to
 * that answer, and the server's CPU time by then. A refused connection is asked again at once (the
 * server is not listening yet); a 4xx ends the run, as no later start would answer it otherwise.
 */
async function timeToFirstAnswer(target: Target): Promise<{ ms: number; cpu: number | null }> {
  const started = performance.now();
  const child = spawn(process.execPath, [nextBin, "start", "-H", "127.0.0.1", "-p", String(PORT)], {
    cwd: target.cwd,
    env: target.env,
    stdio: ["ignore", "ignore", "inherit"],
  });
  try {
    let last = "no answer";
    while (performance.now() - started < 60_000) {
      if (child.exitCode !== null) throw new Error(`${target.name}: next start exited (${child.exitCode})`);
      try {
        const { status, body } = await request(target.probe);
        if (status >= 200 && status < 300) return { ms: performance.now() - started, cpu: cpuMs(child.pid) };
        last = `${status} ${body.slice(0, 200)}`;
        if (status < 500) break;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    }
    throw new Error(`${target.name}: ${last}`);
  } finally {
    await stop(child);
  }
}

/**
 * The baseline: a Next.js app of one route handler, built with this project's next, react and
 * react-dom through a link to its node_modules.
 */
function buildMinimalApp(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "lead-portal-minimal-"));
  mkdirSync(path.join(dir, "app/ping"), { recursive: true });
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ private: true, type: "module" }));
  writeFileSync(
    path.join(dir, "app/ping/route.js"),
    "export function GET() {\n  return Response.json({ ok: true });\n}\n",
  );
  const modules = realpathSync(path.join(project, "node_modules"));
  symlinkSync(modules, path.join(dir, "node_modules"));
  // Turbopack reads no file outside its root, and the link leads out of the temporary folder: the
  // root is the deepest folder holding both.
  const root = commonAncestor(realpathSync(dir), modules);
  writeFileSync(
    path.join(dir, "next.config.mjs"),
    `export default ${JSON.stringify({ turbopack: { root }, outputFileTracingRoot: root })};\n`,
  );
  execFileSync(process.execPath, [nextBin, "build"], {
    cwd: dir,
    env: { ...baseEnv, NODE_ENV: "production" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  return dir;
}

function commonAncestor(a: string, b: string): string {
  const left = a.split(path.sep);
  const right = b.split(path.sep);
  let i = 0;
  while (i < left.length && left[i] === right[i]) i++;
  return left.slice(0, i).join(path.sep) || path.sep;
}

/**
 * The app's two probes on one backend, with its store ready: migrated, and an API key made (which
 * also makes the default company and its contact form) before any start is timed.
 */
async function appTargets(
  backend: "postgres" | "pglite",
): Promise<{ targets: Target[]; cleanup: () => void }> {
  const env: NodeJS.ProcessEnv = { ...baseEnv };
  let cleanup = () => {};
  if (backend === "postgres") {
    if (!(await resetPostgres(pgUrl))) {
      console.log(`PostgreSQL at ${new URL(pgUrl).host} is not reachable: skipping that run.`);
      return { targets: [], cleanup };
    }
    env.DATABASE_URL = pgUrl;
    env.REDIS_URL = redisUrl;
    tsx(["scripts/db-migrate.ts"], env);
  } else {
    const dataDir = mkdtempSync(path.join(tmpdir(), "lead-portal-cold-"));
    env.ALLOW_EMBEDDED_STORES = "true";
    env.DATA_DIR = dataDir;
    cleanup = () => rmSync(dataDir, { recursive: true, force: true });
  }
  const key = tsx(["scripts/apikey.ts", "create", "--name", "cold start", "--scopes", "leads:read"], env)
    .split("\n")
    .pop()!;
  const label = backend === "postgres" ? "PostgreSQL + Redis" : "embedded (PGlite + memory KV)";
  let submitted = 0;
  const targets: Target[] = [
    {
      name: `${label}: POST /api/intake/contact`,
      cwd: project,
      env,
      probe: {
        method: "POST",
        path: "/api/intake/contact",
        headers: { "content-type": "application/json" },
        // A new person each time: a repeated submission would be answered from KV without the write.
        body: () =>
          JSON.stringify({ name: "Cold Start", phone: `+1612555${String(++submitted).padStart(4, "0")}` }),
      },
      times: [],
      cpu: [],
    },
    {
      name: `${label}: GET /open-api/auth/test`,
      cwd: project,
      env,
      probe: { method: "GET", path: "/open-api/auth/test", headers: { "x-api-key": key } },
      times: [],
      cpu: [],
    },
  ];
  return { targets, cleanup };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function main() {
  if (!opts["no-build"]) {
    console.log("Building the app (next build)...");
    execFileSync(process.execPath, [nextBin, "build"], {
      env: baseEnv,
      stdio: ["ignore", "ignore", "inherit"],
    });
  }
  console.log("Building the minimal app...");
  const minimalDir = buildMinimalApp();
  const cleanups = [() => rmSync(minimalDir, { recursive: true, force: true })];
  try {
    const minimal: Target = {
      name: "minimal Next.js app: GET /ping",
      cwd: minimalDir,
      env: baseEnv,
      probe: { method: "GET", path: "/ping", headers: {} },
      times: [],
      cpu: [],
    };
    const app: Target[] = [];
    for (const backend of (["postgres", "pglite"] as const).filter((b) => !opts.only || opts.only === b)) {
      const { targets, cleanup } = await appTargets(backend);
      cleanups.push(cleanup);
      app.push(...targets);
    }
    const all = [minimal, ...app];
    // One start of each, not counted: the first reads of the built files from disk.
    for (const target of all) await timeToFirstAnswer(target);
    for (let round = 1; round <= starts; round++) {
      for (const target of all) {
        const { ms, cpu } = await timeToFirstAnswer(target);
        target.times.push(ms);
        if (cpu !== null) target.cpu.push(cpu);
        console.log(`  start ${round}: ${target.name} ${ms.toFixed(0)} ms`);
      }
    }
    const baseline = median(minimal.times);
    console.log(`\n# Cold start: spawn of next start to first answer, median of ${starts} starts`);
    console.log("| what | median ms | ratio to the minimal app | every start (ms) |");
    console.log("| --- | ---: | ---: | --- |");
    for (const target of all) {
      const m = median(target.times);
      console.log(
        `| ${target.name} | ${m.toFixed(0)} | ${(m / baseline).toFixed(2)} | ${target.times.map((t) => t.toFixed(0)).join(" ")} |`,
      );
    }
    // The wall time above is what a caller waits; on a machine busy with other work it swings with
    // that work. The server's own CPU time to the same answer hardly does.
    if (minimal.cpu.length > 0) {
      const cpuBaseline = median(minimal.cpu);
      console.log("The server's CPU time (all its threads) to that answer, medians:");
      console.log("| what | CPU ms | ratio to the minimal app |");
      console.log("| --- | ---: | ---: |");
      for (const target of all) {
        const m = median(target.cpu);
        console.log(`| ${target.name} | ${m.toFixed(0)} | ${(m / cpuBaseline).toFixed(2)} |`);
      }
    }
    const onPostgres = app.filter((t) => t.name.startsWith("PostgreSQL"));
    if (onPostgres.length > 0) {
      const worst = Math.max(...onPostgres.map((t) => median(t.times) / baseline));
      console.log(
        `Goal on PostgreSQL: each ratio at most ${GOAL_ON_POSTGRES}; highest ${worst.toFixed(2)}: ${worst <= GOAL_ON_POSTGRES ? "met" : "not met"}.`,
      );
    }
  } finally {
    for (const cleanup of cleanups) cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
