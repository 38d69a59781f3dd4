import { and, eq, gte, inArray, isNotNull, sql } from "drizzle-orm";
import { now } from "@/lib/clock";
import { localParts } from "@/lib/company/hours";
import { recentProfile } from "@/lib/company/profile";
import { getDb } from "@/lib/db/client";
import { forms, formStats, type SubmissionStatus, submissions } from "@/lib/db/schema";
import { readLimitedText } from "@/lib/http/body";
import { cleanUrl, PAGE_FIELD } from "./context";
import { portalHost } from "./http";
import type { Form } from "./repository";

/**
 * How each form converts, per day in the company's time zone, per source (the host of the page
 * the form sat on, or "direct") and per campaign (utm_campaign): views of its page and starts (the
 * first input, reported by the page's script) are counted, as counters only (no cookie, no
 * address, no user agent is kept; counting never fails the visitor's request); accepted
 * submissions and spam are read from the submissions themselves, which are all kept, so the
 * intake writes nothing more for them.
 */
export type FormEvent = "views" | "starts";

/** The source of a visit opened at the form's own address, or of a post without a page. */
export const DIRECT = "direct";

/**
 * User agents that are not people: crawlers, link previews, audits and scripts. Headless Chrome is
 * among them, so a browser test that means to be counted sets an ordinary user agent.
 */
const NOT_A_PERSON =
  /bot|crawl|spider|slurp|facebookexternalhit|embedly|preview|lighthouse|headlesschrome|phantomjs|curl|wget|python|go-http-client|java\/|okhttp|axios|node-fetch|undici|^node$/i;

/** Whether a request is a person's view of the page: a browser's user agent, and no prefetch. */
export function isPersonsView(req: Request): boolean {
  const agent = req.headers.get("user-agent")?.trim() ?? "";
  if (agent === "" || NOT_A_PERSON.test(agent)) return false;
  const purpose = `${req.headers.get("sec-purpose") ?? ""} ${req.headers.get("purpose") ?? ""} ${req.headers.get("x-purpose") ?? ""} ${req.headers.get("x-moz") ?? ""}`;
  return !/prefetch|prerender|preview/i.test(purpose);
}

/** Where a visit came from, by the page the form sat on: its host, or "direct" for the portal's own. */
export function visitSource(page: string | null | undefined, req: Request): string {
  const url = cleanUrl(page);
  if (!url) return DIRECT;
  const host = new URL(url).host;
  return host === portalHost(req) ? DIRECT : host.slice(0, 200);
}

/** The page's utm_campaign, or "" when it has none. */
export function pageCampaign(page: string | null | undefined): string {
  const url = cleanUrl(page);
  return (url ? new URL(url).searchParams.get("utm_campaign")?.trim().slice(0, 200) : undefined) ?? "";
}

/** The calendar day (YYYY-MM-DD) in the time zone at the given instant. */
export function dayIn(timeZone: string, at: Date): string {
  return localParts(at, timeZone).date;
}

/** Adds one to the form's counter for today, this source and this campaign: one statement. */
export async function countFormEvent(
  form: Pick<Form, "id" | "companyId">,
  event: FormEvent,
  where: { source: string; campaign: string },
): Promise<void> {
  try {
    const day = dayIn((await recentProfile(form.companyId)).timeZone, now());
    const column = sql.identifier(event);
    const db = await getDb();
    await db.execute(sql`
      insert into form_stats (form_id, day, source, campaign, ${column})
      values (${form.id}, ${day}, ${where.source}, ${where.campaign}, 1)
      on conflict (form_id, day, source, campaign) do update set ${column} = form_stats.${column} + 1
    `);
  } catch (error) {
    // The visitor's request goes on; the log names the form and the kind of failure, nothing of the visitor.
    const code = (error as { code?: unknown } | null)?.code;
    console.error(
      `[form-stats] a ${event} event of form ${form.id} was not counted (${String(code ?? "error")})`,
    );
  }
}

/** A view of the form's page, when it is a person's: by the page the form sits on. */
export function countView(form: Form, req: Request, page: string | undefined): Promise<void> {
  if (!isPersonsView(req)) return Promise.resolve();
  return countFormEvent(form, "views", { source: visitSource(page, req), campaign: pageCampaign(page) });
}

export interface Figures {
  views: number;
  starts: number;
  submits: number;
  spam: number;
}

export interface FormFigures extends Figures {
  formId: string;
  bySource: (Figures & { source: string })[];
  byCampaign: (Figures & { campaign: string })[];
  /** The days with anything counted, newest first (YYYY-MM-DD in the company's time zone). */
  byDay: (Figures & { day: string })[];
}

export const STATS_DAYS = 30;

const zero = (): Figures => ({ views: 0, starts: 0, submits: 0, spam: 0 });

/** A form with nothing counted. */
export const NO_FIGURES: FormFigures = { formId: "", ...zero(), bySource: [], byCampaign: [], byDay: [] };

function add(into: Figures, row: Figures): void {
  into.views += row.views;
  into.starts += row.starts;
  into.submits += row.submits;
  into.spam += row.spam;
}

