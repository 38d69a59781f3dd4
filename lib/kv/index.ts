import { type Env, env } from "@/lib/env";
import { createMemoryKv } from "./memory";
import { createRedisKv } from "./redis";
import { resilientKv } from "./resilient";
import type { Kv } from "./types";
import { createVercelKv } from "./vercel-kv";

export type { Kv } from "./types";

export type KvBackend = "vercel-kv" | "redis" | "memory";

// Kept on globalThis because Next.js dev re-evaluates modules on every hot reload, and a module-level
// variable would open a new Redis connection each time.
const holder = globalThis as typeof globalThis & { __leadPortalKv?: Kv };

type Selection =
  | { backend: "vercel-kv"; url: string; token: string }
  | { backend: "redis"; url: string }
  | { backend: "memory" };

type KvSettings = Pick<Env, "KV_REST_API_URL" | "KV_REST_API_TOKEN" | "REDIS_URL">;

function select(settings: KvSettings = env()): Selection {
  const { KV_REST_API_URL, KV_REST_API_TOKEN, REDIS_URL } = settings;
  if (KV_REST_API_URL && KV_REST_API_TOKEN) {
    return { backend: "vercel-kv", url: KV_REST_API_URL, token: KV_REST_API_TOKEN };
  }
  if (REDIS_URL) return { backend: "redis", url: REDIS_URL };
  return { backend: "memory" };
}

/** Which KV the settings (the process's, unless given) select: Vercel KV, then Redis, then memory. */
export function kvBackend(settings?: KvSettings): KvBackend {
  return select(settings).backend;
}

/** The process-wide KV. */
export function kv(): Kv {
  holder.__leadPortalKv ??= open(select());
  return holder.__leadPortalKv;
}

function open(selection: Selection): Kv {
  switch (selection.backend) {
    case "vercel-kv":
      return resilientKv(createVercelKv(selection.url, selection.token));
    case "redis":
      return resilientKv(createRedisKv(selection.url));
    case "memory":
      return createMemoryKv();
  }
}

/** The key holding a family's version. */
export function familyVersionKey(family: string): string {
  return `ver:${family}`;
}

/**
 * Moves a key family to a new version, making every entry stored under the old one stale. Version keys
 * never expire: a version that went back to 0 would revive entries written under it.
 */
export async function bumpFamily(family: string, store: Kv = kv()): Promise<number> {
  return store.incr(familyVersionKey(family));
}

/** A family's current version (0 before its first bump). */
export async function familyVersion(family: string, store: Kv = kv()): Promise<number> {
  return parseVersion(await store.get(familyVersionKey(family)));
}

/** A family's version from its stored text; 0 when it was never bumped (no key). */
export function parseVersion(raw: string | null | undefined): number {
  const version = raw === null || raw === undefined ? 0 : Number(raw);
  if (!Number.isSafeInteger(version)) throw new Error("kv: a family version key holds a non-integer");
  return version;
}

/**
 * A key's value together with its family's current version, in one round trip. A value written with
 * the version it was computed under (see lib/leads/cache.ts) is fresh only while the two still match.
 */
export async function getWithFamilyVersion(
  family: string,
  key: string,
  store: Kv = kv(),
): Promise<{ version: number; value: string | null }> {
  const [raw, value] = await store.mget([familyVersionKey(family), key]);
  return { version: parseVersion(raw), value: value ?? null };
}
