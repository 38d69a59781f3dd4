import { nowMs } from "@/lib/clock";
import type { Kv } from "./types";

/** Past this many keys, or this many characters of keys and values, the oldest are evicted. */
const MAX_KEYS = 50_000;
const MAX_CHARS = 32 * 1024 * 1024;

interface Entry {
  value: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/**
 * An in-process KV for development and single-instance deployments. Expired entries are dropped when
 * read, and the least recently written are evicted past 50,000 keys or 32 Mi characters (a cached
 * list of 1,000 leads is near a million), so a busy process cannot grow without bound.
 */
export function createMemoryKv(): Kv {
  // Keys without an expiry (counters such as family versions) are kept apart and evicted only after every
  // expiring key is gone: losing a version key would send its family back to 0 and revive stale entries.
  // Both maps are ordered by last write, because every write re-inserts its key.
  const expiring = new Map<string, Entry>();
  const persistent = new Map<string, string>();
  let chars = 0;
  let closed = false;

  function checkOpen(): void {
    if (closed) throw new Error("kv: the memory store is closed");
  }

  function read(key: string): { value: string; expiresAt?: number } | undefined {
    const entry = expiring.get(key);
    if (entry) {
      if (entry.expiresAt > nowMs()) return entry;
      remove(key);
      return undefined;
    }
    const value = persistent.get(key);
    return value === undefined ? undefined : { value };
  }

  function remove(key: string): void {
    const value = expiring.get(key)?.value ?? persistent.get(key);
    if (value === undefined) return;
    chars -= key.length + value.length;
    expiring.delete(key);
    persistent.delete(key);
  }

  function write(key: string, value: string, expiresAt: number | undefined): void {
    remove(key);
    if (expiresAt === undefined) persistent.set(key, value);
    else expiring.set(key, { value, expiresAt });
    chars += key.length + value.length;
    while (expiring.size + persistent.size > MAX_KEYS || chars > MAX_CHARS) {
      const victims = expiring.size > 0 ? expiring : persistent;
      const oldest = victims.keys().next();
      if (oldest.done) break;
      remove(oldest.value);
    }
  }

  function incr(key: string, ttlSeconds?: number): number {
    checkOpen();
    const current = read(key);
    if (current !== undefined && !/^-?\d+$/.test(current.value)) {
      throw new Error("kv: value is not an integer");
    }
    const count = current === undefined ? 1 : Number(current.value) + 1;
    // Like Redis EXPIRE NX: an existing expiry is kept, so later increments never extend a window.
    const expiresAt =
      current?.expiresAt ?? (ttlSeconds === undefined ? undefined : nowMs() + ttlSeconds * 1000);
    write(key, String(count), expiresAt);
    return count;
  }

  return {
    async get(key) {
      checkOpen();
      return read(key)?.value ?? null;
    },

    async mget(keys) {
      checkOpen();
      return keys.map((key) => read(key)?.value ?? null);
    },

    async set(key, value, ttlSeconds) {
      checkOpen();
      write(key, value, nowMs() + ttlSeconds * 1000);
    },

    async incrAndMget(key, ttlSeconds, keys) {
      const count = incr(key, ttlSeconds);
      return { count, values: keys.map((k) => read(k)?.value ?? null) };
    },

    async incr(key, ttlSeconds) {
      return incr(key, ttlSeconds);
    },

    async close() {
      closed = true;
      expiring.clear();
      persistent.clear();
      chars = 0;
    },
  };
}
