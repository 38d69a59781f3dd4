import { randomUUID } from "node:crypto";
import { createClient } from "redis";
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { nowMs, setClock } from "@/lib/clock";
import { parseEnv } from "@/lib/env";
import { bumpFamily, getWithFamilyVersion, kv, kvBackend } from "@/lib/kv";
import { createMemoryKv } from "@/lib/kv/memory";
import { createRedisKv } from "@/lib/kv/redis";
import type { Kv } from "@/lib/kv/types";
import { createVercelKv } from "@/lib/kv/vercel-kv";
import { startTcpProxy } from "@/tests/support/tcp-proxy";
import { startUpstashStandin } from "@/tests/support/upstash-standin";
import { waitFor } from "@/tests/support/wait-for";

const familyVersion = async (family: string, store: Kv) =>
  (await getWithFamilyVersion(family, "unused", store)).version;

const redisUrl = process.env.REDIS_URL ?? "";

/** Every key this run writes contains the run id, so runs never collide and cleanup can find them all. */
const runId = `kvtest:${randomUUID()}`;
const uniqueKey = () => `${runId}:${randomUUID()}`;

interface Subject {
  store: Kv;
  /**
   * Lets this much time pass for the store's expiries: the memory store reads lib/clock, which
   * moves on at once; Redis keeps its own time, which only waiting moves.
   */
  elapse(ms: number): Promise<void>;
  /**
   * What the key has left, checked: Redis reports it; the memory store is asked again with its clock
   * moved on, so a test checks this last.
   */
  hasNoExpiry(key: string): Promise<boolean>;
  /** Whether the key expires after more than minMs from now and within maxMs. */
  expiresBetween(key: string, minMs: number, maxMs: number): Promise<boolean>;
}

/**
 * The behaviour every adapter must share. Against Redis the tests run concurrently because the
 * expiry checks wait; the memory store's move the one clock, so they run one after another.
 */
