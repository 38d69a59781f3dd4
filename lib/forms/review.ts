import { and, desc, eq, inArray, lt, sql } from "drizzle-orm";
import { now } from "@/lib/clock";
import type { SessionUser } from "@/lib/auth/users";
import { getDb } from "@/lib/db/client";
import { forms, type SubmissionRow, submissions } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { fail } from "@/lib/errors";
import { toForm } from "./repository";
import { submitForm, submittedValues, validate } from "./submit";
import { keptAnswers, storedAnswers } from "./answers";
import type { SubmissionRecord } from "./submission-record";

/** What waits for staff's review: spam (with its reason) and submissions held past a form's budget. */
export type ReviewStatus = "spam" | "held";

export interface ReviewItem {
  id: string;
  formId: string | null;
  form: string | null;
  receivedAt: string;
  status: ReviewStatus;
  reason: string | null;
  fields: Record<string, unknown>;
  page: string | null;
}

const PAGE = 50;

/** A company's submissions of one review status, newest first, of one form or all; paged by time. */
export async function reviewList(
  companyId: string,
  options: { status: ReviewStatus; formId?: string; before?: string },
): Promise<{ items: ReviewItem[]; next: string | null }> {
  const db = await getDb();
  const rows = await db
    .select({ submission: submissions, form: forms.title })
    .from(submissions)
    .leftJoin(forms, eq(forms.id, submissions.formId))
    .where(
      and(
        eq(submissions.companyId, companyId),
        eq(submissions.status, options.status),
        options.formId ? eq(submissions.formId, options.formId) : undefined,
        options.before ? lt(submissions.receivedAt, new Date(options.before)) : undefined,
      ),
    )
    .orderBy(desc(submissions.receivedAt))
    .limit(PAGE + 1);
  const items = rows.slice(0, PAGE).map(({ submission: s, form }) => ({
    id: s.id,
    formId: s.formId,
    form,
    receivedAt: s.receivedAt.toISOString(),
    status: s.status as ReviewStatus,
    reason: s.spamReason,
    fields: s.fields as Record<string, unknown>,
    page: s.page,
  }));
  return { items, next: rows.length > PAGE ? items.at(-1)!.receivedAt : null };
}

/** How many submissions of each review status a company has waiting (the dashboard's figures). */
export async function reviewCounts(companyId: string): Promise<Record<ReviewStatus, number>> {
  const db = await getDb();
  const rows = await db
    .select({ status: submissions.status, n: sql<number>`count(*)::integer` })
    .from(submissions)
    .where(and(eq(submissions.companyId, companyId), inArray(submissions.status, ["spam", "held"])))
    .groupBy(submissions.status);
  const counts = { spam: 0, held: 0 };
  for (const row of rows) counts[row.status as ReviewStatus] = row.n;
  return counts;
}

function recordOf(row: SubmissionRow, user: SessionUser): SubmissionRecord & Record<string, unknown> {
  return {
    id: row.id,
    form_id: row.formId!,
    received_at: row.receivedAt.toISOString(),
    fields: row.fields as Record<string, unknown>,
    client_hash: row.clientHash ?? "",
    page: row.page,
    referrer: row.referrer,
    utm_source: row.utmSource,
    utm_medium: row.utmMedium,
    utm_campaign: row.utmCampaign,
    utm_term: row.utmTerm,
    utm_content: row.utmContent,
    click_ids: row.clickIds as Record<string, string> | null,
    // Kept as checked when it arrived: its webhook event carries them as any submission's does.
    answers: keptAnswers(storedAnswers(row.answers)),
    spam_reason: row.spamReason,
    reviewed_at: now().toISOString(),
    reviewed_by: user.id,
  };
}

/**
 * "Not spam", or a held submission let through: it goes to the store as if it had just arrived
 * (a new lead, or filling the person's lead), the same record now saying what became of it. One the
 * form's rules refuse is a 400 with the messages; one no longer waiting, a 409.
 */
export async function restoreSubmission(user: SessionUser, id: string): Promise<void> {
  const db = await getDb();
  const [row] = await db
    .select({ submission: submissions, form: forms })
    .from(submissions)
    .leftJoin(forms, eq(forms.id, submissions.formId))
    .where(and(eq(submissions.id, id), eq(submissions.companyId, user.companyId)))
    .limit(1);
  if (!row) throw fail.notFound();
  if (row.submission.status !== "spam" && row.submission.status !== "held") {
    throw fail.conflict("This submission is no longer waiting for review");
  }
  if (!row.form) throw fail.conflict("The form of this submission was deleted");
  const form = toForm(row.form);
  const fields = row.submission.fields as Record<string, unknown>;
  const { errors, input } = validate(form, submittedValues(form, fields), fields);
  if (!input) throw fail.validation(errors);
  await submitForm(form, fields, recordOf(row.submission, user), input);
}

/** Drops spam older than SPAM_RETENTION_DAYS; how many went. */
export async function purgeOldSpam(): Promise<number> {
  const db = await getDb();
  const cutoff = new Date(now().getTime() - env().SPAM_RETENTION_DAYS * 86_400_000);
  const gone = await db
    .delete(submissions)
    .where(and(eq(submissions.status, "spam"), lt(submissions.receivedAt, cutoff)))
    .returning({ id: submissions.id });
  return gone.length;
}
