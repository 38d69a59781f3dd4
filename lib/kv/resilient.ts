import { createMemoryKv } from "./memory";
import type { Kv } from "./types";

/** A KV call slower than this counts as KV being unreachable. */
const TIMEOUT_MS = 1_000;

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("kv: no answer in time")), ms);
    timer.unref?.();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A shared KV (Redis, Vercel KV) that cannot stop the app: when it does not answer, reads miss (lists
 * are computed, not cached), writes are dropped, and counters (daily limits, spam limits) are kept
 * in this process until it answers again. One warning when it goes, one when it comes back; each
 * call tries it again, so nothing needs a restart.
 */
export function resilientKv(shared: Kv): Kv {
  const local = createMemoryKv();
  let down = false;

  async function attempt<T>(call: () => Promise<T>, otherwise: () => T | Promise<T>): Promise<T> {
    try {
      const result = await within(call(), TIMEOUT_MS);
      if (down) {
        down = false;
        console.warn("[kv] reachable again: caching and shared counting resume");
      }
      return result;
    } catch {
      if (!down) {
        down = true;
        console.warn(
          "[kv] unreachable: lists are not cached and limits are counted in this process until it answers",
        );
      }
      return otherwise();
    }
  }

  return {
    get: (key) =>
      attempt(
        () => shared.get(key),
        () => null,
      ),
    mget: (keys) =>
      attempt(
        () => shared.mget(keys),
        () => keys.map(() => null),
      ),
    set: (key, value, ttl) =>
      attempt(
        () => shared.set(key, value, ttl),
        () => undefined,
      ),
    incr: (key, ttl) =>
      attempt(
        () => shared.incr(key, ttl),
        () => local.incr(key, ttl),
      ),
    incrAndMget: (key, ttl, keys) =>
      attempt(
        () => shared.incrAndMget(key, ttl, keys),
        async () => ({ count: await local.incr(key, ttl), values: keys.map(() => null) }),
      ),
    close: async () => {
      await Promise.all([shared.close(), local.close()]);
    },
  };
}