function kvContract(subject: () => Subject, { concurrent }: { concurrent: boolean }): void {
  (concurrent ? describe.concurrent : describe)("shared behaviour", () => {
    test("get of a missing key is null", async ({ expect }) => {
      expect(await subject().store.get(uniqueKey())).toBeNull();
    });

    test("set then get returns the exact string", async ({ expect }) => {
      const { store } = subject();
      const key = uniqueKey();
      for (const value of ["plain", "", "héllo ✓ 漢字", " padded ", "line\nbreak"]) {
        await store.set(key, value, 60);
        expect(await store.get(key)).toBe(value);
      }
    });

    test("set expires after its ttl", async ({ expect }) => {
      const { store, elapse } = subject();
      const key = uniqueKey();
      await store.set(key, "soon gone", 1);
      expect(await store.get(key)).toBe("soon gone");
      await elapse(1_300);
      expect(await store.get(key)).toBeNull();
    });

    test("incr counts 1, 2, 3", async ({ expect }) => {
      const { store } = subject();
      const key = uniqueKey();
      expect([await store.incr(key), await store.incr(key), await store.incr(key)]).toEqual([1, 2, 3]);
      expect(await store.get(key)).toBe("3");
    });

    test("incr with a ttl expires, and then starts again from 1", async ({ expect }) => {
      const { store, elapse } = subject();
      const key = uniqueKey();
      expect(await store.incr(key, 1)).toBe(1);
      await elapse(1_300);
      expect(await store.get(key)).toBeNull();
      expect(await store.incr(key, 1)).toBe(1);
    });

    test("later increments keep the first expiry instead of extending it", async ({ expect }) => {
      const { store, elapse } = subject();
      const key = uniqueKey();
      expect(await store.incr(key, 3)).toBe(1);
      await elapse(1_500);
      expect(await store.incr(key, 3)).toBe(2);
      // The first window ends at 3 s; one extended by the second increment would last until 4.5 s.
      await elapse(2_100);
      expect(await store.incr(key, 3)).toBe(1);
    });

    test("incr on a key without an expiry never adds one unasked", async ({ expect }) => {
      const { store, hasNoExpiry } = subject();
      const key = uniqueKey();
      await store.incr(key);
      await store.incr(key);
      expect(await store.get(key)).toBe("2");
      expect(await hasNoExpiry(key)).toBe(true);
    });

    test("incrAndMget counts as incr with a ttl does and reads the other keys, in order", async ({
      expect,
    }) => {
      const { store, expiresBetween } = subject();
      const [counter, present, missing, other] = [uniqueKey(), uniqueKey(), uniqueKey(), uniqueKey()];
      await store.set(present, "kept value", 60);
      await store.set(other, "", 60);
      expect(await store.incrAndMget(counter, 60, [present, missing, other])).toEqual({
        count: 1,
        values: ["kept value", null, ""],
      });
      expect(await store.incrAndMget(counter, 60, [])).toEqual({ count: 2, values: [] });
      expect(await store.incr(counter, 60)).toBe(3);
      // Its own count, read back in the same call, is the value after the increment.
      expect((await store.incrAndMget(counter, 60, [counter])).values).toEqual(["4"]);
      expect(await expiresBetween(counter, 50_000, 60_000)).toBe(true);
    });

    test("50 concurrent increments give exactly 1..50", async ({ expect }) => {
      const { store } = subject();
      const key = uniqueKey();
      const counts = await Promise.all(Array.from({ length: 50 }, () => store.incr(key, 60)));
      expect([...counts].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    });

    test("incr of a non-integer value fails and leaves the value alone", async ({ expect }) => {
      const { store } = subject();
      const key = uniqueKey();
      await store.set(key, "not a number", 60);
      await expect(store.incr(key)).rejects.toThrow(/integer/);
      await expect(store.incr(key, 60)).rejects.toThrow(/integer/);
      expect(await store.get(key)).toBe("not a number");
    });

    test("mget reads several keys at once, in order, null for the absent", async ({ expect }) => {
      const { store } = subject();
      const [a, b, missing] = [uniqueKey(), uniqueKey(), uniqueKey()];
      await store.set(a, "first", 60);
      await store.set(b, '{"looks":"like json"}', 60);
      expect(await store.mget([a, missing, b])).toEqual(["first", null, '{"looks":"like json"}']);
    });

    test("a value and its family's version come back together", async ({ expect }) => {
      const { store } = subject();
      const family = uniqueKey();
      const key = uniqueKey();
      expect(await getWithFamilyVersion(family, key, store)).toEqual({ version: 0, value: null });
      await bumpFamily(family, store);
      await store.set(key, "cached", 60);
      expect(await getWithFamilyVersion(family, key, store)).toEqual({ version: 1, value: "cached" });
    });

    test("family versions start at 0 and grow with every bump", async ({ expect }) => {
      const { store } = subject();
      const family = uniqueKey();
      expect(await familyVersion(family, store)).toBe(0);
      expect(await bumpFamily(family, store)).toBe(1);
      expect(await familyVersion(family, store)).toBe(1);
      expect(await bumpFamily(family, store)).toBe(2);
      expect(await familyVersion(family, store)).toBe(2);
    });

    test("bumping one family leaves another alone", async ({ expect }) => {
      const { store } = subject();
      const leads = uniqueKey();
      const quotes = uniqueKey();
      await bumpFamily(quotes, store);
      await bumpFamily(leads, store);
      await bumpFamily(leads, store);
      expect(await familyVersion(leads, store)).toBe(2);
      expect(await familyVersion(quotes, store)).toBe(1);
    });
  });
}

describe("memory store", () => {
  const store = createMemoryKv();
  afterAll(() => store.close());
  afterEach(() => setClock(null));

  /** Moves lib/clock on, where it stays until the test ends. */
  const elapse = async (ms: number) => {
    const at = nowMs() + ms;
    setClock(() => new Date(at));
  };
  const CENTURY_MS = 100 * 365 * 24 * 60 * 60 * 1000;
  const presentAfter = async (key: string, ms: number) => {
    await elapse(ms);
    return (await store.get(key)) !== null;
  };
  kvContract(
    () => ({
      store,
      elapse,
      hasNoExpiry: (key) => presentAfter(key, CENTURY_MS),
      expiresBetween: async (key, minMs, maxMs) =>
        (await presentAfter(key, minMs)) && !(await presentAfter(key, maxMs - minMs)),
    }),
    { concurrent: false },
  );

  test("evicts the oldest keys past 50,000, keeping counters without an expiry", async () => {
    const bounded = createMemoryKv();
    await bumpFamily("leads", bounded);
    // With the counter that makes 50,001 keys, one too many.
    for (let i = 0; i < 50_000; i += 1) await bounded.set(`key:${i}`, "v", 60);
    expect(await bounded.get("key:0")).toBeNull();
    expect(await bounded.get("key:1")).toBe("v");
    expect(await bounded.get("key:49999")).toBe("v");
    expect(await familyVersion("leads", bounded)).toBe(1);
    await bounded.close();
  });

  test("evicts the least recently written values past 32 Mi characters, whatever their count", async () => {
    const bounded = createMemoryKv();
    const body = "x".repeat(1024 * 1024);
    for (let i = 0; i < 40; i += 1) {
      await bounded.set(`list:${i}`, body, 60);
      // A counter written all along stays among the most recent writes.
      await bounded.incr("ratelimit:key", 60);
    }
    expect(await bounded.get("list:0")).toBeNull();
    expect(await bounded.get("list:39")).toBe(body);
    expect(await bounded.get("ratelimit:key")).toBe("40");
    let kept = 0;
    for (let i = 0; i < 40; i += 1) if ((await bounded.get(`list:${i}`)) !== null) kept += 1;
    expect(kept).toBeLessThanOrEqual(32);
    expect(kept).toBeGreaterThanOrEqual(30);
    await bounded.close();
  });
});

describe("kv()", () => {
  test("is one shared store, of the backend the settings select", () => {
    expect(kv()).toBe(kv());
    const url = "https://example.upstash.io";
    const redis = "redis://127.0.0.1:6379";
    expect(kvBackend(parseEnv({}))).toBe("memory");
    expect(kvBackend(parseEnv({ REDIS_URL: redis }))).toBe("redis");
    expect(kvBackend(parseEnv({ KV_REST_API_URL: url, KV_REST_API_TOKEN: "t", REDIS_URL: redis }))).toBe(
      "vercel-kv",
    );
    expect(kvBackend(parseEnv({ KV_REST_API_URL: url, KV_REST_API_TOKEN: "t" }))).toBe("vercel-kv");
    // This process: the suite runs once with REDIS_URL and once without.
    expect(kvBackend()).toBe(process.env.REDIS_URL ? "redis" : "memory");
  });
});

// These need a running Redis, which not every machine has; run with REDIS_URL=redis://127.0.0.1:6379.
describe.runIf(redisUrl !== "")("against a real Redis", () => {
  const probe = createClient({ url: redisUrl });
  const pttl = (key: string) => probe.pTTL(key);
  /** Redis's expiries follow its own clock: only waiting lets time pass for them. */
  const elapse = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  // PTTL is -1 for a key without an expiry.
  const hasNoExpiry = async (key: string) => (await pttl(key)) === -1;
  const expiresBetween = async (key: string, minMs: number, maxMs: number) => {
    const left = await pttl(key);
    return left > minMs && left <= maxMs;
  };

  beforeAll(async () => {
    await probe.connect();
  });

  afterAll(async () => {
    for await (const keys of probe.scanIterator({ MATCH: `*${runId}*`, COUNT: 1_000 })) {
      if (keys.length > 0) await probe.del(keys);
    }
    await probe.close();
  });

  describe("redis adapter", () => {
    const store = createRedisKv(redisUrl);
    afterAll(() => store.close());

    kvContract(() => ({ store, elapse, hasNoExpiry, expiresBetween }), { concurrent: true });

    test("an incr with a longer ttl does not extend the existing expiry", async () => {
      const key = uniqueKey();
      await store.incr(key, 100);
      await store.incr(key, 200);
      const left = await pttl(key);
      expect(left).toBeGreaterThan(90_000);
      expect(left).toBeLessThanOrEqual(100_000);
    });

    test("an incr with a ttl still works after Redis forgot its scripts (a restart)", async () => {
      const key = uniqueKey();
      await store.incr(key, 100);
      await probe.scriptFlush();
      expect(await store.incr(key, 100)).toBe(2);
      const fresh = uniqueKey();
      await probe.scriptFlush();
      expect(await store.incr(fresh, 50)).toBe(1);
      expect(await pttl(fresh)).toBeGreaterThan(40_000);
    });

    test("a key that somehow has no expiry gets one at the next incr with a ttl", async () => {
      const key = uniqueKey();
      await probe.set(key, "5");
      expect(await store.incr(key, 60)).toBe(6);
      expect(await pttl(key)).toBeGreaterThan(50_000);
    });
  });

  describe("redis adapter's connection", () => {
    /** The URL with another host:port, database or password. */
    const variant = (change: (url: URL) => void) => {
      const url = new URL(redisUrl);
      change(url);
      return url.href;
    };

    test("values come back byte for byte: multibyte, CRLF, 200 KB", async () => {
      const store = createRedisKv(redisUrl);
      try {
        const values = ["Plaza Ñandú 🏠", "line one\r\nline two", "x".repeat(200_000), ""];
        const keys = values.map(() => uniqueKey());
        await Promise.all(values.map((value, i) => store.set(keys[i]!, value, 60)));
        expect(await store.mget(keys)).toEqual(values);
      } finally {
        await store.close();
      }
    });

    test("uses the database the URL names", async () => {
      const base = Number(new URL(redisUrl).pathname.slice(1) || 0);
      const other = createRedisKv(variant((url) => (url.pathname = `/${base === 14 ? 13 : 14}`)));
      const store = createRedisKv(redisUrl);
      try {
        const key = uniqueKey();
        await other.set(key, "in the other database", 5);
        expect(await store.get(key)).toBeNull();
        expect(await other.get(key)).toBe("in the other database");
      } finally {
        await Promise.all([store.close(), other.close()]);
      }
    });

    test("sends the URL's password: a server without one refuses it, and the call fails", async () => {
      const store = createRedisKv(variant((url) => (url.password = "not-the-password")));
      try {
        await expect(store.get(uniqueKey())).rejects.toThrow(/AUTH|password/i);
      } finally {
        await store.close();
      }
    });

    test("fails at once while Redis is gone, and serves again once it is back, without a new store", async () => {
      const target = new URL(redisUrl);
      const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
      const store = createRedisKv(variant((url) => (url.host = `127.0.0.1:${proxy.port}`)));
      const errors: unknown[] = [];
      const quiet = vi.spyOn(console, "error").mockImplementation((...args) => void errors.push(args));
      try {
        const key = uniqueKey();
        expect(await store.incr(key, 60)).toBe(1);
        await proxy.cut();
        await expect(store.incr(key, 60)).rejects.toThrow();
        await expect(store.incr(key, 60)).rejects.toThrow();
        await proxy.restore();
        await waitFor(
          "the store to reconnect",
          () =>
            store.incr(key, 60).then(
              () => true,
              () => false,
            ),
          10_000,
          100,
        );
        expect(Number(await store.get(key))).toBeGreaterThanOrEqual(2);
        // Said once for the outage, not once per attempt.
        expect(errors.length).toBeLessThanOrEqual(1);
      } finally {
        quiet.mockRestore();
        await store.close();
        await proxy.close();
      }
    });
  });

  describe("@vercel/kv adapter, through the Upstash stand-in", () => {
    const token = randomUUID();
    let standin: Awaited<ReturnType<typeof startUpstashStandin>> | undefined;
    let store: Kv | undefined;

    beforeAll(async () => {
      standin = await startUpstashStandin(redisUrl, token);
      store = createVercelKv(standin.url, token);
    });

    afterAll(async () => {
      await store?.close();
      await standin?.close();
    });

    const started = () => {
      if (!store || !standin) throw new Error("the stand-in has not started");
      return { store, url: standin.url };
    };

    kvContract(() => ({ store: started().store, elapse, hasNoExpiry, expiresBetween }), {
      concurrent: true,
    });

    test("an incr with a longer ttl does not extend the existing expiry", async () => {
      const key = uniqueKey();
      await started().store.incr(key, 100);
      await started().store.incr(key, 200);
      const left = await pttl(key);
      expect(left).toBeGreaterThan(90_000);
      expect(left).toBeLessThanOrEqual(100_000);
    });

    test("returns JSON-looking values as the exact stored strings", async () => {
      const { store } = started();
      const key = uniqueKey();
      for (const value of ['{"a":1}', "[1,2]", "123", "true", "null", '"quoted"']) {
        await store.set(key, value, 60);
        expect(await store.get(key)).toBe(value);
      }
    });

    test("is refused with the wrong token", async () => {
      const intruder = createVercelKv(started().url, "not-the-token");
      await expect(intruder.get(uniqueKey())).rejects.toThrow(/Unauthorized/);
    });
  });
});
