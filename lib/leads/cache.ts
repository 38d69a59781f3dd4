import { bumpFamily, getWithFamilyVersion, kv } from "@/lib/kv";
import { env } from "@/lib/env";

const family = (companyId: string) => `leads:${companyId}`;

/**
 * Returns the cached body for this company and query, or computes, stores and returns it. Each entry
 * carries the company's version it was computed under; one bump makes every cached list of the
 * company stale at once, and the entry and the version are read together in one round trip.
 */
export async function cachedLeadList(
  companyId: string,
  queryKey: string,
  options: { refresh?: boolean },
  compute: (version: number) => Promise<string>,
): Promise<{ body: string; hit: boolean }> {
  const key = `leads:list:${companyId}:${queryKey}`;
  const { version, value } = await getWithFamilyVersion(family(companyId), key);
  if (value !== null && !options.refresh) {
    const fresh = unwrap(value, version);
    if (fresh !== null) return { body: fresh, hit: true };
  }
  const body = await compute(version);
  await kv().set(key, `${version}\n${body}`, env().LIST_CACHE_TTL_SECONDS);
  return { body, hit: false };
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
