import { and, asc, desc, eq, isNull, lte, type SQL, sql } from "drizzle-orm";
import type { SessionUser } from "@/lib/auth/users";
import { now } from "@/lib/clock";
import { endOfLocalDay, localParts, zonedTime } from "@/lib/company/hours";
import { getDb } from "@/lib/db/client";
import { leadHistory, leads, submissions } from "@/lib/db/schema";
import { fieldText, withKnownNames } from "@/lib/forms/aliases";
import { invalidateLeadLists } from "./cache";
import { staffActor } from "./actor";
import type { ListScope } from "./list";
import { inOpenStage } from "./pipeline";
import { visibleLead } from "./visible-lead";

/**
 * Speed to lead: when staff first answered each lead. "Mark contacted" records it, and so do a
 * stage change (lead_upsert) and a note by staff; the dashboard shows how fast that was.
 */

/** Records that the user answered the lead: the first time, it is the lead's first response. */
export async function markContacted(user: SessionUser, leadId: string): Promise<{ firstResponseAt: Date }> {
  await visibleLead(user, leadId);
  const db = await getDb();
  const at = now();
  const actor = staffActor(user);
  const [row] = await db
    .update(leads)
    .set({
      firstResponseAt: sql`coalesce(${leads.firstResponseAt}, ${at.toISOString()}::timestamptz)`,
      firstResponseBy: sql`coalesce(${leads.firstResponseBy}, ${user.id}::uuid)`,
    })
    .where(eq(leads.id, leadId))
    .returning({ firstResponseAt: leads.firstResponseAt });
  await db.insert(leadHistory).values({
    companyId: user.companyId,
    leadId,
    at,
    kind: "contacted",
    actorUserId: user.id,
    actorName: actor.kind === "staff" ? actor.name : null,
    data: { first: row!.firstResponseAt!.getTime() === at.getTime() },
  });
  await invalidateLeadLists(user.companyId);
  return { firstResponseAt: row!.firstResponseAt! };
}

/** A note by staff answers a lead that nobody had answered yet. */
export async function noteResponse(user: SessionUser, leadId: string): Promise<void> {
  const db = await getDb();
  await db
    .update(leads)
    .set({ firstResponseAt: now(), firstResponseBy: user.id })
    .where(and(eq(leads.id, leadId), isNull(leads.firstResponseAt)));
}

export interface ResponseWeek {
  /** Leads of the week that were answered, and how fast (minutes), or null with none. */
  answered: number;
  medianMinutes: number | null;
  p90Minutes: number | null;
}

export interface WaitingLead {
  id: string;
  name: string | null;
  createdAt: Date;
}

export interface ResponseStats {
  thisWeek: ResponseWeek;
  lastWeek: ResponseWeek;
  /**
   * Open leads of the last two weeks nobody has answered for over an hour, oldest first (the first
   * 10), and how many. (Older ones are no longer a race to call back, and leads from before first
   * responses were recorded would all be there.)
   */
  waiting: WaitingLead[];
  waitingCount: number;
}

const WAIT_MS = 3_600_000;
const WAITING_WINDOW_MS = 14 * 86_400_000;

