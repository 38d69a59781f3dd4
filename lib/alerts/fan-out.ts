import { and, eq, inArray, sql } from "drizzle-orm";
import { now } from "@/lib/clock";
import { inQuietHours, localParts, nextLocalTime } from "@/lib/company/hours";
import { type CompanyProfile, companyProfile, portalOrigin } from "@/lib/company/profile";
import { getDb } from "@/lib/db/client";
import { forms, leads, type OutboxRow, pushSubscriptions, submissions, users } from "@/lib/db/schema";
import { toE164 } from "@/lib/leads/phone";
import { fieldText, withKnownNames } from "@/lib/forms/aliases";
import { parseAutoReply, replyEmail, replySms, replyText } from "./auto-reply";
import { mailTransport } from "./mail";
import { alertEmail, alertFacts, alertPush, alertSms } from "./message";
import { type AlertPreferences, parsePreferences, wantsLead } from "./preferences";
import { smsEnabled, optedOut } from "./sms";

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

/** Queues messages, each once per key ever; answers how many are new. */
export async function queueMessages(companyId: string, messages: QueuedMessage[]): Promise<number> {
  if (messages.length === 0) return 0;
  const db = await getDb();
  const at = now().toISOString();
  const rows = messages.map((m) => ({
    kind: m.kind,
    key: m.key,
    payload: m.payload,
    user: m.userId,
    lead: m.leadId,
    at: (m.at ?? now()).toISOString(),
  }));
  const { rows: inserted } = (await db.execute(sql`
    insert into outbox (company_id, kind, sequence, payload, user_id, lead_id, dedupe_key, next_attempt_at, created_at)
    select ${companyId}::uuid, r.kind, r.key, r.payload, r.user::uuid, r.lead, r.key, r.at::timestamptz, ${at}::timestamptz
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as r(kind text, key text, payload jsonb, "user" text, lead text, at text)
    on conflict (dedupe_key) where dedupe_key is not null do nothing
    returning id`)) as unknown as { rows: unknown[] };
  return inserted.length;
}

/** What a submission says of its person, standing in for a lead this database does not hold. */
function leadOfSubmission(id: string, fields: unknown) {
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

interface Staff {
  id: string;
  role: "admin" | "member";
  email: string;
  prefs: AlertPreferences;
}

async function companyStaff(companyId: string): Promise<Staff[]> {
  const db = await getDb();
  const rows = await db
    .select({ id: users.id, role: users.role, email: users.email, alerts: users.alerts })
    .from(users)
    .where(eq(users.companyId, companyId));
  return rows.map((r) => ({ id: r.id, role: r.role, email: r.email, prefs: parsePreferences(r.alerts) }));
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

/** Handles one alert item: queues what it causes, and answers how many messages that was. */
export async function fanOutAlert(item: OutboxRow): Promise<number> {
  const db = await getDb();
  const leadId = item.leadId!;
  const [local] = /^[0-9a-f-]{36}$/i.test(leadId)
    ? await db
        .select()
        .from(leads)
        .where(and(eq(leads.id, leadId), eq(leads.companyId, item.companyId)))
    : [];
  const [submission] = item.submissionId
    ? await db.select().from(submissions).where(eq(submissions.id, item.submissionId))
    : [];
  // A lead of Rotor's (upstream mode) is known here by its submission; an erased one, with its
  // submissions, not at all, and has nothing to alert about.
  const lead = local ?? (submission ? leadOfSubmission(leadId, submission.fields) : null);
  if (!lead) return 0;
  const [form] = submission?.formId
    ? await db.select().from(forms).where(eq(forms.id, submission.formId))
    : [];
  const profile = await companyProfile(item.companyId);
  const origin = portalOrigin(profile);
  const at = now();
  const fields = (submission?.fields as Record<string, unknown> | undefined) ?? null;
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

  const staff = (await companyStaff(item.companyId)).filter((s) =>
    wantsLead(s.prefs, s, { assignedTo: lead.assignedTo, formId: form?.id ?? null }),
  );
  const devices =
    staff.length > 0
      ? await db
          .select()
          .from(pushSubscriptions)
          .where(
            inArray(
              pushSubscriptions.userId,
              staff.filter((s) => s.prefs.push).map((s) => s.id),
            ),
          )
      : [];
  for (const person of staff) {
    if (person.prefs.quiet && inQuietHours(person.prefs.quiet, profile.timeZone, at)) {
      if (person.prefs.digest)
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
    for (const device of devices.filter((d) => d.userId === person.id)) {
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
    if (reply.email && email && visitorEmail && visitorEmail.includes("@")) {
      messages.push({
        kind: "email",
        key: `reply:${submission.id}:email`,
        payload: { purpose: "reply", message: replyEmail(body, visitorEmail, profile) },
        userId: null,
        leadId: lead.id,
      });
    }
    const visitorPhone = fieldText(sent.phone) ? toE164(fieldText(sent.phone)!) : null;
    const consentAsked = Boolean((form.settings as { consent?: unknown } | null)?.consent);
    const consented = !consentAsked || Boolean(fieldText(sent.consent));
    if (
      reply.sms &&
      sms &&
      visitorPhone &&
      consented &&
      !(await optedOut(item.companyId, visitorPhone.split(";")[0]!))
    ) {
      messages.push({
        kind: "sms",
        key: `reply:${submission.id}:sms`,
        payload: { purpose: "reply", to: visitorPhone.split(";")[0], body: replySms(body, profile) },
        userId: null,
        leadId: lead.id,
      });
    }
  }
  return queueMessages(item.companyId, messages);
}
