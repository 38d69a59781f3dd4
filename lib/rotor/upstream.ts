import { findCompany } from "@/lib/db/companies";
import { env } from "@/lib/env";
import { kv } from "@/lib/kv";
import { now } from "@/lib/clock";
import { createRotorClient, type RotorClient } from "./client";
import { RotorRejectedError, RotorUnavailableError } from "./contract";

/** Upstream mode: ROTOR_API_KEY is set, and one company's leads live in that Rotor account. */
export function upstreamMode(): boolean {
  return Boolean(env().ROTOR_API_KEY);
}

/** The company ROTOR_COMPANY names; a missing one is asked for again after a while. */
let upstreamCompany: { slug: string; id: string | null; until: number } | undefined;
const MISSING_COMPANY_RETRY_MS = 30_000;

/**
 * Whether this company's leads live in Rotor: upstream mode is on and it is the company
 * ROTOR_COMPANY names (the default company unless set). One Rotor account is one business, so
 * every other company of the portal keeps its leads in the database, and none sees another's.
 */
export async function isUpstream(companyId: string): Promise<boolean> {
  if (!upstreamMode()) return false;
  const slug = env().ROTOR_COMPANY;
  if (
    upstreamCompany?.slug !== slug ||
    (upstreamCompany.id === null && upstreamCompany.until < now().getTime())
  ) {
    const company = await findCompany(slug);
    upstreamCompany = { slug, id: company?.id ?? null, until: now().getTime() + MISSING_COMPANY_RETRY_MS };
  }
  return upstreamCompany.id === companyId;
}

const quotaKey = (at: Date) => `rotor:requests:${at.toISOString().slice(0, 10)}`;

/** Counts one request to Rotor on today's UTC tally, which every instance shares through KV. */
function countRequest(): void {
  // Never in the way of the request itself: a KV hiccup loses one count, not the call.
  kv()
    .incr(quotaKey(now()), 2 * 86_400)
    .catch(() => {});
}

/** How many requests this portal sent to Rotor today (UTC), against the daily quota. */
export async function rotorUsage(): Promise<{ used: number; quota: number }> {
  const stored = await kv().get(quotaKey(now()));
  return { used: stored === null ? 0 : Number(stored), quota: env().ROTOR_DAILY_QUOTA };
}

/**
 * A client of the configured Rotor account. `retries: 0` where the outbox does the retrying
 * itself (it remembers the work between attempts); the admin's reads retry a little.
 */
export function rotorClient(retries = 2): RotorClient {
  const { ROTOR_API_KEY, ROTOR_API_URL, ROTOR_TIMEOUT_MS } = env();
  if (!ROTOR_API_KEY) throw new Error("rotor: ROTOR_API_KEY is not set");
  const client = createRotorClient({
    baseUrl: ROTOR_API_URL,
    apiKey: ROTOR_API_KEY,
    timeoutMs: ROTOR_TIMEOUT_MS,
    retries,
    onRequest: countRequest,
  });
  return {
    upsertLead: keyFaults(client.upsertLead),
    listLeads: keyFaults(client.listLeads),
    getLead: keyFaults(client.getLead),
  };
}

/**
 * Rotor refusing the portal's own key (401, 403) is not the caller's fault, nor a submission's:
 * it is Rotor being unusable until the key is fixed, so the API answers 503 and the outbox retries.
 */
function keyFaults<A extends unknown[], R>(call: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args) => {
    try {
      return await call(...args);
    } catch (error) {
      if (error instanceof RotorRejectedError && (error.status === 401 || error.status === 403)) {
        throw new RotorUnavailableError(
          `Rotor refused this portal's key (${error.status}): check ROTOR_API_KEY`,
          error.status,
        );
      }
      throw error;
    }
  };
}
