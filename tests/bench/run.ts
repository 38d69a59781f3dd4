/**
 * npm run bench: builds the app, then for the embedded default (PGlite + memory KV) and for
 * PostgreSQL + Redis seeds 100,000 leads, starts `next start` on loopback and measures each
 * scenario at 50 connections, printing req/s, p50/p99 and the ratio to the authenticated floor:
 * the API, the intake, and the admin's list as a signed-in user.
 * The scenarios with a goal run in rounds, each round starting with the floor, and each ratio is
 * taken against the floors just before and after it, then the median over the rounds is reported:
 * the machine's speed drifts over a run, and a ratio of figures taken seconds apart does not.
 * Options: --no-build, --duration SECONDS (default 6), --rounds N (default 5), --only pglite|postgres.
 * Settings: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/lead_portal_bench,
 * created when missing and emptied each run), BENCH_REDIS_URL (default redis://127.0.0.1:6379).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { runScenario, type ScenarioResult, type ScenarioSpec } from "./load";
import { resetPostgres, startServer, stop, tsx } from "./server";
import { searchQueries } from "./data";
import { submissions } from "../support/people";
import { signInOverHttp } from "../support/sign-in-http";

const { values: opts } = parseArgs({
  options: {
    "no-build": { type: "boolean", default: false },
    duration: { type: "string", default: "6" },
    rounds: { type: "string", default: "5" },
    only: { type: "string" },
  },
});
const duration = Number(opts.duration);
const rounds = Number(opts.rounds);
const PORT = 3107;
const BASE = `http://127.0.0.1:${PORT}`;
const LEADS = 100_000;
const pgUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/lead_portal_bench";
const redisUrl = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
const benchEnv = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: "1",
  NODE_ENV: "production",
  // One instance on a temporary folder: the embedded run is meant to be measured as it is.
  ALLOW_EMBEDDED_STORES: "true",
  AUTH_SECRET: process.env.AUTH_SECRET ?? "the benchmark's signing secret, 32 characters",
  // All the load comes from one address: the intake's hourly limits would turn it into spam.
  INTAKE_PER_IP_PER_HOUR: "1000000000",
  INTAKE_PER_FORM_PER_HOUR: "1000000000",
} as NodeJS.ProcessEnv;
delete benchEnv.DATABASE_URL;
delete benchEnv.REDIS_URL;
delete benchEnv.KV_REST_API_URL;
delete benchEnv.KV_REST_API_TOKEN;

const STAFF = { email: "bench-admin@example.com", password: "bench admin passphrase" };

/** A staff session cookie, by signing in over HTTP as the sign-in page does. */
async function signIn(): Promise<string> {
  const session = await signInOverHttp(BASE, STAFF.email, STAFF.password);
  if (!session) throw new Error("bench: signing in failed");
  return session;
}

/** A scenario's figures: its median round, with the ratio to the floors around it in each round. */
interface Measured extends ScenarioResult {
  ratio: number;
  ratios: number[];
}

interface BackendReport {
  backend: string;
  floor: number[];
  results: Measured[];
  db: {
    p50: number;
    p95: number;
    max: number;
    n: number;
    history: { p50: number; p95: number; max: number; n: number };
  };
  dedupe?: { submissions: number; statuses: Record<number, number>; leads: number };
  sizes?: { loader: number; formPage: number; formPageScripts: number };
}

/** Bytes on the wire, gzipped: the embed loader, and the form page whole (its CSS and JS are inline). */
async function transferSizes(): Promise<BackendReport["sizes"]> {
  const loader = await (await fetch(`${BASE}/embed.js`)).text();
  const page = await (await fetch(`${BASE}/f/contact`)).text();
  return {
    loader: gzipSync(loader).length,
    formPage: gzipSync(page).length,
    formPageScripts: (page.match(/<script[\s>]/g) ?? []).length,
  };
}

/**
 * 200 simultaneous submissions for 20 people, split across two `next start` processes sharing one
 * PostgreSQL and one Redis; returns how many leads they made (the tests show the same through the
 * route handlers, this through the built app).
 */