/** The start of this week (Monday 00:00) in the business's time zone, and of the one before. */
function weekStarts(timeZone: string, at: Date): [Date, Date] {
  const { date, weekday } = localParts(at, timeZone);
  const day = (offset: number) =>
    new Date(Date.parse(`${date}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
  return [zonedTime(day(-weekday), 0, timeZone), zonedTime(day(-weekday - 7), 0, timeZone)];
}

export async function responseStats(scope: ListScope, timeZone: string): Promise<ResponseStats> {
  const db = await getDb();
  const at = now();
  const [thisStart, lastStart] = weekStarts(timeZone, at);
  const mine = scope.memberId ? sql`and assigned_to = ${scope.memberId}` : sql``;
  const { rows } = (await db.execute(sql`
    select case when created_at >= ${thisStart.toISOString()} then 'this' else 'last' end as week,
      count(*)::integer as answered,
      percentile_cont(0.5) within group (order by extract(epoch from first_response_at - created_at)) / 60 as median,
      percentile_cont(0.9) within group (order by extract(epoch from first_response_at - created_at)) / 60 as p90
    from leads
    where company_id = ${scope.companyId} ${mine}
      and created_at >= ${lastStart.toISOString()} and first_response_at is not null
    group by 1`)) as unknown as { rows: { week: string; answered: number; median: number; p90: number }[] };
  const week = (name: string): ResponseWeek => {
    const row = rows.find((r) => r.week === name);
    return row
      ? { answered: Number(row.answered), medianMinutes: Number(row.median), p90Minutes: Number(row.p90) }
      : { answered: 0, medianMinutes: null, p90Minutes: null };
  };
  const before = new Date(at.getTime() - WAIT_MS);
  const waitingWhere = and(
    eq(leads.companyId, scope.companyId),
    scope.memberId ? eq(leads.assignedTo, scope.memberId) : undefined,
    isNull(leads.firstResponseAt),
    eq(leads.archived, false),
    inOpenStage,
    sql`${leads.createdAt} < ${before.toISOString()}`,
    sql`${leads.createdAt} > ${new Date(at.getTime() - WAITING_WINDOW_MS).toISOString()}`,
  );
  const [waiting, [counted]] = await Promise.all([
    db
      .select({ id: leads.id, name: leads.name, createdAt: leads.createdAt })
      .from(leads)
      .where(waitingWhere)
      .orderBy(asc(leads.createdAt))
      .limit(10),
    db
      .select({ n: sql<number>`count(*)::integer` })
      .from(leads)
      .where(waitingWhere),
  ]);
  return { thisWeek: week("this"), lastWeek: week("last"), waiting, waitingCount: Number(counted?.n ?? 0) };
}

/**
 * What the person last asked, for the top of the lead page: the message of their latest
 * submission, under whichever name its form gave it (a returning customer's words stay in the
 * history, not in notes), else the notes.
 */
export async function latestMessage(lead: { id: string; notes: string | null }): Promise<string | null> {
  const db = await getDb();
  const [latest] = await db
    .select({ fields: submissions.fields })
    .from(submissions)
    .where(eq(submissions.leadId, lead.id))
    .orderBy(desc(submissions.receivedAt))
    .limit(1);
  const sent = latest ? withKnownNames(latest.fields as Record<string, unknown>) : {};
  return fieldText(sent.notes)?.trim() || lead.notes;
}

export interface DueLead {
  id: string;
  name: string | null;
  phone: string | null;
  serviceType: string | null;
  stage: string | null;
  followUpDate: Date;
  createdAt: Date;
}

/** Until when a follow-up is due: the end of today in the business's time zone. */
export const dueBy = (timeZone: string, at: Date = now()): Date => endOfLocalDay(at, timeZone);

/** Leads in an open stage whose follow-up date is at or before `by` (see dueBy). */
export const followUpDue = (by: Date): SQL => and(inOpenStage, lte(leads.followUpDate, by))!;

/** Open leads whose follow-up date is today (in the business's time zone) or past, most overdue first. */
export async function dueFollowUps(scope: ListScope, timeZone: string, limit = 200): Promise<DueLead[]> {
  const db = await getDb();
  return db
    .select({
      id: leads.id,
      name: leads.name,
      phone: leads.phone,
      serviceType: leads.serviceType,
      stage: leads.stage,
      followUpDate: sql<Date>`${leads.followUpDate}`.mapWith(leads.followUpDate),
      createdAt: leads.createdAt,
    })
    .from(leads)
    .where(
      and(
        eq(leads.companyId, scope.companyId),
        scope.memberId
          ? sql`(${leads.assignedTo} = ${scope.memberId} or ${leads.createdBy} = ${scope.memberId})`
          : undefined,
        eq(leads.archived, false),
        followUpDue(dueBy(timeZone)),
      ),
    )
    .orderBy(asc(leads.followUpDate))
    .limit(limit);
}
