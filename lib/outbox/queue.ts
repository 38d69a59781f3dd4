import { sql } from "drizzle-orm";
import { now } from "@/lib/clock";
import { type Db, getDb } from "@/lib/db/client";
import { expandFragments } from "@/lib/db/functions/fragments";
import type { ApiLead } from "@/lib/leads/schema";
import { kickOutbox } from "./kick";

/**
 * Queueing work in the outbox. Each kind of item is queued here (or, for the local database's
 * lead writes, by lead_upsert in the write's own transaction) and delivered by the worker
 * (lib/outbox/worker.ts).
 */

/**
 * A submission for Rotor: the upsert's body, and what a lead takes where it has nothing yet (the
 * form's source and stage), which Rotor's upsert cannot apply to new leads only: those go in a
 * second call, by id, for the fields the lead Rotor answered with still lacks. Once the first call
 * went through, `created` and the fields still to set are kept here, so a retry resumes there
 * (lib/outbox/rotor.ts).
 */
export interface RotorSubmission {
  body: Record<string, unknown>;
  defaults: Record<string, string>;
  created?: boolean;
}

/**
 * Queues a visitor's submission for Rotor. Items of one person go out in order, so a later
 * submission never overtakes an earlier one: the person is their phone (`sequence`), and also their
 * email (`altSequence`) when both are given, since Rotor matches on either. The intake delivers it
 * itself while the visitor waits (deliverNow), so this does not start the worker.
 */
export async function queueSubmission(
  companyId: string,
  sequence: string,
  altSequence: string | null,
  submission: RotorSubmission,
  /** The intake's record of it, kept in the same statement, waiting for Rotor ("queued"). */
  record: { id: string } & Record<string, unknown>,
): Promise<number> {
  const db = await getDb();
  const { rows } = (await db.execute(sql`
    with written as (
      select ${companyId}::uuid as company_id, null::uuid as lead_id, 'queued'::text as status,
        ${JSON.stringify({ submission: record })}::jsonb as write
    ), kept as (${sql.raw(KEEP_SUBMISSIONS)})
    insert into outbox (company_id, kind, sequence, alt_sequence, event, payload, next_attempt_at,
      submission_id)
    values (${companyId}, 'rotor', ${sequence}, ${altSequence}, 'submission',
      ${JSON.stringify(submission)}::jsonb, ${now().toISOString()}, ${record.id})
    returning id`)) as unknown as { rows: { id: number | string }[] };
  return Number(rows[0]!.id);
}

// The same statements as lead_upsert's (lib/db/functions/fragments.ts), over the rows below.
const QUEUE_LEAD_EVENTS = expandFragments("{{queue_lead_events events}}");
const KEEP_SUBMISSIONS = expandFragments("{{keep_submissions written}}");

/**
 * Queues an event for each active webhook endpoint of the company, and starts the worker when
 * there is one: in upstream mode, where the lead is Rotor's. (With the local database lead_upsert
 * does this in the write's own transaction.)
 */
export async function queueLeadEvent(companyId: string, lead: ApiLead, created: boolean): Promise<void> {
  const queued = await queueLeadEventIn(
    await getDb(),
    companyId,
    lead.id,
    created ? "lead.created" : "lead.updated",
    {
      api_lead: lead,
    },
  );
  if (queued > 0) kickOutbox();
}

/**
 * Queues an event about a lead for each active webhook endpoint of the company, inside the caller's
 * transaction (a merge's); returns how many, for the caller to start the worker after its commit.
 * The payload holds the lead (`api_lead`) and what the event adds to it (`merged_id`...).
 */
export async function queueLeadEventIn(
  db: Pick<Db, "execute">,
  companyId: string,
  leadId: string,
  event: string,
  payload: { api_lead: ApiLead } & Record<string, unknown>,
): Promise<number> {
  const { rows } = (await db.execute(sql`
    with events as (
      select ${companyId}::uuid as company_id, ${leadId}::text as lead_id, ${event}::text as event,
        ${JSON.stringify(payload)}::jsonb as payload
    ), queued as (${sql.raw(QUEUE_LEAD_EVENTS)})
    select count(*)::integer as queued from queued`)) as unknown as { rows: { queued: number }[] };
  return rows[0]!.queued;
}
