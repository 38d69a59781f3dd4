import autocannon from "autocannon";

export interface ScenarioSpec {
  url: string;
  headers: Record<string, string>;
  duration: number;
  method?: "GET" | "POST";
  path: () => string;
  body?: () => string;
}

export interface ScenarioResult {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  cacheHits?: string;
}

/** Runs one scenario at 50 connections against loopback, every request built fresh. */
export async function runScenario(name: string, spec: ScenarioSpec): Promise<ScenarioResult> {
  let hits = 0;
  let misses = 0;
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
  return {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    cacheHits: hits + misses > 0 ? `${hits}/${hits + misses}` : undefined,
  };
}
