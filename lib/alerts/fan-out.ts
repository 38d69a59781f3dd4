import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { now } from "@/lib/clock";
import { inQuietHours, localParts, nextLocalTime } from "@/lib/company/hours";
import { type CompanyProfile, portalOrigin, recentProfile } from "@/lib/company/profile";
import { getDb } from "@/lib/db/client";
import { outbox, type OutboxRow } from "@/lib/db/schema";
import { kv } from "@/lib/kv";
import { inHomeCountry, toE164 } from "@/lib/leads/phone";
import { fieldText, withKnownNames } from "@/lib/forms/aliases";
import { parseAutoReply, replyEmail, replySms, replyText } from "./auto-reply";
import { mailTransport } from "./mail";
import { alertEmail, alertFacts, alertPush, alertSms, type LeadLike } from "./message";
import { type AlertPreferences, wantsLead } from "./preferences";
import { optedOut, smsEnabled } from "./sms";
import { alertStaff } from "./staff";

/**
 * A lead's alert (queued by lead_upsert in the submission's own transaction) becomes the messages
 * it causes: for each member of staff who should hear of it, an email, a text and a push to each of
 * their devices, as they chose; and the visitor's auto-reply. Each message is an outbox item of its
 * own, retried on its own, and keyed by the alert, the person and the channel, so that an alert
 * handled twice (a worker that died after queueing) sends nothing twice. Someone in their quiet
 * hours gets the morning digest instead (lib/alerts/digest.ts).
 */

export interface QueuedMessage {
  kind: "email" | "sms" | "push" | "digest";
  key: string;
  payload: Record<string, unknown>;
  userId: string | null;
  leadId: string | null;
  at?: Date;
}

/**
 * Queues messages, each once per key ever; answers those that are new. With `claimUntil`, those due
 * now are queued already held by the caller until then (their first attempt counted), for it to send
 * at once without another worker taking them first.
 */
export async function queueMessages(
  companyId: string,
  messages: QueuedMessage[],
  claimUntil?: Date,
): Promise<OutboxRow[]> {
  if (messages.length === 0) return [];
  const db = await getDb();
  const at = now();
  return db
    .insert(outbox)
    .values(
      messages.map((m) => {
        const due = !m.at || m.at <= at;
        return {
          companyId,
          kind: m.kind,
          sequence: m.key,
          dedupeKey: m.key,
          payload: m.payload,
          userId: m.userId,
          leadId: m.leadId,
          nextAttemptAt: m.at ?? at,
          createdAt: at,
          ...(claimUntil && due ? { lockedUntil: claimUntil, attempts: 1 } : {}),
        };
      }),
    )
    .onConflictDoNothing({ target: outbox.dedupeKey, where: sql`dedupe_key is not null` })
    .returning();
}

type AlertLead = LeadLike & { assignedTo: string | null };

/** What a submission says of its person, standing in for a lead this database does not hold. */
function leadOfSubmission(id: string, fields: unknown): AlertLead {
  const sent = withKnownNames((fields ?? {}) as Record<string, unknown>);
  const text = (name: string) => fieldText(sent[name])?.trim() || null;
  const phone = text("phone");
  return {
    id,
    name: text("name"),
    phone: phone ? toE164(phone) : null,
    serviceType: text("service_type"),
    addressCity: text("address_city"),
    notes: text("notes"),
    assignedTo: null,
  };
}

