import { env } from "@/lib/env";
import { kv } from "@/lib/kv";
import { now } from "@/lib/clock";
import { createRotorClient, type RotorClient } from "./client";

/** Upstream mode: ROTOR_API_KEY is set, and the leads live in that Rotor account. */
export function upstreamMode(): boolean {
  return Boolean(env().ROTOR_API_KEY);
}

const quotaKey = (at: Date) => `rotor:requests:${at.toISOString().slice(0, 10)}`;

/** Counts one request to Rotor on today's UTC tally, which every instance shares through KV. */
function countRequest(): void {
  // Never in the way of the request itself: a KV hiccup loses one count, not the call.
  kv()
    .incr(quotaKey(now()), 2 * 86_400)
    .catch(() => {});
}

/** How many requests this portal sent to Rotor today (UTC), against the daily quota. */
export async function rotorUsage(): Promise<{ used: number; quota: number }> {
  const stored = await kv().get(quotaKey(now()));
  return { used: stored === null ? 0 : Number(stored), quota: env().ROTOR_DAILY_QUOTA };
}

/**
 * A client of the configured Rotor account. `retries: 0` where the outbox does the retrying
 * itself (it remembers the work between attempts); the admin's reads retry a little.
 */
export function rotorClient(retries = 2): RotorClient {
  const { ROTOR_API_KEY, ROTOR_API_URL, ROTOR_TIMEOUT_MS } = env();
  if (!ROTOR_API_KEY) throw new Error("rotor: ROTOR_API_KEY is not set");
  return createRotorClient({
    baseUrl: ROTOR_API_URL,
    apiKey: ROTOR_API_KEY,
    timeoutMs: ROTOR_TIMEOUT_MS,
    retries,
    onRequest: countRequest,
  });
}
