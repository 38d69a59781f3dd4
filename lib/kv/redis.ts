import { createClient, MultiErrorReply } from "redis";
import type { Kv } from "./types";

/** Connection attempts before the first successful connect gives up and fails the waiting calls. */
const INITIAL_CONNECT_ATTEMPTS = 3;

/** Exponential backoff capped at 2 s, with jitter so that many instances do not reconnect in lockstep. */
function backoffMs(retries: number): number {
  return Math.min(2 ** retries * 50, 2_000) + Math.floor(Math.random() * 200);
}

/** A Redis-backed store that connects on first use. */
export function createRedisKv(url: string): Kv {
  let everReady = false;
  const client = createClient({
    url,
    // During an outage calls fail at once instead of piling up in memory until Redis returns.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 5_000,
      // Before the first connect, giving up lets callers see an error instead of waiting for ever; once
      // connected, the client keeps retrying in the background with the same capped backoff.
      reconnectStrategy: (retries, cause) =>
        !everReady && retries >= INITIAL_CONNECT_ATTEMPTS - 1 ? cause : backoffMs(retries),
    },
  });
  let reported = false;
  client.on("ready", () => {
    everReady = true;
    reported = false;
  });
  // Without a listener an "error" event would crash the process. The message comes from the socket, so it
  // carries no keys or values; while reconnecting, it is said once, not at every attempt.
  client.on("error", (error: unknown) => {
    if (reported) return;
    reported = true;
    console.error(`kv: redis connection error: ${error instanceof Error ? error.message : String(error)}`);
  });

  let connecting: Promise<void> | undefined;
  let closed = false;

  /** Every caller shares one connect attempt; after a failed one the next call starts afresh. */
  async function ready(): Promise<typeof client> {
    if (closed) throw new Error("kv: the redis store is closed");
    connecting ??= client.connect().then(
      () => undefined,
      (error: unknown) => {
        connecting = undefined;
        throw error;
      },
    );
    await connecting;
    return client;
  }

  return {
    async get(key) {
      return (await ready()).get(key);
    },

    async mget(keys) {
      return (await ready()).mGet(keys);
    },

    async set(key, value, ttlSeconds) {
      await (await ready()).set(key, value, { expiration: { type: "EX", value: ttlSeconds } });
    },

    async incr(key, ttlSeconds) {
      const redis = await ready();
      if (ttlSeconds === undefined) return redis.incr(key);
      // NX sets the expiry only when the key has none, so later increments keep the first window.
      const [count] = await redis
        .multi()
        .incr(key)
        .expire(key, ttlSeconds, "NX")
        .exec()
        .catch((error: unknown) => {
          // The transaction's own error only says how many commands failed; the first failure says why.
          throw error instanceof MultiErrorReply ? (error.errors().next().value ?? error) : error;
        });
      if (typeof count !== "number") throw new Error("kv: unexpected INCR reply from redis");
      return count;
    },

    async close() {
      if (closed) return;
      closed = true;
      if (client.isOpen) await client.close();
      else client.destroy();
    },
  };
}
