import { and, desc, inArray, isNotNull, sql } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { type LeadRow, leads, submissions } from "@/lib/db/schema";
import { answerText } from "@/lib/forms/answer-text";
import { storedAnswers } from "@/lib/forms/answers";
import type { AdminListQuery } from "./admin-query";
import { type ListQuery, type ListScope, listConditions } from "./list";
import { triageConditions } from "./triage-list";
import { valueScore } from "./value-score";

const BATCH = 1000;

const iso = (date: Date | null) => (date ? date.toISOString() : "");

const COLUMNS: [string, (row: LeadRow) => string | number | boolean | null][] = [
  ["id", (r) => r.id],
  ["created_at", (r) => iso(r.createdAt)],
  ["name", (r) => r.name],
  ["email", (r) => r.email],
  ["phone", (r) => r.phone],
  ["address_street1", (r) => r.addressStreet1],
  ["address_street2", (r) => r.addressStreet2],
  ["address_city", (r) => r.addressCity],
  ["address_state", (r) => r.addressState],
  ["address_zip", (r) => r.addressZip],
  ["address_country", (r) => r.addressCountry],
  ["service_type", (r) => r.serviceType],
  ["source", (r) => r.source],
  ["stage", (r) => r.stage],
  ["priority", (r) => r.priority],
  ["projected_value", (r) => r.projectedValue],
  ["follow_up_date", (r) => iso(r.followUpDate)],
  ["notes", (r) => r.notes],
  ["tags", (r) => r.tags.join(", ")],
  ["archived", (r) => r.archived],
  ["assigned_to", (r) => r.assignedTo],
  ["value_score", (r) => valueScore(r)],
];

/**
 * The answers each lead's latest submission gave to its form's own questions, as one text
 * ("Storeys: 2; Gutters too?: Yes"), by lead id; leads without any are left out.
 */
async function answersOf(leadIds: string[]): Promise<Map<string, string>> {
  const db = await getDb();
  const rows = await db
    .selectDistinctOn([submissions.leadId], { leadId: submissions.leadId, answers: submissions.answers })
    .from(submissions)
    .where(and(inArray(submissions.leadId, leadIds), isNotNull(submissions.answers)))
    .orderBy(submissions.leadId, desc(submissions.receivedAt));
  return new Map(
    rows.map((row) => [
      row.leadId!,
      storedAnswers(row.answers)
        .map((a) => `${a.label}: ${answerText(a.value)}`)
        .join("; "),
    ]),
  );
}

/**
 * One CSV cell. A text starting with = + - @ (or a tab or carriage return) would run as a formula
 * in a spreadsheet, so it gets a leading apostrophe, which spreadsheets show as plain text.
 */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  // Quoted also when it holds a semicolon or a tab, which some spreadsheets split cells on.
  return /[",;\t\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const csvLine = (cells: (string | number | boolean | null)[]) => cells.map(csvCell).join(",") + "\r\n";

/**
 * Every lead matching a list query (all pages), newest first, as a stream of CSV; an admin list's
 * filters apply, its order does not. Read in batches
 * that each continue after the last lead of the one before (by created_at and id), so a lead added
 * during the export neither shifts nor repeats a row, and memory stays flat however many there are.
 */
export function exportCsv(scope: ListScope, query: ListQuery | AdminListQuery): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const where = "triage" in query ? triageConditions(scope, query) : listConditions(scope, query);
  let afterId: string | null = null;
  let done = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      // A byte-order mark, so that spreadsheet programs read the file as UTF-8.
      controller.enqueue(encoder.encode("\uFEFF" + csvLine([...COLUMNS.map(([name]) => name), "answers"])));
    },
    async pull(controller) {
      if (done) return;
      const db = await getDb();
      const rows = await db
        .select()
        .from(leads)
        .where(
          and(
            where,
            // The stored created_at (microseconds), not a JavaScript Date (milliseconds).
            afterId
              ? sql`(${leads.createdAt}, ${leads.id}) < (select l.created_at, l.id from ${leads} l where l.id = ${afterId}::uuid)`
              : undefined,
          ),
        )
        .orderBy(desc(leads.createdAt), desc(leads.id))
        .limit(BATCH);
      if (rows.length > 0) {
        const answers = await answersOf(rows.map((r) => r.id));
        controller.enqueue(
          encoder.encode(
            rows
              .map((r) => csvLine([...COLUMNS.map(([, get]) => get(r)), answers.get(r.id) ?? null]))
              .join(""),
          ),
        );
        afterId = rows[rows.length - 1]!.id;
      }
      if (rows.length < BATCH) {
        done = true;
        controller.close();
      }
    },
  });
}
