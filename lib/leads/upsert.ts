import { getTableColumns, sql } from "drizzle-orm";
import { getDb, noteLeadWrite } from "@/lib/db/client";
import { type LeadRow, leads } from "@/lib/db/schema";
import { fail } from "@/lib/errors";
import { isDatabaseUnavailable } from "@/lib/db/unavailable";
import { now } from "@/lib/clock";
import { kickOutbox } from "@/lib/outbox/kick";
import { invalidateLeadLists } from "./cache";
import type { LeadChanges } from "./normalise";
import { type Actor, actorJson } from "./actor";

export interface UpsertOutcome {
  lead: LeadRow;
  created: boolean;
}

const columns = Object.entries(getTableColumns(leads));

/** The given fields under their column names, as the database function reads them. */
function byColumn(fields: LeadChanges["fields"]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, column] of columns) {
    const value = (fields as Record<string, unknown>)[key];
    if (value !== undefined) out[column.name] = value;
  }
  return out;
}

/** A lead row from the JSON the database function returns. */
export function rowFromJson(json: Record<string, unknown>): LeadRow {
  const row: Record<string, unknown> = {};
  for (const [key, column] of columns) {
    const value = json[column.name] ?? null;
    row[key] = value !== null && column.dataType === "date" ? new Date(value as string) : value;
  }
  return row as LeadRow;
}

/** One upsert as lead_upsert_many (lib/db/functions/lead_upsert_many.sql) reads it. */
interface UpsertItem {
  company: string;
  id: string | null;
  phone: string | null;
  email_lc: string | null;
  fields: Record<string, unknown>;
  defaults: Record<string, unknown>;
  tags: string[];
  now: string;
  replace_tags: boolean;
  /** What kind of write it is, who made it, and the submission it keeps (lead_upsert.sql). */
  write: { mode: "replace" | "fill"; actor: Record<string, string>; submission?: Record<string, unknown> };
}

/** The write's answer: the lead, and how many webhook events it queued in its transaction. */
type DbAnswer = { created: boolean; lead: Record<string, unknown>; queued: number } | null;

interface Waiting {
  item: UpsertItem;
  invalidate: boolean;
  resolve: (result: DbAnswer) => void;
  reject: (error: unknown) => void;
}

/** The most upserts sent in one statement. */
const MAX_BATCH = 100;

/**
 * The writes waiting for the one in flight. Kept on globalThis so that every route of the process
 * shares one queue, and so that two batches of one process never wait on each other's locks.
 */
const queue = globalThis as typeof globalThis & {
  __leadPortalUpserts?: { waiting: Waiting[]; running: boolean };
};

async function sendBatch(items: UpsertItem[]): Promise<DbAnswer[]> {
  const db = await getDb();
  const { rows } = (await db.execute(
    sql`select result from lead_upsert_many(${JSON.stringify(items)}::jsonb) order by ord`,
  )) as unknown as { rows: { result: DbAnswer }[] };
  if (rows.length !== items.length) throw new Error("lead_upsert_many: one answer per item expected");
  return rows.map((row) => row.result);
}

/** Each write's answer from the database, or why it failed. */
type Settled = { ok: true; result: DbAnswer } | { ok: false; error: unknown };

/**
 * Writes one batch. The batch is one transaction: if it fails, nothing of it was written, and each
 * write is tried again on its own (two instances' batches can wait on each other's locks, which the
 * database ends by failing one), so one write's failure is its own.
 */
async function writeBatch(batch: Waiting[]): Promise<Settled[]> {
  try {
    return (await sendBatch(batch.map((w) => w.item))).map((result) => ({ ok: true, result }));
  } catch (error) {
    if (batch.length === 1 || isDatabaseUnavailable(error)) return batch.map(() => ({ ok: false, error }));
    return (await Promise.all(batch.map((w) => writeBatch([w])))).flat();
  }
}

