import { kv } from "@/lib/kv";
import { now } from "@/lib/clock";
import { dailyCountKey } from "@/lib/auth/api-keys";

export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Epoch seconds of the next UTC midnight, when the count starts again. */
  reset: number;
  exceeded: boolean;
}

const DAY_SECONDS = 86_400;

/**
 * Counts one request against a key's daily limit, in UTC days. The count lives in KV, so every
 * instance of the app shares it; refused requests count too, as with Rotor. `alsoRead` are keys
 * whose values the request needs next, read in the same round trip (`values`, in their order).
 */
export async function countDailyRequest(
  keyId: string,
  limit: number,
  alsoRead: string[] = [],
): Promise<RateLimitState & { values: (string | null)[] }> {
  const at = now();
  const reset = Math.floor(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1) / 1000);
  // Kept a little past its day so a clock skew between instances cannot restart a count early.
  const { count: used, values } = await kv().incrAndMget(dailyCountKey(keyId, at), DAY_SECONDS * 2, alsoRead);
  return { limit, remaining: Math.max(0, limit - used), reset, exceeded: used > limit, values };
}

export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  return {
    "x-ratelimit-limit": String(state.limit),
    "x-ratelimit-remaining": String(state.remaining),
    "x-ratelimit-reset": String(state.reset),
  };
}

export function secondsUntil(epochSeconds: number): number {
  return Math.max(1, epochSeconds - Math.floor(now().getTime() / 1000));
}
