import type { z } from "zod";
import { now } from "@/lib/clock";
import {
  type ApiLead,
  leadResponseSchema,
  leadSchema,
  listResponseSchema,
  upsertResponseSchema,
} from "@/lib/leads/schema";
import {
  API_VERSION,
  isRotorErrorBody,
  type RotorErrorBody,
  RotorRejectedError,
  RotorUnavailableError,
} from "./contract";

export interface RotorClientOptions {
  /** The API's base, such as https://api.getrotor.com/open-api. */
  baseUrl: string;
  apiKey: string;
  /** Per attempt. */
  timeoutMs?: number;
  /** Further attempts after a network error, a timeout, a 5xx or a short 429. */
  retries?: number;
  /** First backoff; each retry waits up to twice as long as the one before, with full jitter. */
  backoffMs?: number;
  /** A 429 asking to wait longer than this fails at once (Rotor's daily quota resets at midnight). */
  maxRetryAfterMs?: number;
  /** Called once per HTTP request sent, to count the day's quota. */
  onRequest?: () => void;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export type RotorListQuery = Partial<
  Record<"search" | "stage" | "tags" | "archived" | "limit" | "page", string | number | boolean>
>;

type AttemptOutcome =
  { retry: true; waitMs: number | null; reason: string; status: number | null } | { retry: false };

/** Seconds (or an HTTP date) of a Retry-After header, in milliseconds; null when absent or unreadable. */
function retryAfterMs(header: string | null, now: number): number | null {
  if (header === null) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * A typed client of Rotor's Open API 1.1.0 (and of this portal's own /open-api, which follows the
 * same contract). Every call sends x-api-key and rotor-api-version. Network errors, timeouts and
 * 5xx answers are retried with jittered exponential backoff; 4xx answers never are, but a 429 with
 * a short Retry-After is waited out. Rotor's error bodies become RotorRejectedErrors with the same status and
 * body, so field messages reach the caller intact. Answers are validated against the contract's
 * schemas. Retrying a POST is safe: the upsert matches the same person again and merges tags.
 */
export function createRotorClient(options: RotorClientOptions) {
  const base = options.baseUrl.replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? 10_000;
  const retries = options.retries ?? 3;
  const backoffMs = options.backoffMs ?? 250;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;

  async function attempt(
    method: "GET" | "POST",
    path: string,
    body: unknown,
  ): Promise<{ outcome: AttemptOutcome; status?: number; json?: unknown; retryAfter?: string | null }> {
    let response: Response;
    let text: string;
    try {
      options.onRequest?.();
      response = await doFetch(base + path, {
        method,
        headers: {
          "x-api-key": options.apiKey,
          "rotor-api-version": API_VERSION,
          accept: "application/json",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      const reason =
        error instanceof Error && error.name === "TimeoutError" ? "timed out" : "could not be reached";
      return { outcome: { retry: true, waitMs: null, reason, status: null } };
    }
    let json: unknown = null;
    try {
      json = text === "" ? null : JSON.parse(text);
    } catch {
      json = null;
    }
    if (response.status >= 500) {
      return {
        outcome: {
          retry: true,
          waitMs: null,
          reason: `answered ${response.status}`,
          status: response.status,
        },
      };
    }
    if (response.status === 429) {
      const wait = retryAfterMs(response.headers.get("retry-after"), now().getTime());
      if (wait !== null && wait <= maxRetryAfterMs) {
        return { outcome: { retry: true, waitMs: wait, reason: "answered 429", status: 429 } };
      }
    }
    return {
      outcome: { retry: false },
      status: response.status,
      json,
      retryAfter: response.headers.get("retry-after"),
    };
  }

  async function request<T extends z.ZodType>(
    method: "GET" | "POST",
    path: string,
    schema: T,
    body?: unknown,
  ): Promise<{ status: number; data: z.infer<T> }> {
    let last: Extract<AttemptOutcome, { retry: true }> | null = null;
    for (let n = 0; n <= retries; n++) {
      if (last) await sleep(last.waitMs ?? Math.floor(random() * backoffMs * 2 ** (n - 1)));
      const { outcome, status, json, retryAfter } = await attempt(method, path, body);
      if (outcome.retry) {
        last = outcome;
        continue;
      }
      if (status! >= 200 && status! < 300) {
        const parsed = schema.safeParse(json);
        if (!parsed.success)
          throw new RotorUnavailableError("Rotor's answer did not match its contract", status!);
        return { status: status!, data: parsed.data };
      }
      const fallback: RotorErrorBody = { status: "error", message: `Rotor answered ${status}` };
      throw new RotorRejectedError(
        status!,
        isRotorErrorBody(json) ? json : fallback,
        retryAfter ? { "retry-after": retryAfter } : {},
      );
    }
    throw new RotorUnavailableError(
      `Rotor ${last!.reason} after ${retries + 1} attempts`,
      last!.status,
      last!.waitMs ?? undefined,
    );
  }

  return {
    /** Creates or updates a lead (phone, then email); `created` says which. */
    async upsertLead(body: Record<string, unknown>): Promise<{ created: boolean; lead: ApiLead }> {
      const { status, data } = await request("POST", "/leads", upsertResponseSchema, body);
      // The lead alone, without the answer's message and status.
      return { created: status === 201, lead: leadSchema.parse(data) };
    },
    async listLeads(query: RotorListQuery = {}): Promise<z.infer<typeof listResponseSchema>> {
      const params = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
      const qs = params.size > 0 ? `?${params}` : "";
      return (await request("GET", `/leads${qs}`, listResponseSchema)).data;
    },
    async getLead(id: string): Promise<ApiLead> {
      return (await request("GET", `/leads/${encodeURIComponent(id)}`, leadResponseSchema)).data.data;
    },
  };
}

export type RotorClient = ReturnType<typeof createRotorClient>;
