import { and, eq, inArray, type SQL, sql } from "drizzle-orm";
import { now } from "@/lib/clock";
import { getDb, noteOutboxClaim } from "@/lib/db/client";
import { outbox, type OutboxRow } from "@/lib/db/schema";
import { upstreamMode } from "@/lib/rotor/upstream";

/**
 * Leases: a worker takes items (claim) and holds each for LEASE_MS, changes it only while it still
 * holds it (heldBy), and lets it go with what its attempt came to (release). Which items are due,
 * their order within a person or an endpoint's lead, and the share of deliveries each company and
 * endpoint may have under way are decided here.
 */
const LEASE_MS = 2 * 60_000;

/** Until when an item taken now is held (for items queued already held: lib/outbox/notify.ts). */
export function leaseFrom(at: Date): Date {
  return new Date(at.getTime() + LEASE_MS);
}

/**
 * Deliveries under way at once, over every worker of every instance: a company's and an
 * endpoint's. Receivers that hang hold their places until they time out; with these caps they
 * cannot hold the others', so one company's slow endpoints never delay another company's
 * deliveries, nor one endpoint's backlog the company's other endpoints.
 */
export const COMPANY_IN_FLIGHT = 8;
export const ENDPOINT_IN_FLIGHT = 2;

/**
 * Takes up to `limit` due items for a worker's places (or the one given, which the intake delivers
 * itself while the visitor waits, on no worker's place and so under no cap): pending, due, not held
 * by another worker, first of their sequence, not for a paused endpoint (lib/webhooks/breaker.ts),
 * and within what their company and endpoint may still have under way, counting the items taken
 * together. Each is held for a lease; a worker that dies lets it go when that ends. Two workers
 * taking at the same moment may pass a cap by an item or two: the caps bound, they do not meter.
 */
export async function claim(options: { id?: number; limit: number }): Promise<OutboxRow[]> {
  const db = await getDb();
  const at = now();
  // Only a server in upstream mode sends to Rotor (another may share the database while changing over).
  const kinds = upstreamMode()
    ? sql`('rotor', 'webhook', 'alert', 'email', 'sms', 'push', 'digest')`
    : sql`('webhook', 'alert', 'email', 'sms', 'push', 'digest')`;
  const due = sql`o.status = 'pending' and o.kind in ${kinds} and o.next_attempt_at <= ${at}
    and (o.locked_until is null or o.locked_until < ${at})
    and ${firstOf(sql`o.sequence`)}
    and (o.alt_sequence is null or (${firstOf(sql`o.alt_sequence`)}))
    and (o.endpoint_id is null or not exists (select 1 from webhook_endpoints e
      where e.id = o.endpoint_id and e.paused_until > ${at}))`;
  const taken =
    options.id === undefined
      ? underCaps(due, at, options.limit)
      : sql`(select o.id from outbox o where o.id = ${options.id} and ${due} for update skip locked)`;
  noteOutboxClaim();
  return db
    .update(outbox)
    .set({ lockedUntil: leaseFrom(at), attempts: sql`${outbox.attempts} + 1` })
    .where(inArray(outbox.id, taken))
    .returning();
}

/**
 * The ids of up to `limit` due items that their company's and endpoint's caps still allow, oldest
 * first. Companies and endpoints already at their cap are passed over while reading; of the first
 * few times `limit` due items, each company's and endpoint's oldest are taken up to what it may
 * still start. (A company with a long queue fills that window and waits at its cap; the next claim
 * passes over it to the others.)
 */
function underCaps(due: SQL, at: Date, limit: number): SQL {
  const inFlight = sql`h.status = 'pending' and h.locked_until is not null and h.locked_until >= ${at}`;
  const companies = sql`(select h.company_id, count(*) as n from outbox h where ${inFlight}
    group by h.company_id)`;
  const endpoints = sql`(select h.endpoint_id, count(*) as n from outbox h
    where ${inFlight} and h.endpoint_id is not null group by h.endpoint_id)`;
  return sql`(select r.id from (
      select c.id,
        coalesce(hc.n, 0) + row_number() over (partition by c.company_id order by c.id) as company_load,
        coalesce(he.n, 0) + row_number() over (partition by c.endpoint_id order by c.id) as endpoint_load,
        c.endpoint_id
      from (select o.id, o.company_id, o.endpoint_id from outbox o
        where ${due}
          and o.company_id not in (select company_id from ${companies} full_companies
            where n >= ${COMPANY_IN_FLIGHT})
          and (o.endpoint_id is null or o.endpoint_id not in (select endpoint_id from ${endpoints}
            full_endpoints where n >= ${ENDPOINT_IN_FLIGHT}))
        order by o.id limit ${limit * 4}
        for update skip locked) c
      left join ${companies} hc on hc.company_id = c.company_id
      left join ${endpoints} he on he.endpoint_id = c.endpoint_id
    ) r
    where r.company_load <= ${COMPANY_IN_FLIGHT}
      and (r.endpoint_id is null or r.endpoint_load <= ${ENDPOINT_IN_FLIGHT})
    order by r.id limit ${limit})`;
}

/**
 * No earlier item waits under this key, as either key of its own (one test per index, rather than
 * an OR that no index serves). `offset 0` keeps each test a probe of an index per candidate:
 * without it the planner may turn them into anti-joins, which read every waiting item for each
 * candidate when it misjudges their number (about a second per claim behind 1,000 on PGlite).
 */
const firstOf = (key: SQL) => sql`not exists (select 1 from outbox p where p.kind = o.kind
    and p.status = 'pending' and p.sequence = ${key} and p.id < o.id offset 0)
  and not exists (select 1 from outbox p where p.kind = o.kind and p.status = 'pending'
    and p.alt_sequence = ${key} and p.id < o.id offset 0)`;

/** The item, while the worker that claimed it still holds its lease. */
export function heldBy(item: Pick<OutboxRow, "id" | "lockedUntil">) {
  return and(eq(outbox.id, item.id), eq(outbox.lockedUntil, item.lockedUntil!));
}

/**
 * Lets a claimed item go with what its attempt came to, unless its lease ran out meanwhile: another
 * worker may have taken it over.
 */
export async function release(
  item: Pick<OutboxRow, "id" | "lockedUntil">,
  changes: Partial<Omit<OutboxRow, "id" | "lockedUntil">>,
): Promise<void> {
  const db = await getDb();
  await db
    .update(outbox)
    .set({ ...changes, lockedUntil: null })
    .where(heldBy(item));
}
