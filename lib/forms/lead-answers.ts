import { and, desc, eq, isNotNull } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { forms, submissions } from "@/lib/db/schema";
import type { Answer } from "./answer-text";
import { storedAnswers } from "./answers";

/** The answers a lead's latest submission gave to its form's own questions, with the form and when. */
export interface LeadAnswers {
  form: string | null;
  receivedAt: Date;
  answers: Answer[];
}

/** The lead's latest answers, or null when none of its submissions had any. */
export async function latestAnswers(companyId: string, leadId: string): Promise<LeadAnswers | null> {
  const db = await getDb();
  const [row] = await db
    .select({ answers: submissions.answers, receivedAt: submissions.receivedAt, form: forms.title })
    .from(submissions)
    .leftJoin(forms, eq(forms.id, submissions.formId))
    .where(
      and(
        eq(submissions.companyId, companyId),
        eq(submissions.leadId, leadId),
        isNotNull(submissions.answers),
      ),
    )
    .orderBy(desc(submissions.receivedAt))
    .limit(1);
  if (!row) return null;
  const answers = storedAnswers(row.answers);
  return answers.length > 0 ? { form: row.form, receivedAt: row.receivedAt, answers } : null;
}
