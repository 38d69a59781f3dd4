import { bumpFamily, familyVersion, kv } from "@/lib/kv";
import { env } from "@/lib/env";

const family = (companyId: string) => `leads:${companyId}`;

/**
 * Returns the cached body for this company and query, or computes, stores and returns it.
 * The key carries the company's version, so one bump makes every cached list of it stale.
 */
export async function cachedLeadList(
  companyId: string,
  queryKey: string,
  compute: () => Promise<string>,
): Promise<{ body: string; hit: boolean }> {
  const version = await familyVersion(family(companyId));
  const key = `leads:list:${companyId}:v${version}:${queryKey}`;
  const cached = await kv().get(key);
  if (cached !== null) return { body: cached, hit: true };
  const body = await compute();
  await kv().set(key, body, env().LIST_CACHE_TTL_SECONDS);
  return { body, hit: false };
}

/** Makes every cached list of this company stale; called after any write to its leads. */
export async function invalidateLeadLists(companyId: string): Promise<void> {
  await bumpFamily(family(companyId));
}
