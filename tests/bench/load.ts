import { readdirSync, readFileSync } from "node:fs";
import autocannon from "autocannon";

export interface ScenarioSpec {
  url: string;
  headers: Record<string, string>;
  duration: number;
  method?: "GET" | "POST";
  path: () => string;
  body?: () => string;
  /** The server's process id: its CPU use is then measured over the run (on Linux). */
  serverPid?: number;
}

/** Where a run's time went, per request and as shares of the run's wall time. */
export interface CpuUse {
  /** CPU time of the server process, all its threads, per request. */
  serverUs: number;
  /** Share of the run the server's main thread spent on a core. */
  mainOnCore: number;
  /** Share of the run it was ready to run but waited for a core that other work held. */
  mainWaiting: number;
  /** CPU time of the machine's PostgreSQL processes per request. */
  postgresUs: number;
}

export interface ScenarioResult {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  cacheHits?: string;
  cpu?: CpuUse;
}

/** Linux's fixed unit for the CPU times in /proc/PID/stat. */
const TICK_US = 10_000;

/** User plus system CPU ticks from a /proc stat line (the fields after the parenthesised name). */
function statTicks(path: string): number {
  const line = readFileSync(path, "utf8");
  const fields = line.slice(line.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

/** The CPU time of every process named postgres, in ticks. */
function postgresTicks(): number {
  let ticks = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() === "postgres")
        ticks += statTicks(`/proc/${entry}/stat`);
    } catch {
      // The process ended meanwhile.
    }
  }
  return ticks;
}

interface CpuSample {
  at: number;
  server: number;
  onCore: number;
  waiting: number;
  postgres: number;
}

/** The server's and PostgreSQL's CPU counters now, or undefined where /proc does not have them. */
function sampleCpu(pid: number | undefined): CpuSample | undefined {
  if (pid === undefined) return undefined;
  try {
    // The main thread's time on a core and waiting for one, in nanoseconds.
    const [onCore, waiting] = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, "utf8")
      .split(" ")
      .map(Number);
    return {
      at: performance.now(),
      server: statTicks(`/proc/${pid}/stat`),
      onCore: onCore!,
      waiting: waiting!,
      postgres: postgresTicks(),
    };
  } catch {
    return undefined;
  }
}

function cpuUse(
  before: CpuSample | undefined,
  after: CpuSample | undefined,
  requests: number,
): CpuUse | undefined {
  if (!before || !after || requests === 0) return undefined;
  const wallNs = (after.at - before.at) * 1e6;
  return {
    serverUs: ((after.server - before.server) * TICK_US) / requests,
    mainOnCore: (after.onCore - before.onCore) / wallNs,
    mainWaiting: (after.waiting - before.waiting) / wallNs,
    postgresUs: ((after.postgres - before.postgres) * TICK_US) / requests,
  };
}

/** Runs one scenario at 50 connections against loopback, every request built fresh. */
export async function runScenario(name: string, spec: ScenarioSpec): Promise<ScenarioResult> {
  let hits = 0;
  let misses = 0;
  const before = sampleCpu(spec.serverPid);
  const result = await autocannon({
    url: spec.url,
    connections: 50,
    duration: spec.duration,
    headers: spec.headers,
    requests: [
      {
        method: spec.method ?? "GET",
        setupRequest: (request) => ({ ...request, path: spec.path(), body: spec.body?.() }),
        onResponse: (_status, _body, _context, headers) => {
          const cache = headers?.["x-cache"];
          if (cache === "HIT") hits++;
          else if (cache === "MISS") misses++;
        },
      },
    ],
  });
  const cpu = cpuUse(before, sampleCpu(spec.serverPid), result.requests.total);
  return {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    cacheHits: hits + misses > 0 ? `${hits}/${hits + misses}` : undefined,
    cpu,
  };
}
