import { createHash } from "node:crypto";
import { createRespClient, RedisReplyError, type Reply } from "./resp";
import type { CountAndValues, Kv } from "./types";

/**
 * Commands waiting for an answer, at most. Calls never wait for Redis longer than lib/kv/resilient.ts
 * allows (1 s), so commands carry no timer of their own. If Redis hangs with its connection open,
 * what was sent waits for it, up to this many commands; past that each call fails at once (and the
 * resilient wrapper falls back) until Redis answers again, or the connection drops and is opened again.
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

function text(reply: Reply): string | null {
  if (reply === null || typeof reply === "string") return reply;
  throw new Error("kv: unexpected reply from redis to a read");
}

function integer(reply: Reply): number {
  if (typeof reply === "number") return reply;
  throw new Error("kv: unexpected reply from redis to a count");
}

/** A Redis-backed KV that connects on first use. */
export function createRedisKv(url: string): Kv {
  const redis = createRespClient(url, {
    connectTimeoutMs: 5_000,
    maxWaiting: MAX_WAITING_COMMANDS,
    onConnectionError: (message) => console.error(message),
  });

  async function countAndRead(key: string, ttlSeconds: number, keys: string[]): Promise<CountAndValues> {
    const args = [String(keys.length + 1), key, ...keys, String(ttlSeconds)];
    // The script is cached by Redis after its first run; after a restart of Redis it is sent again.
    const reply = await redis.command(["EVALSHA", COUNT_AND_READ_SHA, ...args]).catch((error: unknown) => {
      if (error instanceof RedisReplyError && error.message.startsWith("NOSCRIPT")) {
        return redis.command(["EVAL", COUNT_AND_READ, ...args]);
      }
      throw error;
    });
    if (!Array.isArray(reply) || reply.length !== keys.length + 1) {
      throw new Error("kv: unexpected reply from redis to a count");
    }
    const [count, ...values] = reply;
    return { count: integer(count!), values: values.map(text) };
  }

  return {
    async get(key) {
      return text(await redis.command(["GET", key]));
    },

    async mget(keys) {
      const reply = await redis.command(["MGET", ...keys]);
      if (!Array.isArray(reply)) throw new Error("kv: unexpected reply from redis to a read");
      return reply.map(text);
    },

    async set(key, value, ttlSeconds) {
      await redis.command(["SET", key, value, "EX", String(ttlSeconds)]);
    },

    async incr(key, ttlSeconds) {
      if (ttlSeconds === undefined) return integer(await redis.command(["INCR", key]));
      return (await countAndRead(key, ttlSeconds, [])).count;
    },

    incrAndMget: countAndRead,

    close: () => redis.close(),
  };
}
