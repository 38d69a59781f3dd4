import { createHash } from "node:crypto";
import { createClient } from "redis";
import type { CountAndValues, Kv } from "./types";

/** Connection attempts before the first successful connect gives up and fails the waiting calls. */
const INITIAL_CONNECT_ATTEMPTS = 3;

/**
 * Commands waiting for an answer, at most. Calls never wait for Redis longer than lib/kv/resilient.ts
 * allows (1 s), so node-redis's own per-command timer (an AbortSignal per command, a measurable share
 * of each request) is off. If Redis hangs with its connection open, what was sent waits for it, up
 * to this many commands; past that each call fails at once (and the resilient wrapper falls back)
 * until Redis answers again, or the connection drops and the client reconnects.
 */
const MAX_WAITING_COMMANDS = 10_000;

/**
 * Adds one to KEYS[1] and, when it has no expiry yet, sets one (NX keeps the first window's expiry on
 * later increments); then reads any further keys. One command instead of MULTI, INCR, EXPIRE, (MGET,)
 * EXEC. The reply is the count followed by the values read.
 */
const COUNT_AND_READ = `local n = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[1], 'NX')
if #KEYS == 1 then return {n} end
local out = redis.call('MGET', unpack(KEYS, 2))
table.insert(out, 1, n)
return out`;
const COUNT_AND_READ_SHA = createHash("sha1").update(COUNT_AND_READ).digest("hex");

/** Exponential backoff capped at 2 s, with jitter so that many instances do not reconnect in lockstep. */
function backoffMs(retries: number): number {
  return Math.min(2 ** retries * 50, 2_000) + Math.floor(Math.random() * 200);
}

/** A Redis-backed KV that connects on first use. */
export function createRedisKv(url: string): Kv {
  let everReady = false;
  const client = createClient({
    url,
    // During an outage calls fail at once instead of piling up in memory until Redis returns.
    disableOfflineQueue: true,
    commandsQueueMaxLength: MAX_WAITING_COMMANDS,
    commandOptions: { timeout: 0 },
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

  async function countAndRead(key: string, ttlSeconds: number, keys: string[]): Promise<CountAndValues> {
    const redis = await ready();
    const call = { keys: [key, ...keys], arguments: [String(ttlSeconds)] };
    // The script is cached by Redis after its first run; after a restart of Redis it is sent again.
    const reply = await redis.evalSha(COUNT_AND_READ_SHA, call).catch((error: unknown) => {
      if (error instanceof Error && error.message.startsWith("NOSCRIPT"))
        return redis.eval(COUNT_AND_READ, call);
      throw error;
    });
    if (!Array.isArray(reply) || typeof reply[0] !== "number" || reply.length !== keys.length + 1) {
      throw new Error("kv: unexpected reply from redis to a count");
    }
    const [count, ...values] = reply as [number, ...(string | null)[]];
    return { count, values };
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
      if (ttlSeconds === undefined) return (await ready()).incr(key);
      return (await countAndRead(key, ttlSeconds, [])).count;
    },

    incrAndMget: countAndRead,

    async close() {
      if (closed) return;
      closed = true;
      if (client.isOpen) await client.close();
      else client.destroy();
    },
  };
}
