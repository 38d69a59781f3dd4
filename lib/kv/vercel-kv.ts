import { createClient } from "@vercel/kv";
import type { Kv } from "./types";

/** KV on Vercel KV (Upstash Redis over HTTP). */
export function createVercelKv(url: string, token: string): Kv {
  // Values are strings that callers serialise themselves; left on, the client would JSON-parse anything
  // that looks like JSON and hand back objects or numbers instead of the stored string.
  const client = createClient({ url, token, automaticDeserialization: false });

  /**
   * One MULTI/EXEC round trip: the increment, an expiry (NX sets it only when the key has none, so
   * later increments keep the first window), and the other keys' values when any are asked for.
   */
  async function countAndRead(key: string, ttlSeconds: number, keys: string[]) {
    const transaction = client.multi().incr(key).expire(key, ttlSeconds, "NX");
    // MGET of no keys is an error in Redis.
    if (keys.length === 0) {
      const [count] = await transaction.exec();
      return { count, values: [] };
    }
    const [count, , values] = await transaction.mget<(string | null)[]>(...keys).exec();
    return { count, values };
  }

  return {
    async get(key) {
      return client.get<string>(key);
    },

    async mget(keys) {
      return client.mget<(string | null)[]>(...keys);
    },

    async set(key, value, ttlSeconds) {
      await client.set(key, value, { ex: ttlSeconds });
    },

    async incr(key, ttlSeconds) {
      if (ttlSeconds === undefined) return client.incr(key);
      return (await countAndRead(key, ttlSeconds, [])).count;
    },

    incrAndMget: countAndRead,

    // Every call is a self-contained HTTP request, so there is no connection to release.
    async close() {},
  };
}
