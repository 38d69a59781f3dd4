/**
 * The key-value port. Values are strings; callers serialise. Every adapter (memory, Redis,
 * @vercel/kv) must behave the same, which tests/integration/kv.test.ts checks against each one.
 */
export interface Kv {
  /** The stored value, or null when absent or expired. */
  get(key: string): Promise<string | null>;
  /** Several values in one round trip, in the order of the keys; null for each absent one. */
  mget(keys: string[]): Promise<(string | null)[]>;
  /** Stores a value that expires after ttlSeconds. */
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /**
   * Atomically adds one and returns the new count. When ttlSeconds is given and the key had no expiry
   * (it was just created), the key expires after ttlSeconds; later increments keep that expiry.
   */
  incr(key: string, ttlSeconds?: number): Promise<number>;
  /**
   * incr(key, ttlSeconds), and in the same round trip the values of other keys (as mget reads them):
   * a request's count and what it reads next, for the price of one call.
   */
  incrAndMget(key: string, ttlSeconds: number, keys: string[]): Promise<CountAndValues>;
  /** Releases connections; the adapter is unusable afterwards. */
  close(): Promise<void>;
}

export interface CountAndValues {
  count: number;
  values: (string | null)[];
}