/** After the commit and before anyone is answered: each company's lists go stale, once a batch. */
async function settle(batch: Waiting[], outcomes: Settled[]): Promise<void> {
  try {
    const written = batch.filter((w, i) => {
      const outcome = outcomes[i]!;
      return w.invalidate && outcome.ok && outcome.result;
    });
    await Promise.all([...new Set(written.map((w) => w.item.company))].map(invalidateLeadLists));
  } catch (error) {
    for (const w of batch) w.reject(error);
    return;
  }
  batch.forEach((w, i) => {
    const outcome = outcomes[i]!;
    if (outcome.ok) w.resolve(outcome.result);
    else w.reject(outcome.error);
  });
}

/**
 * Writes batches while writes wait. The next batch goes to the database as soon as the previous one
 * committed, while the previous one's lists are still being made stale in KV.
 */
async function drain(state: { waiting: Waiting[]; running: boolean }): Promise<void> {
  try {
    while (state.waiting.length > 0) {
      const batch = state.waiting.splice(0, MAX_BATCH);
      void settle(batch, await writeBatch(batch));
    }
  } finally {
    state.running = false;
  }
}

/**
 * Sends an upsert to the database. A write arriving while none is in flight goes after the current
 * turn of the event loop, with any others that arrived in that turn; those arriving meanwhile wait
 * for it and then go together, in their order of arrival, in one statement: under load one round
 * trip and one commit serve many writes, and idle, a write waits for nothing. (The turn matters with
 * PGlite, which runs in this thread: without it each write would find none in flight and go alone.)
 */
function enqueue(item: UpsertItem, invalidate: boolean): Promise<DbAnswer> {
  const state = (queue.__leadPortalUpserts ??= { waiting: [], running: false });
  return new Promise<DbAnswer>((resolve, reject) => {
    state.waiting.push({ item, invalidate, resolve, reject });
    if (!state.running) {
      state.running = true;
      setImmediate(() => void drain(state));
    }
  });
}

/**
 * Creates or updates a lead of one company: by id; else the lead with the same phone; else the one
 * with the same email; else a new lead, with tags merged. The whole upsert, locks included, is the
 * database function lead_upsert (lib/db/functions/lead_upsert.sql), called in batches
 * (lead_upsert_many.sql beside it): the database, not a race between a read and a write, decides
 * that one person makes one lead.
 */
export async function upsertLead(
  companyId: string,
  changes: LeadChanges,
  /** Values a new lead takes where the changes give none (an intake form's source and stage). */
  defaults: LeadChanges["fields"] = {},
  options: {
    /** The given tags replace the lead's instead of merging into them (the admin's tag editor). */
    replaceTags?: boolean;
    /** False when the caller makes the company's lists stale itself, once for many writes. */
    invalidate?: boolean;
    /** Who writes, for the lead's history (the API unless said). */
    actor?: Actor;
    /**
     * A public submission's row (lib/forms/intake.ts): kept in the same transaction, and the write
     * then only fills what the lead holds nothing in, proposing the rest (fill mode).
     */
    submission?: Record<string, unknown>;
  } = {},
): Promise<UpsertOutcome> {
  const { fields } = changes;
  const result = await enqueue(
    {
      company: companyId,
      id: changes.id ?? null,
      phone: typeof fields.phone === "string" ? fields.phone : null,
      email_lc: typeof fields.emailLc === "string" ? fields.emailLc : null,
      fields: byColumn(fields),
      defaults: byColumn(defaults),
      tags: changes.tags,
      now: now().toISOString(),
      replace_tags: options.replaceTags ?? false,
      write: {
        mode: options.submission ? "fill" : "replace",
        actor: actorJson(options.actor ?? { kind: "api", keyId: null }),
        ...(options.submission ? { submission: options.submission } : {}),
      },
    },
    options.invalidate !== false,
  );
  if (!result) throw fail.notFound();
  noteLeadWrite();
  // The write queued an event per active webhook endpoint (lead_upsert does, in its transaction):
  // send them soon.
  if (result.queued > 0) kickOutbox();
  return { lead: rowFromJson(result.lead), created: result.created };
}