/** Submitted ÷ views, or null with no view to divide by. */
export function conversion(figures: Figures): number | null {
  return figures.views === 0 ? null : figures.submits / figures.views;
}

/** The first day of the last `days` days (today included) in the company's time zone. */
async function firstDay(companyId: string, days: number): Promise<string> {
  const today = dayIn((await recentProfile(companyId)).timeZone, now());
  const start = new Date(`${today}T00:00:00Z`);
  start.setUTCDate(start.getUTCDate() - (days - 1));
  return start.toISOString().slice(0, 10);
}

/** Submissions the figures count as submitted: accepted, spam and refused ones aside. */
const SUBMITTED: SubmissionStatus[] = ["lead", "attached", "held", "queued"];

/**
 * Each of the company's forms' figures over the last STATS_DAYS days, with the same figures by
 * source and by campaign (most viewed first) and by day (newest first); a form with nothing
 * counted has none. `portal`: the portal's host as the admin reached it, whose pages are "direct".
 */
export async function companyFormFigures(
  companyId: string,
  portal: string,
): Promise<Map<string, FormFigures>> {
  const { timeZone } = await recentProfile(companyId);
  const since = await firstDay(companyId, STATS_DAYS);
  const db = await getDb();
  const counted = db
    .select({
      formId: formStats.formId,
      day: sql<string>`${formStats.day}::text`,
      source: formStats.source,
      campaign: formStats.campaign,
      views: sql<number>`sum(${formStats.views})::int`,
      starts: sql<number>`sum(${formStats.starts})::int`,
      submits: sql<number>`0`,
      spam: sql<number>`0`,
    })
    .from(formStats)
    .innerJoin(forms, eq(forms.id, formStats.formId))
    .where(and(eq(forms.companyId, companyId), gte(formStats.day, since)))
    .groupBy(formStats.formId, formStats.day, formStats.source, formStats.campaign);
  // The host of the page each was sent from, as the counters' source is (visitSource).
  const host = sql<string>`coalesce(lower(substring(${submissions.page} from '^https?://([^/?#]+)')), '')`;
  const sent = db
    .select({
      formId: sql<string>`${submissions.formId}`,
      day: sql<string>`(${submissions.receivedAt} at time zone ${timeZone})::date::text`,
      host,
      campaign: sql<string>`coalesce(${submissions.utmCampaign}, '')`,
      submits: sql<number>`(count(*) filter (where ${inArray(submissions.status, SUBMITTED)}))::int`,
      spam: sql<number>`(count(*) filter (where ${submissions.status} = 'spam'))::int`,
    })
    .from(submissions)
    .where(
      and(
        eq(submissions.companyId, companyId),
        isNotNull(submissions.formId),
        gte(submissions.receivedAt, sql`(${since}::date)::timestamp at time zone ${timeZone}`),
      ),
    )
    .groupBy(sql`1, 2, 3, 4`);
  const [countedRows, sentRows] = await Promise.all([counted, sent]);
  const rows = [
    ...countedRows,
    ...sentRows.map((r) => ({
      ...r,
      source: r.host === "" || r.host === portal.toLowerCase() ? DIRECT : r.host.slice(0, 200),
      views: 0,
      starts: 0,
    })),
  ];
  const byForm = new Map<string, FormFigures>();
  for (const row of rows) {
    let figures = byForm.get(row.formId);
    if (!figures)
      byForm.set(
        row.formId,
        (figures = { formId: row.formId, ...zero(), bySource: [], byCampaign: [], byDay: [] }),
      );
    add(figures, row);
    let source = figures.bySource.find((s) => s.source === row.source);
    if (!source) figures.bySource.push((source = { source: row.source, ...zero() }));
    add(source, row);
    let campaign = figures.byCampaign.find((c) => c.campaign === row.campaign);
    if (!campaign) figures.byCampaign.push((campaign = { campaign: row.campaign, ...zero() }));
    add(campaign, row);
    let day = figures.byDay.find((d) => d.day === row.day);
    if (!day) figures.byDay.push((day = { day: row.day, ...zero() }));
    add(day, row);
  }
  const order = (a: Figures, b: Figures) => b.views - a.views || b.submits - a.submits;
  for (const figures of byForm.values()) {
    figures.bySource.sort((a, b) => order(a, b) || a.source.localeCompare(b.source));
    figures.byCampaign.sort((a, b) => order(a, b) || a.campaign.localeCompare(b.campaign));
    figures.byDay.sort((a, b) => b.day.localeCompare(a.day));
  }
  return byForm;
}

/**
 * A start: the page's script reports the visitor's first input (POST /api/intake/{slug}?event=start,
 * url-encoded, with the page the form sits on as _page).
 */
export async function countStart(form: Form, req: Request): Promise<void> {
  if (!isPersonsView(req)) return;
  let page: string | undefined;
  try {
    page = new URLSearchParams(await readLimitedText(req, 4096)).get(PAGE_FIELD) ?? undefined;
  } catch {
    page = undefined;
  }
  await countFormEvent(form, "starts", { source: visitSource(page, req), campaign: pageCampaign(page) });
}
