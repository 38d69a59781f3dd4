import { env } from "@/lib/env";
import { createMemoryKv } from "./memory";
import { createRedisKv } from "./redis";
import type { Kv } from "./types";
import { createVercelKv } from "./vercel-kv";

export type { Kv } from "./types";

export type KvBackend = "vercel-kv" | "redis" | "memory";

// Kept on globalThis because Next.js dev re-evaluates modules on every hot reload, and a module-level
// variable would open a new Redis connection each time.
const holder = globalThis as typeof globalThis & { __leadIntakeKv?: Kv };

type Selection =
  | { backend: "vercel-kv"; url: string; token: string }
  | { backend: "redis"; url: string }
  | { backend: "memory" };

function select(): Selection {
  const { KV_REST_API_URL, KV_REST_API_TOKEN, REDIS_URL } = env();
  if (KV_REST_API_URL && KV_REST_API_TOKEN) {
    return { backend: "vercel-kv", url: KV_REST_API_URL, token: KV_REST_API_TOKEN };
  }
  if (REDIS_URL) return { backend: "redis", url: REDIS_URL };
  return { backend: "memory" };
}

/** Which store the settings select: Vercel KV, then Redis, then process memory. */
export function kvBackend(): KvBackend {
  return select().backend;
}

/** The process-wide store. */
export function kv(): Kv {
  holder.__leadIntakeKv ??= open(select());
  return holder.__leadIntakeKv;
}

function open(selection: Selection): Kv {
  switch (selection.backend) {
    case "vercel-kv":
      return createVercelKv(selection.url, selection.token);
    case "redis":
      return createRedisKv(selection.url);
    case "memory":
      return createMemoryKv();
  }
}

function versionKey(family: string): string {
  return `ver:${family}`;
}

/**
 * The current version of a key family, 0 until first bumped. Build the family's keys from it so that
 * bumpFamily makes them all stale at once.
 */
export async function familyVersion(family: string, store: Kv = kv()): Promise<number> {
  const raw = await store.get(versionKey(family));
  if (raw === null) return 0;
  const version = Number(raw);
  if (!Number.isSafeInteger(version)) throw new Error("kv: a family version key holds a non-integer");
  return version;
}

/**
 * Moves a key family to a new version, making every key built from the old one stale. Version keys never
 * expire: a version that went back to 0 would revive entries written under it.
 */
export async function bumpFamily(family: string, store: Kv = kv()): Promise<number> {
  return store.incr(versionKey(family));
}