interface AlertContext {
  lead: AlertLead | null;
  submission: { id: string; fields: Record<string, unknown> } | null;
  form: { id: string; title: string; autoReply: unknown; consentAsked: boolean } | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface ContextRow {
  lead_id: string | null;
  name: string | null;
  phone: string | null;
  service_type: string | null;
  address_city: string | null;
  notes: string | null;
  assigned_to: string | null;
  submission_id: string | null;
  fields: Record<string, unknown> | null;
  form_id: string | null;
  form_title: string | null;
  auto_reply: unknown;
  consent_asked: boolean | null;
}

/** The alert's lead, submission and form, in one round trip. */
async function alertContext(item: OutboxRow): Promise<AlertContext> {
  const db = await getDb();
  const leadId = item.leadId && UUID.test(item.leadId) ? item.leadId : null;
  const { rows } = (await db.execute(sql`
    select l.id as lead_id, l.name, l.phone, l.service_type, l.address_city, l.notes, l.assigned_to,
      s.id as submission_id, s.fields, f.id as form_id, f.title as form_title, f.auto_reply,
      coalesce(f.settings->'consent', 'null') <> 'null' as consent_asked
    from (select 1) as one
    left join leads l on l.id = ${leadId}::uuid and l.company_id = ${item.companyId}
    left join submissions s on s.id = ${item.submissionId}::uuid
    left join forms f on f.id = s.form_id`)) as unknown as { rows: ContextRow[] };
  const row = rows[0]!;
  const submission = row.submission_id ? { id: row.submission_id, fields: row.fields ?? {} } : null;
  // A lead of Rotor's (upstream mode) is known here by its submission; an erased one, with its
  // submissions, not at all, and has nothing to alert about.
  const lead: AlertLead | null = row.lead_id
    ? {
        id: row.lead_id,
        name: row.name,
        phone: row.phone,
        serviceType: row.service_type,
        addressCity: row.address_city,
        notes: row.notes,
        assignedTo: row.assigned_to,
      }
    : submission && item.leadId
      ? leadOfSubmission(item.leadId, submission.fields)
      : null;
  const form = row.form_id
    ? {
        id: row.form_id,
        title: row.form_title ?? "",
        autoReply: row.auto_reply,
        consentAsked: Boolean(row.consent_asked),
      }
    : null;
  return { lead, submission, form };
}

/**
 * Auto-replies a day to one address or number: a form is public, and anyone may type someone
 * else's address into it (or a thousand numbers, to run up the business's texting bill).
 */
export const REPLIES_PER_DAY = 3;

async function withinReplyLimit(companyId: string, channel: "email" | "sms", to: string): Promise<boolean> {
  // Keyed by a digest: the KV store holds no one's address.
  const who = createHash("sha256").update(`${companyId} ${channel} ${to}`).digest("base64url");
  return (await kv().incr(`reply:${who}`, 86_400)) <= REPLIES_PER_DAY;
}

/** When someone in quiet hours hears of what they missed: the end of those hours. */
export function digestTime(prefs: AlertPreferences, profile: CompanyProfile, after: Date): Date {
  return nextLocalTime(prefs.quiet?.to ?? prefs.digestAt, profile.timeZone, after);
}

export function digestMessage(user: { id: string }, profile: CompanyProfile, at: Date): QueuedMessage {
  return {
    kind: "digest",
    key: `digest:${user.id}:${localParts(at, profile.timeZone).date}`,
    payload: {},
    userId: user.id,
    leadId: null,
    at,
  };
}

/**
 * Handles one alert item: queues what it causes, and answers those messages (held for the caller
 * until `claimUntil`, to send at once).
 */
export async function fanOutAlert(item: OutboxRow, claimUntil?: Date): Promise<OutboxRow[]> {
  const [{ lead, submission, form }, profile, everyone] = await Promise.all([
    alertContext(item),
    recentProfile(item.companyId),
    alertStaff(item.companyId),
  ]);
  if (!lead) return [];
  const origin = portalOrigin(profile);
  const at = now();
  const fields = submission?.fields ?? null;
  const facts = alertFacts({
    lead,
    submissionFields: fields,
    created: item.event === "lead.created",
    form: form?.title ?? null,
    profile,
    origin,
  });
  const messages: QueuedMessage[] = [];
  const alertKey = item.dedupeKey ?? `alert:${item.id}`;
  const email = mailTransport() !== null;
  const sms = smsEnabled();

  const staff = everyone.filter((s) =>
    wantsLead(s.prefs, s, { assignedTo: lead.assignedTo, formId: form?.id ?? null }),
  );
  for (const person of staff) {
    // Quiet hours: nothing now, and what came in waits for the digest at their end.
    if (person.prefs.quiet && inQuietHours(person.prefs.quiet, profile.timeZone, at)) {
      messages.push(digestMessage(person, profile, digestTime(person.prefs, profile, at)));
      continue;
    }
    const base = { userId: person.id, leadId: lead.id };
    if (email && person.prefs.email) {
      messages.push({
        kind: "email",
        key: `${alertKey}:email:${person.id}`,
        payload: { purpose: "alert", message: alertEmail(facts, person.email) },
        ...base,
      });
    }
    if (sms && person.prefs.sms && person.prefs.smsPhone) {
      messages.push({
        kind: "sms",
        key: `${alertKey}:sms:${person.id}`,
        payload: { purpose: "alert", to: person.prefs.smsPhone, body: alertSms(facts) },
        ...base,
      });
    }
    for (const device of person.prefs.push ? person.devices : []) {
      messages.push({
        kind: "push",
        key: `${alertKey}:push:${device.id}`,
        payload: { purpose: "alert", endpoint: device.endpoint, origin, notification: alertPush(facts) },
        ...base,
      });
    }
  }

  const reply = submission && form ? parseAutoReply(form.autoReply) : null;
  if (reply && fields && submission && form) {
    const sent = withKnownNames(fields);
    const body = replyText(reply.template, fields, profile, at);
    const visitorEmail = fieldText(sent.email)?.trim();
    if (
      reply.email &&
      email &&
      visitorEmail?.includes("@") &&
      (await withinReplyLimit(item.companyId, "email", visitorEmail.toLowerCase()))
    ) {
      messages.push({
        kind: "email",
        key: `reply:${submission.id}:email`,
        payload: { purpose: "reply", message: replyEmail(body, visitorEmail, profile) },
        userId: null,
        leadId: lead.id,
      });
    }
    const typedPhone = fieldText(sent.phone);
    const visitorPhone = typedPhone ? toE164(typedPhone)?.split(";")[0] : undefined;
    const consented = !form.consentAsked || Boolean(fieldText(sent.consent));
    if (
      reply.sms &&
      sms &&
      visitorPhone &&
      consented &&
      inHomeCountry(visitorPhone) &&
      !(await optedOut(item.companyId, visitorPhone)) &&
      (await withinReplyLimit(item.companyId, "sms", visitorPhone))
    ) {
      messages.push({
        kind: "sms",
        key: `reply:${submission.id}:sms`,
        payload: { purpose: "reply", to: visitorPhone, body: replySms(body, profile) },
        userId: null,
        leadId: lead.id,
      });
    }
  }
  return queueMessages(item.companyId, messages, claimUntil);
}
