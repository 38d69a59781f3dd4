import { and, eq, sql } from "drizzle-orm";
import { now } from "@/lib/clock";
import type { SessionUser } from "@/lib/auth/users";
import { getDb } from "@/lib/db/client";
import { erasures, leadProposals, leads, submissions } from "@/lib/db/schema";
import { removeObjects, type StoredObject } from "@/lib/photos/storage";
import { type AdminLead, toAdminLead } from "./admin";
import { invalidateLeadLists } from "./cache";
import { csvCell } from "./export";
import { type TimelineEntry, timelineOf } from "./history";
import { visibleLead } from "./visible-lead";

/** Everything the portal holds about one person: the lead, every submission, the whole history. */
export interface PersonData {
  lead: AdminLead;
  submissions: Record<string, unknown>[];
  history: TimelineEntry[];
  proposals: Record<string, unknown>[];
}

/** A lead's whole history, every page of it, newest first. */
async function wholeHistory(companyId: string, leadId: string): Promise<TimelineEntry[]> {
  const entries: TimelineEntry[] = [];
  let before: number | undefined;
  for (;;) {
    const page = await timelineOf(companyId, leadId, { before, limit: 500 });
    entries.push(...page.entries);
    if (page.next === null) return entries;
    before = page.next;
  }
}

/** The person's data as JSON, for an export or a request to see it. */
export async function personData(user: SessionUser, leadId: string): Promise<PersonData> {
  const lead = await visibleLead(user, leadId);
  const db = await getDb();
  const [kept, proposals, history] = await Promise.all([
    db.select().from(submissions).where(eq(submissions.leadId, leadId)).orderBy(submissions.receivedAt),
    db.select().from(leadProposals).where(eq(leadProposals.leadId, leadId)).orderBy(leadProposals.id),
    wholeHistory(user.companyId, leadId),
  ]);
  return {
    lead: toAdminLead(lead),
    // Who sent it is kept only as a keyed hash, which says nothing to anyone else.
    submissions: kept.map(({ clientHash: _hash, ...row }) => row),
    history,
    proposals,
  };
}

const HISTORY_COLUMNS = ["at", "kind", "by", "field", "before", "after", "note"] as const;

const text = (value: unknown) =>
  value === null || value === undefined
    ? ""
    : typeof value === "string"
      ? value
      : Array.isArray(value)
        ? value.join(", ")
        : JSON.stringify(value);

/** A lead's history as CSV: one row per changed field, note, decision or submitted field. */
export async function historyCsv(user: SessionUser, leadId: string): Promise<string> {
  await visibleLead(user, leadId);
  const rows: string[][] = [];
  for (const entry of await wholeHistory(user.companyId, leadId)) {
    const who = entry.actor ?? "visitor";
    const row = (field: string, before: unknown, after: unknown, note = "") =>
      rows.push([entry.at, entry.kind, who, field, text(before), text(after), note]);
    if (entry.note !== null) row("", null, null, entry.note);
    if (entry.decision) {
      row(
        entry.decision.field,
        null,
        entry.decision.value,
        entry.decision.accepted ? "accepted" : "dismissed",
      );
    }
    for (const [field, [before, after]] of Object.entries(entry.changes)) row(field, before, after);
    for (const [field, value] of Object.entries(entry.proposed)) row(field, null, value, "proposed");
    if (entry.submission) {
      for (const [field, value] of Object.entries(entry.submission.fields))
        row(field, null, value, "submitted");
    }
  }
  return [HISTORY_COLUMNS, ...rows].map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

/**
 * Erases a person: the lead, its submissions (and the spam, held or refused ones that gave its
 * email or phone) and their photos (lib/photos: rows, blobs and files), its history and proposed changes, and the outbox items about it (webhook
 * payloads not yet delivered, and the delivery log's copies). An audit entry says how many of each
 * went, and who asked; nothing about whom.
 */
export async function erasePerson(user: SessionUser, leadId: string): Promise<Record<string, number>> {
  const lead = await visibleLead(user, leadId);
  const db = await getDb();
  let outside: StoredObject[] = [];
  const counts = await db.transaction(async (tx) => {
    const { rows } = (await tx.execute(sql`
      with target as (
        select id, email_lc, phone_digits from leads where id = ${leadId} and company_id = ${user.companyId}
      ), gone_submissions as (
        delete from submissions s using target t
        where s.company_id = ${user.companyId} and (
          s.lead_id = t.id
          or (s.lead_id is null and t.email_lc is not null and lower(s.fields->>'email') = t.email_lc)
          or (s.lead_id is null and t.phone_digits is not null
            and length(regexp_replace(s.fields->>'phone', '\\D', '', 'g')) >= 7
            and right(t.phone_digits, length(regexp_replace(s.fields->>'phone', '\\D', '', 'g')))
              = regexp_replace(s.fields->>'phone', '\\D', '', 'g'))
        )
        returning s.id
      ), gone_photos as (
        delete from photos p
        where p.company_id = ${user.companyId} and p.submission_id in (select id from gone_submissions)
        returning p.storage, p.location
      ), gone_outbox as (
        delete from outbox o
        where o.company_id = ${user.companyId}
          and (o.lead_id = ${leadId} or o.submission_id in (select id from gone_submissions))
        returning o.id
      )
      select
        (select count(*) from gone_submissions)::integer as submissions,
        (select count(*) from gone_photos)::integer as photos,
        (select coalesce(json_agg(json_build_object('storage', storage, 'location', location)), '[]')
          from gone_photos where storage <> 'db') as photo_objects,
        (select count(*) from gone_outbox)::integer as outbox,
        (select count(*) from lead_history where lead_id = ${leadId})::integer as history,
        (select count(*) from lead_proposals where lead_id = ${leadId})::integer as proposals
    `)) as unknown as { rows: ({ photo_objects: StoredObject[] | string } & Record<string, number>)[] };
    // Merges keep the rows of the leads that joined this one (lib/leads/merge.ts), and those of the
    // leads that had joined them: every one of that chain goes, and one this lead was merged into.
    const { rows: merges } = (await tx.execute(sql`
      with recursive chain(id, merged_id) as (
        select id, merged_id from lead_merges
        where company_id = ${user.companyId} and (survivor_id = ${leadId} or merged_id = ${leadId})
        union
        select m.id, m.merged_id from lead_merges m join chain c on m.survivor_id = c.merged_id
        where m.company_id = ${user.companyId}
      )
      delete from lead_merges where id in (select id from chain) returning id`)) as unknown as {
      rows: unknown[];
    };
    // The history and proposed changes go with the lead (their foreign keys cascade).
    await tx.delete(leads).where(and(eq(leads.id, lead.id), eq(leads.companyId, user.companyId)));
    const { photo_objects: objects, photos, ...gone } = rows[0]!;
    // Bytes kept outside the database go once the rows are gone for good (after the commit).
    outside = typeof objects === "string" ? (JSON.parse(objects) as StoredObject[]) : objects;
    const counted = {
      leads: 1,
      ...gone,
      ...(photos ? { photos } : {}),
      ...(merges.length > 0 ? { merges: merges.length } : {}),
    };
    await tx
      .insert(erasures)
      .values({ companyId: user.companyId, at: now(), userId: user.id, counts: counted });
    return counted;
  });
  await removeObjects(outside);
  await invalidateLeadLists(user.companyId);
  return counts;
}
