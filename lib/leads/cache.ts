import {
  bumpFamily,
  familyVersion,
  familyVersionKey,
  getWithFamilyVersion,
  kv,
  kvBackend,
  parseVersion,
} from "@/lib/kv";
import { nowMs } from "@/lib/clock";
import { env } from "@/lib/env";
import type { ListOptions } from "./store/types";

const family = (companyId: string) => `leads:${companyId}`;

/** The KV key of a company's lists version, for a caller that reads it with other keys. */
export const listsVersionKey = (companyId: string) => familyVersionKey(family(companyId));

/**
 * A read of a company's leads kept in KV: a list, the dashboard's figures, the stages in use, or one
 * lead from Rotor. Returns the cached body for this company and query, or computes, stores and returns it. Each entry
 * carries the company's version it was computed under; one bump makes every cached list of the
 * company stale at once, and the entry and the version are read together in one round trip. When
 * this process holds a copy of the entry (see `nearby` below), only the version is needed: the one
 * the request read with its daily count (`listsVersion`), else read here.
 */
export async function cachedLeadRead(
  companyId: string,
  queryKey: string,
  options: ListOptions,
  compute: (version: number) => Promise<string>,
): Promise<{ body: string; hit: boolean }> {
  const key = `leads:list:${companyId}:${queryKey}`;
  const copy = options.refresh ? undefined : nearby.get(key);
  if (copy && copy.until > nowMs()) {
    const current =
      options.listsVersion === undefined
        ? await familyVersion(family(companyId))
        : parseVersion(options.listsVersion);
    if (copy.version === current) return { body: copy.body, hit: true };
  }
  const { version, value } = await getWithFamilyVersion(family(companyId), key);
  if (value !== null && !options.refresh) {
    const fresh = unwrap(value, version);
    if (fresh !== null) {
      keepNearby(key, version, fresh);
      return { body: fresh, hit: true };
    }
  }
  const body = await compute(version);
  await kv().set(key, `${version}\n${body}`, env().LIST_CACHE_TTL_SECONDS);
  keepNearby(key, version, body);
  return { body, hit: false };
}

/**
 * This process's copies of the lists it served lately, with the version each was computed under.
 * With a shared KV (Redis, Vercel KV), a read needs only the company's version, a few bytes, instead
 * of the whole list again (an API read has it already, from its daily count); the copy serves only
 * while that version is still current, so a write on any instance makes it stale at once, as it
 * does the shared entry. Version 0 is never kept: it is also what a read gives while KV does not
 * answer, when writes cannot move the version. (The memory KV is in this process already.)
 */
const nearby = new Map<string, { version: number; body: string; until: number }>();
const NEARBY_MAX_BYTES = 32 * 1024 * 1024;
let nearbyBytes = 0;

function keepNearby(key: string, version: number, body: string): void {
  if (version === 0 || kvBackend() === "memory" || body.length > NEARBY_MAX_BYTES / 8) return;
  dropNearby(key);
  nearby.set(key, { version, body, until: nowMs() + env().LIST_CACHE_TTL_SECONDS * 1000 });
  nearbyBytes += body.length;
  // The oldest first, as a Map keeps its insertion order.
  for (const oldest of nearby.keys()) {
    if (nearbyBytes <= NEARBY_MAX_BYTES) break;
    dropNearby(oldest);
  }
}

function dropNearby(key: string): void {
  const copy = nearby.get(key);
  if (!copy) return;
  nearbyBytes -= copy.body.length;
  nearby.delete(key);
}

/** A stored value when it was stored under this version, else null. */
function unwrap(value: string, version: number): string | null {
  const separator = value.indexOf("\n");
  return value.slice(0, separator) === String(version) ? value.slice(separator + 1) : null;
}

/**
 * How many leads a filter matches does not depend on the page, and counting is the costly part of
 * a list over many leads, so the count is kept apart per filter, under the company's version the
 * list was computed with: paging through a filter counts once.
 */
const countKey = (companyId: string, filterKey: string) => `leads:count:${companyId}:${filterKey}`;

export async function knownCount(
  companyId: string,
  filterKey: string,
  version: number,
): Promise<number | null> {
  const stored = await kv().get(countKey(companyId, filterKey));
  const known = stored === null ? null : unwrap(stored, version);
  return known === null ? null : Number(known);
}

export async function keepCount(
  companyId: string,
  filterKey: string,
  version: number,
  count: number,
): Promise<void> {
  await kv().set(countKey(companyId, filterKey), `${version}\n${count}`, env().LIST_CACHE_TTL_SECONDS);
}

/** Makes every cached list of this company stale; called after any write to its leads. */
export async function invalidateLeadLists(companyId: string): Promise<void> {
  await bumpFamily(family(companyId));
}
