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
  compute: () => Promise<string>,
): Promise<{ body: string; hit: boolean }> {
  const key = `leads:list:${companyId}:${queryKey}`;
  const { version, value } = await getWithFamilyVersion(family(companyId), key);
  if (value !== null && !options.refresh) {
    const separator = value.indexOf("\n");
    if (value.slice(0, separator) === String(version)) return { body: value.slice(separator + 1), hit: true };
  }
  const body = await compute();
  await kv().set(key, `${version}\n${body}`, env().LIST_CACHE_TTL_SECONDS);
  return { body, hit: false };
}

/** Makes every cached list of this company stale; called after any write to its leads. */
export async function invalidateLeadLists(companyId: string): Promise<void> {
  await bumpFamily(family(companyId));
}
