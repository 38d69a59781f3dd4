import type { Kv } from "./types";

/** Past this many keys the oldest are evicted, so a busy process cannot grow without bound. */
const MAX_KEYS = 50_000;

interface Entry {
  value: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/**
 * An in-process store for development and single-instance deployments. Expired entries are dropped when
 * read, and the oldest entries are evicted once there are more than 50,000 keys.
 */
export function createMemoryKv(): Kv {
  // Keys without an expiry (counters such as family versions) are kept apart and evicted only after every
  // expiring key is gone: losing a version key would send its family back to 0 and revive stale entries.
  // Both maps are ordered by last write, because every write re-inserts its key.
  const expiring = new Map<string, Entry>();
  const persistent = new Map<string, string>();
  let closed = false;

  function checkOpen(): void {
    if (closed) throw new Error("kv: the memory store is closed");
  }

  function read(key: string): { value: string; expiresAt?: number } | undefined {
    const entry = expiring.get(key);
    if (entry) {
      if (entry.expiresAt > Date.now()) return entry;
      expiring.delete(key);
      return undefined;
    }
    const value = persistent.get(key);
    return value === undefined ? undefined : { value };
  }

  function write(key: string, value: string, expiresAt: number | undefined): void {
    expiring.delete(key);
    persistent.delete(key);
    if (expiresAt === undefined) persistent.set(key, value);
    else expiring.set(key, { value, expiresAt });
    while (expiring.size + persistent.size > MAX_KEYS) {
      const victims = expiring.size > 0 ? expiring : persistent;
      const oldest = victims.keys().next();
      if (oldest.done) break;
      victims.delete(oldest.value);
    }
  }

  return {
    async get(key) {
      checkOpen();
      return read(key)?.value ?? null;
    },

    async set(key, value, ttlSeconds) {
      checkOpen();
      write(key, value, Date.now() + ttlSeconds * 1000);
    },

    async incr(key, ttlSeconds) {
      checkOpen();
      const current = read(key);
      if (current !== undefined && !/^-?\d+$/.test(current.value)) {
        throw new Error("kv: value is not an integer");
      }
      const count = current === undefined ? 1 : Number(current.value) + 1;
      // Like Redis EXPIRE NX: an existing expiry is kept, so later increments never extend a window.
      const expiresAt =
        current?.expiresAt ?? (ttlSeconds === undefined ? undefined : Date.now() + ttlSeconds * 1000);
      write(key, String(count), expiresAt);
      return count;
    },

    async close() {
      closed = true;
      expiring.clear();
      persistent.clear();
    },
  };
}