async function dedupeAcrossTwoServers(env: NodeJS.ProcessEnv, key: string): Promise<BackendReport["dedupe"]> {
  const second = await startServer(env, PORT + 1);
  try {
    const runId = `dedupe${Date.now().toString(36)}`;
    const bases = [BASE, `http://127.0.0.1:${PORT + 1}`];
    const headers = { "x-api-key": key, "content-type": "application/json" };
    const bodies = submissions(20, 10, runId);
    const statuses: Record<number, number> = {};
    await Promise.all(
      bodies.map(async (body, i) => {
        const response = await fetch(`${bases[i % 2]}/open-api/leads`, {
          method: "POST",
          headers,
          body: JSON.stringify(body),
        });
        await response.arrayBuffer();
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      }),
    );
    const list = await fetch(`${BASE}/open-api/leads?search=${runId}&limit=1000`, { headers });
    const { pagination } = (await list.json()) as { pagination: { total: number } };
    return { submissions: bodies.length, statuses, leads: pagination.total };
  } finally {
    await stop(second);
  }
}

async function benchBackend(backend: "pglite" | "postgres"): Promise<BackendReport | null> {
  const env: NodeJS.ProcessEnv = { ...benchEnv };
  let dataDir: string | undefined;
  if (backend === "pglite") {
    dataDir = mkdtempSync(path.join(tmpdir(), "lead-portal-bench-"));
    env.DATA_DIR = dataDir;
  } else {
    if (!(await resetPostgres(pgUrl))) {
      console.log(`PostgreSQL at ${new URL(pgUrl).host} is not reachable: skipping that run.`);
      return null;
    }
    env.DATABASE_URL = pgUrl;
    env.REDIS_URL = redisUrl;
    tsx(["scripts/db-migrate.ts"], env);
  }
  try {
    console.log(`\n[${backend}] seeding ${LEADS.toLocaleString("en-US")} leads...`);
    const key = tsx(["tests/bench/db.ts", "seed", String(LEADS)], env)
      .split("\n")
      .pop()!;
    tsx(
      [
        "scripts/user.ts",
        "create",
        "--email",
        STAFF.email,
        "--password",
        STAFF.password,
        "--role",
        "admin",
        "--company",
        "bench",
      ],
      env,
    );
    const server = await startServer(env, PORT);
    const results: Measured[] = [];
    const floor: number[] = [];
    let dedupe: BackendReport["dedupe"];
    let sizes: BackendReport["sizes"];
    try {
      const headers = { "x-api-key": key, "content-type": "application/json" };
      type Spec = Omit<ScenarioSpec, "url" | "headers" | "duration"> & { headers?: Record<string, string> };
      const measure = (name: string, spec: Spec) =>
        runScenario(name, {
          ...spec,
          url: BASE,
          headers: spec.headers ?? headers,
          duration,
          serverPid: server.pid,
        });
      const staff = { cookie: await signIn() };

      let created = 0;
      let updated = 0;
      let submitted = 0;
      const stages = ["new", "contacted", "quoted", "won", "lost"];
      const terms = [...new Set(searchQueries(4000).map((q) => q.search!))];
      let next = 0;
      let adminNext = 0;
      const scenarios: { name: string; spec: Spec; once?: boolean }[] = [
        {
          name: "(b) POST /open-api/leads, creating",
          spec: {
            method: "POST",
            path: () => "/open-api/leads",
            body: () => {
              created++;
              return JSON.stringify({
                name: `Bench Create ${created}`,
                phone: `+1651${2000000 + created}`,
                email: `create${created}@bench.example`,
                tags: ["bench"],
              });
            },
          },
        },
        {
          name: "(c) POST /open-api/leads, updating",
          spec: {
            method: "POST",
            path: () => "/open-api/leads",
            body: () => {
              updated++;
              return JSON.stringify({
                phone: `+1612${2000000 + 1 + (updated % 1000)}`,
                tags: [`u${updated % 7}`],
              });
            },
          },
        },
        {
          // Every request a query not asked before: the term cycles fastest, then the page size, then the page.
          name: "(d) GET /open-api/leads?search=, uncached",
          once: true,
          spec: {
            path: () => {
              const n = next++;
              const search = encodeURIComponent(terms[n % terms.length]!);
              const limit = 10 + (Math.floor(n / terms.length) % 90);
              const page = 1 + (Math.floor(n / (terms.length * 90)) % 3);
              return `/open-api/leads?search=${search}&page=${page}&limit=${limit}`;
            },
          },
        },
        {
          name: "(d) GET /open-api/leads?search=, cached",
          spec: { path: () => "/open-api/leads?search=smith&page=2" },
        },
        {
          name: "(e) POST /api/intake/contact, JSON",
          spec: {
            method: "POST",
            path: () => "/api/intake/contact",
            body: () => {
              submitted++;
              return JSON.stringify({ name: `Visitor ${submitted}`, phone: `+1952${2000000 + submitted}` });
            },
          },
        },
        {
          // The admin's list, as its page asks for it: a signed-in session, search, stage and paging.
          // Every request a query not asked before: searches on even requests, and on odd ones a
          // stage filter whose page cycles fastest, then the stage, then the page size.
          name: "(f) GET /api/admin/leads, uncached",
          once: true,
          spec: {
            headers: staff,
            path: () => {
              const n = adminNext++;
              const half = Math.floor(n / 2);
              if (n % 2 === 0) {
                const search = encodeURIComponent(terms[half % terms.length]!);
                return `/api/admin/leads?search=${search}&limit=${25 + (Math.floor(half / terms.length) % 75)}`;
              }
              const page = 1 + (half % 40);
              const stage = stages[Math.floor(half / 40) % stages.length];
              const limit = 25 + (Math.floor(half / 200) % 75);
              return `/api/admin/leads?stage=${stage}&page=${page}&limit=${limit}`;
            },
          },
        },
        {
          name: "(f) GET /api/admin/leads, cached",
          spec: { headers: staff, path: () => "/api/admin/leads?stage=won&page=2" },
        },
      ];
      const floorSpec: Spec = { path: () => "/open-api/auth/test" };

      // Warm-up of every route, not reported: a fresh server loads each route and compiles hot code
      // during its first seconds.
      const warm = (spec: Spec) =>
        runScenario("warm-up", { ...spec, url: BASE, headers: spec.headers ?? headers, duration: 3 });
      await warm(floorSpec);
      await warm({
        method: "POST",
        path: () => "/open-api/leads",
        body: () => JSON.stringify({ phone: "+16122000001" }),
      });
      await warm({ path: () => "/open-api/leads?search=warm" });
      await warm({ path: () => "/api/admin/leads?search=warm", headers: staff });
      await warm({
        method: "POST",
        path: () => "/api/intake/contact",
        body: () => JSON.stringify({ name: "Warm", phone: "+19522999999" }),
      });
      await warm(floorSpec);

      // The scenarios without a goal run once, first; the others in rounds, each round after the
      // floor, and the floor once more after the last round.
      const byName = new Map<string, ScenarioResult[]>();
      for (const scenario of scenarios.filter((s) => s.once)) {
        const result = await measure(scenario.name, scenario.spec);
        byName.set(scenario.name, [result]);
        console.log(`  ${scenario.name}: ${result.rps.toFixed(0)} req/s`);
      }
      const floorRuns: ScenarioResult[] = [];
      for (let round = 0; round <= rounds; round++) {
        const base = await measure("(a) GET /open-api/auth/test (floor)", floorSpec);
        floorRuns.push(base);
        console.log(`  round ${round + 1}: (a) floor ${base.rps.toFixed(0)} req/s`);
        if (round === rounds) break;
        for (const scenario of scenarios.filter((s) => !s.once)) {
          const result = await measure(scenario.name, scenario.spec);
          byName.set(scenario.name, [...(byName.get(scenario.name) ?? []), result]);
          console.log(`  round ${round + 1}: ${scenario.name} ${result.rps.toFixed(0)} req/s`);
        }
      }
      floor.push(...floorRuns.map((f) => f.rps));
      const floorMedian = median(floor);
      results.push(summarise(floorRuns, () => floorMedian));
      for (const scenario of scenarios) {
        const runs = byName.get(scenario.name)!;
        // A round's scenario between the floor that opened its round and the one that opened the next.
        results.push(summarise(runs, (i) => (scenario.once ? floorMedian : (floor[i]! + floor[i + 1]!) / 2)));
      }
      if (backend === "pglite") sizes = await transferSizes();
      if (backend === "postgres") dedupe = await dedupeAcrossTwoServers(env, key);
    } finally {
      await stop(server);
    }
    const db = JSON.parse(tsx(["tests/bench/db.ts", "time"], env)) as BackendReport["db"];
    return { backend, floor, results, db, dedupe, sizes };
  } finally {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A scenario's runs as one line: the run with the median ratio, and every round's ratio. */
function summarise(runs: ScenarioResult[], floorFor: (i: number) => number): Measured {
  const ratios = runs.map((run, i) => run.rps / floorFor(i));
  const order = ratios.map((ratio, i) => ({ ratio, i })).sort((a, b) => a.ratio - b.ratio);
  const middle = order[Math.floor((order.length - 1) / 2)]!;
  return { ...runs[middle.i]!, ratio: middle.ratio, ratios };
}

function report(r: BackendReport) {
  console.log(
    `\n## ${r.backend === "pglite" ? "PGlite + memory KV (embedded default)" : "PostgreSQL + Redis"}`,
  );
  console.log(
    `Floor (a) at the start of each round and after the last: ${r.floor.map((f) => f.toFixed(0)).join(", ")} req/s (median ${median(r.floor).toFixed(0)})`,
  );
  console.log(
    "Each row is the scenario's median round; its ratio is to the floors just before and after it (the uncached rows ran once, against the median floor).",
  );
  console.log("| scenario | req/s | p50 ms | p99 ms | ratio to (a) | every round | non-2xx | cache hits |");
  console.log("| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |");
  for (const s of r.results) {
    console.log(
      `| ${s.name} | ${s.rps.toFixed(0)} | ${s.p50} | ${s.p99} | ${s.ratio.toFixed(2)} | ${s.ratios.map((x) => x.toFixed(2)).join(" ")} | ${s.non2xx} | ${s.cacheHits ?? "-"} |`,
    );
  }
  reportCpu(r);
  console.log(
    `Uncached list query with search in the database (count + page, ${r.db.n} searches): p50 ${r.db.p50.toFixed(2)} ms, p95 ${r.db.p95.toFixed(2)} ms, max ${r.db.max.toFixed(2)} ms`,
  );
  const h = r.db.history;
  console.log(
    `The lead page's history of a lead with 1,000 entries in the database (first page + open proposed changes, ${h.n} reads): p50 ${h.p50.toFixed(2)} ms, p95 ${h.p95.toFixed(2)} ms, max ${h.max.toFixed(2)} ms (goal: p95 under 50 ms): ${h.p95 < 50 ? "met" : "NOT met"}`,
  );
  if (r.sizes) {
    console.log(
      `Transfer, gzip: embed loader ${r.sizes.loader} bytes; form page ${r.sizes.formPage} bytes in all (HTML with inline CSS and ${r.sizes.formPageScripts} inline script, optional: the form submits without it)`,
    );
  }
  if (r.dedupe) {
    console.log(
      `Dedupe across two next start processes: ${r.dedupe.submissions} simultaneous submissions for 20 people made ${r.dedupe.leads} leads (statuses ${JSON.stringify(r.dedupe.statuses)})`,
    );
  }
}

/**
 * Where each median round's time went (Linux only): why a ratio is what it is. The server's CPU per
 * request against the floor's is the route's own cost; the main thread's share of the run on a core,
 * and waiting for one, show how much the machine's other work (PostgreSQL, Redis, the load
 * generator, the server's own GC threads, all on the same cores) held it back.
 */
function reportCpu(r: BackendReport) {
  const floorUs = r.results[0]?.cpu?.serverUs;
  if (floorUs === undefined) return;
  const pct = (share: number) => `${(share * 100).toFixed(0)}%`;
  console.log(
    "Where the time went in those rounds: the server's CPU per request (all its threads) and the floor's against it, its main thread's share of the run on a core and waiting for one" +
      (r.backend === "postgres" ? ", and PostgreSQL's CPU per request." : "."),
  );
  console.log(
    `| scenario | server CPU µs/req | floor's CPU / this | main thread on a core | waiting for a core |${r.backend === "postgres" ? " PostgreSQL CPU µs/req |" : ""}`,
  );
  console.log(`| --- | ---: | ---: | ---: | ---: |${r.backend === "postgres" ? " ---: |" : ""}`);
  for (const s of r.results) {
    if (!s.cpu) continue;
    console.log(
      `| ${s.name} | ${s.cpu.serverUs.toFixed(0)} | ${(floorUs / s.cpu.serverUs).toFixed(2)} | ${pct(s.cpu.mainOnCore)} | ${pct(s.cpu.mainWaiting)} |${r.backend === "postgres" ? ` ${s.cpu.postgresUs.toFixed(0)} |` : ""}`,
    );
  }
}

async function main() {
  if (!opts["no-build"]) {
    console.log("Building (next build)...");
    execFileSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
      env: benchEnv,
      stdio: "inherit",
    });
  }
  const backends = (["pglite", "postgres"] as const).filter((b) => !opts.only || opts.only === b);
  const reports: BackendReport[] = [];
  for (const backend of backends) {
    const r = await benchBackend(backend);
    if (r) reports.push(r);
  }
  console.log(
    `\n# Benchmark: ${LEADS.toLocaleString("en-US")} leads, 50 connections, ${duration} s a run, ${rounds} rounds`,
  );
  reports.forEach(report);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
