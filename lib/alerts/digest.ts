import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { now } from "@/lib/clock";
import { type CompanyProfile, companyProfile, portalOrigin } from "@/lib/company/profile";
import { getDb } from "@/lib/db/client";
import { leads, type OutboxRow, users } from "@/lib/db/schema";
import { formatPhone } from "@/lib/leads/phone";
import { dueFollowUps } from "@/lib/leads/response";
import { digestMessage, digestTime, queueMessages } from "./fan-out";
import { type MailMessage, mailTransport } from "./mail";
import { escapeHtml } from "./message";
import { parsePreferences } from "./preferences";

/**
 * Each staff member's morning digest: the leads still waiting for an answer (those that came in
 * during their quiet hours among them) and the follow-ups due today or before. One outbox item per
 * person and day, queued ahead (scheduleDigests) and when an alert meets quiet hours.
 */

interface DigestLead {
  id: string;
  name: string | null;
  phone: string | null;
  serviceType: string | null;
  createdAt: Date;
  followUpDate: Date | null;
}

const LIMIT = 25;

/**
 * Queues the next digest (today's if still ahead, else tomorrow's) of every user who wants one and
 * can get it: email on, and email set up here.
 */
export async function scheduleDigests(): Promise<number> {
  if (mailTransport() === null) return 0;
  const db = await getDb();
  const rows = await db
    .select({ id: users.id, companyId: users.companyId, alerts: users.alerts })
    .from(users);
  const byCompany = new Map<string, typeof rows>();
  for (const row of rows) byCompany.set(row.companyId, [...(byCompany.get(row.companyId) ?? []), row]);
  let queued = 0;
  const at = now();
  for (const [companyId, people] of byCompany) {
    const profile = await companyProfile(companyId);
    const messages = people
      .map((person) => ({ person, prefs: parsePreferences(person.alerts) }))
      .filter(({ prefs }) => prefs.digest && prefs.email && prefs.scope !== "none")
      .map(({ person, prefs }) => digestMessage(person, profile, digestTime(prefs, profile, at)));
    queued += (await queueMessages(companyId, messages)).length;
  }
  return queued;
}

function digestEmail(
  to: string,
  profile: CompanyProfile,
  waiting: DigestLead[],
  due: DigestLead[],
  origin: string,
): MailMessage {
  const line = (l: DigestLead) =>
    [l.name ?? "(no name)", l.serviceType, l.phone ? formatPhone(l.phone) : null].filter(Boolean).join(" · ");
  const link = (l: DigestLead) => `${origin}/admin/leads/${l.id}`;
  const section = (title: string, list: DigestLead[]) =>
    list.length === 0
      ? { text: "", html: "" }
      : {
          text: `${title}\n${list.map((l) => `- ${line(l)}\n  ${link(l)}`).join("\n")}\n`,
          html: `<h2 style="font-size:16px">${escapeHtml(title)}</h2><ul>${list
            .map((l) => `<li><a href="${escapeHtml(link(l))}">${escapeHtml(line(l))}</a></li>`)
            .join("")}</ul>`,
        };
  const w = section(`Waiting for an answer (${waiting.length})`, waiting);
  const d = section(`Follow-ups due (${due.length})`, due);
  return {
    to,
    subject: `${profile.name}: ${waiting.length} waiting, ${due.length} follow-ups due`,
    text: `Good morning.\n\n${w.text}\n${d.text}\nAll leads: ${origin}/admin/leads`,
    html: `<div style="font-family:system-ui,sans-serif;max-width:560px"><p>Good morning.</p>${w.html}${d.html}<p><a href="${escapeHtml(`${origin}/admin/leads`)}">All leads</a></p></div>`,
  };
}

export type DigestOutcome = { sent: false } | { sent: true; message: MailMessage };

/** A digest item's message, or nothing to send (nothing waits, nothing is due, or no email). */
export async function composeDigest(item: OutboxRow): Promise<DigestOutcome> {
  const db = await getDb();
  const [user] = await db.select().from(users).where(eq(users.id, item.userId!));
  if (!user || mailTransport() === null) return { sent: false };
  const prefs = parsePreferences(user.alerts);
  // Quiet hours always end with one: what came in meanwhile was never sent.
  if (!(prefs.digest || prefs.quiet) || !prefs.email || prefs.scope === "none") return { sent: false };
  const profile = await companyProfile(item.companyId);
  const everyone = prefs.scope === "all" || (prefs.scope === "default" && user.role === "admin");
  const theirs = everyone ? sql`true` : eq(leads.assignedTo, user.id);
  const at = now();
  const columns = {
    id: leads.id,
    name: leads.name,
    phone: leads.phone,
    serviceType: leads.serviceType,
    createdAt: leads.createdAt,
    followUpDate: leads.followUpDate,
  };
  const waiting = await db
    .select(columns)
    .from(leads)
    .where(
      and(
        eq(leads.companyId, item.companyId),
        eq(leads.archived, false),
        isNull(leads.firstResponseAt),
        sql`${leads.createdAt} > ${new Date(at.getTime() - 7 * 86_400_000).toISOString()}`,
        theirs,
      ),
    )
    .orderBy(asc(leads.createdAt))
    .limit(LIMIT);
  // The Due view's own list (lib/leads/response.ts): their follow-ups, or everyone's.
  const due = await dueFollowUps(
    everyone ? { companyId: item.companyId } : { companyId: item.companyId, memberId: user.id },
    profile.timeZone,
    LIMIT,
  );
  if (waiting.length === 0 && due.length === 0) return { sent: false };
  return { sent: true, message: digestEmail(user.email, profile, waiting, due, portalOrigin(profile)) };
}
