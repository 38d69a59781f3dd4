/**
 * npm run soak: the built app under a steady mixed load against PostgreSQL and Redis, for memory
 * leaks and errors. 50 connections for 5 minutes (after a 30 s warm-up), each request in turn an
 * intake submission, an API write, an API list and an admin list (new and repeated queries). It
 * samples the server's resident memory every 5 s and fails when any request errs or answers 5xx, or
 * when resident memory grew by 10% or more from the end of the warm-up to the end.
 * The server runs with a heap limit, as in a container or a function (--heap MiB, default 512):
 * without one, V8 on a large machine lets its heap grow towards a quarter of the memory before it
 * collects hard, which is growth without a leak and would hide a real one behind it.
 * Options: --no-build, --minutes N (default 5), --heap MiB. Settings: SOAK_DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/lead_portal_soak, emptied each run), SOAK_REDIS_URL.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { signInOverHttp } from "../support/sign-in-http";
import { resetPostgres, startServer, stop, tsx } from "./server";

const { values: opts } = parseArgs({
  options: {
    "no-build": { type: "boolean", default: false },
    minutes: { type: "string", default: "5" },
    heap: { type: "string", default: "512" },
  },
});
const PORT = 3117;
const BASE = `http://127.0.0.1:${PORT}`;
const STAFF = { email: "soak-admin@example.com", password: "soak admin passphrase" };
const env: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: "production",
  NEXT_TELEMETRY_DISABLED: "1",
  DATABASE_URL: process.env.SOAK_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/lead_portal_soak",
  REDIS_URL: process.env.SOAK_REDIS_URL ?? "redis://127.0.0.1:6379",
  // One loopback address sends everything: the intake's hourly limits would call it spam.
  INTAKE_PER_IP_PER_HOUR: "1000000000",
  INTAKE_PER_FORM_PER_HOUR: "1000000000",
  NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --max-old-space-size=${Number(opts.heap)}`.trim(),
};
delete env.KV_REST_API_URL;
delete env.KV_REST_API_TOKEN;

/** Resident memory of a process, in MiB. */
function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith("VmRSS:"));
  return Number(line?.match(/\d+/)?.[0] ?? 0) / 1024;
}

/** Resident memory of the server and its children (next start runs the app in a child process). */
function treeRssMiB(pid: number): number {
  let total = rssMiB(pid);
  try {
    for (const child of readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/)) {
      if (child) total += treeRssMiB(Number(child));
    }
  } catch {
    // no children listed
  }
  return total;
}

async function load(seconds: number, key: string, cookie: string) {
  let n = 0;
  const kinds: Record<string, number> = {};
  const result = await autocannon({
    url: BASE,
    connections: 50,
    duration: seconds,
    requests: [
      {
        setupRequest: (request) => {
          const i = n++;
          const person = `+1651${String(2_000_000 + (i % 50_000))}`;
          const kind = ["intake", "api-write", "api-list", "admin-list"][i % 4]!;
          kinds[kind] = (kinds[kind] ?? 0) + 1;
          const json = { "content-type": "application/json" };
          switch (kind) {
            case "intake":
              return {
                ...request,
                method: "POST",
                path: "/api/intake/contact",
                headers: json,
                body: JSON.stringify({ name: `Soak Visitor ${i % 50_000}`, phone: person }),
              };
            case "api-write":
              return {
                ...request,
                method: "POST",
                path: "/open-api/leads",
                headers: { ...json, "x-api-key": key },
                body: JSON.stringify({ phone: person, tags: [`soak${i % 13}`] }),
              };
            case "api-list":
              return {
                ...request,
                method: "GET",
                path: `/open-api/leads?search=${["soak", "visitor", "651", "2000"][i % 4]}&page=${1 + (i % 5)}`,
                headers: { "x-api-key": key },
              };
            default:
              return {
                ...request,
                method: "GET",
                path: `/api/admin/leads?page=${1 + (i % 10)}&limit=25`,
                headers: { cookie },
              };
          }
        },
      },
    ],
  });
  return { result, kinds };
}

async function main() {
  if (!opts["no-build"]) {
    // The build, unlike the server, gets the memory it wants.
    execFileSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
      env: { ...env, NODE_OPTIONS: process.env.NODE_OPTIONS ?? "" },
      stdio: "inherit",
    });
  }
  if (!(await resetPostgres(env.DATABASE_URL!))) throw new Error("soak: PostgreSQL is not reachable");
  tsx(["scripts/db-migrate.ts"], env);
  const key = tsx(
    [
      "scripts/apikey.ts",
      "create",
      "--name",
      "soak",
      "--scopes",
      "leads:read,leads:write",
      "--daily-limit",
      "2000000000",
    ],
    env,
  )
    .split("\n")
    .pop()!;
  tsx(
    ["scripts/user.ts", "create", "--email", STAFF.email, "--password", STAFF.password, "--role", "admin"],
    env,
  );
  const server = await startServer(env, PORT);
  const samples: { at: number; rss: number }[] = [];
  try {
    const cookie = await signInOverHttp(BASE, STAFF.email, STAFF.password);
    if (!cookie) throw new Error("soak: signing in failed");
    console.log("Warm-up, 30 s...");
    await load(30, key, cookie);
    const started = Date.now();
    const sampler = setInterval(
      () => samples.push({ at: (Date.now() - started) / 1000, rss: treeRssMiB(server.pid!) }),
      5_000,
    );
    samples.push({ at: 0, rss: treeRssMiB(server.pid!) });
    const minutes = Number(opts.minutes);
    console.log(`Soak, ${minutes} min at 50 connections...`);
    const { result, kinds } = await load(minutes * 60, key, cookie);
    clearInterval(sampler);
    samples.push({ at: (Date.now() - started) / 1000, rss: treeRssMiB(server.pid!) });
    const first = samples[0]!.rss;
    const last = samples.at(-1)!.rss;
    const peak = Math.max(...samples.map((s) => s.rss));
    const growth = (last - first) / first;
    console.log(
      `\n# Soak: ${minutes} min, 50 connections, PostgreSQL + Redis, server heap limit ${opts.heap} MiB`,
    );
    console.log(
      `requests ${result.requests.total} (${Object.entries(kinds)
        .map(([k, v]) => `${k} ${v}`)
        .join(
          ", ",
        )}), ${result.requests.average.toFixed(0)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`,
    );
    console.log(
      `errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx} (5xx ${result["5xx"]})`,
    );
    console.log(
      `resident memory after warm-up ${first.toFixed(0)} MiB, at the end ${last.toFixed(0)} MiB (peak ${peak.toFixed(0)} MiB): growth ${(growth * 100).toFixed(1)}%`,
    );
    console.log(
      `samples (s: MiB): ${samples.map((s) => `${s.at.toFixed(0)}: ${s.rss.toFixed(0)}`).join(", ")}`,
    );
    const failed = result.errors > 0 || result.timeouts > 0 || result.non2xx > 0 || growth >= 0.1;
    console.log(failed ? "FAILED" : "PASSED: zero errors, memory flat");
    if (failed) process.exitCode = 1;
  } finally {
    await stop(server);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
