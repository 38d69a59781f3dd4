import { sql } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { expandFragments } from "@/lib/db/functions/fragments";
import { outbox, type OutboxRow } from "@/lib/db/schema";
import { invalidateLeadLists } from "@/lib/leads/cache";
import type { ApiLead } from "@/lib/leads/schema";
import { RotorRejectedError, RotorUnavailableError } from "@/lib/rotor/contract";
import { rotorClient } from "@/lib/rotor/upstream";
import { kickOutbox } from "./kick";
import { heldBy } from "./leases";
import type { DeliveryOutcome } from "./outcome";
import { queueLeadEvent, type RotorSubmission } from "./queue";

/** Rotor's field messages, or its message, as one line for the delivery log. */
function reason(error: RotorRejectedError): string {
  const fields = error.body.errors?.map((e) => `${e.field}: ${e.message}`).join("; ");
  return `Rotor refused it (${error.status}): ${fields || error.body.message}`;
}

function retryAfterMs(error: RotorRejectedError): number | undefined {
  const seconds = Number(error.headers["retry-after"]);
  return Number.isFinite(seconds) ? seconds * 1000 : undefined;
}

/**
 * The intake's record of the submission, once Rotor took it: a new lead, or attached to one; and
 * its alert, queued as the local database's writes queue theirs (once per submission).
 */
async function settleSubmission(item: OutboxRow, created: boolean, leadId: string): Promise<void> {
  if (!item.submissionId) return;
  const db = await getDb();
  const { rows } = (await db.execute(sql`
    with settled as (
      update submissions set status = ${created ? "lead" : "attached"}
      where id = ${item.submissionId} returning id
    ), written as (
      select ${item.companyId}::uuid as company_id, ${leadId}::text as lead_id,
        ${created}::boolean as created, jsonb_build_object('submission', jsonb_build_object('id', s.id)) as write
      from settled s
    ), alerted as (${sql.raw(QUEUE_ALERTS)})
    select count(*)::integer as queued from alerted`)) as unknown as { rows: { queued: number }[] };
  if (rows[0]!.queued > 0) kickOutbox();
}

// lead_upsert's own statement (lib/db/functions/fragments.ts), over the row above.
const QUEUE_ALERTS = expandFragments("{{queue_alerts written}}");

/**
 * One attempt at an item, resuming where the last one stopped: the upsert, then the new lead's
 * defaults. A 4xx other than 429 parks the item as failed with Rotor's reason; anything else that
 * goes wrong (no answer, a timeout, a 5xx, a 429) is retried later. Repeating the upsert is
 * harmless: it matches the same person again and merges the same tags.
 */
export async function deliverToRotor(item: OutboxRow): Promise<DeliveryOutcome> {
  const submission = item.payload as RotorSubmission;
  const client = rotorClient(0);
  try {
    let lead: ApiLead | undefined;
    let created = submission.created ?? false;
    let missing = submission.defaults;
    if (item.event !== "defaults") {
      ({ lead, created } = await client.upsertLead(submission.body));
      const answered = lead as Record<string, unknown>;
      missing = Object.fromEntries(
        Object.entries(submission.defaults).filter(([name]) => answered[name] == null),
      );
      if (Object.keys(missing).length > 0) {
        // Remembered, so that a failure of the second call resumes with it.
        const db = await getDb();
        await db
          .update(outbox)
          .set({ event: "defaults", leadId: lead.id, payload: { ...submission, defaults: missing, created } })
          .where(heldBy(item));
      }
    }
    if (Object.keys(missing).length > 0) {
      lead = (await client.upsertLead({ id: lead?.id ?? item.leadId, ...missing })).lead;
    }
    await Promise.all([
      invalidateLeadLists(item.companyId),
      queueLeadEvent(item.companyId, lead!, created),
      settleSubmission(item, created, lead!.id),
    ]);
    return { result: "delivered", status: created ? 201 : 200, leadId: lead!.id, created };
  } catch (error) {
    if (error instanceof RotorUnavailableError) {
      return {
        result: "retry",
        status: error.status,
        error: error.message,
        retryAfterMs: error.retryAfterMs,
      };
    }
    if (error instanceof RotorRejectedError) {
      if (error.status === 429) {
        return {
          result: "retry",
          status: 429,
          error: "Rotor's quota is spent for now",
          retryAfterMs: retryAfterMs(error),
        };
      }
      return { result: "failed", status: error.status, error: reason(error) };
    }
    throw error;
  }
}
