import { getTableColumns, sql } from "drizzle-orm";
import { getDb, noteLeadWrite } from "@/lib/db/client";
import { type LeadRow, leads } from "@/lib/db/schema";
import { errors } from "@/lib/api/errors";
import { now } from "@/lib/clock";
import { kickOutbox } from "@/lib/outbox/kick";
import { hasActiveEndpoints } from "@/lib/webhooks/active";
import { invalidateLeadLists } from "./cache";
import type { LeadChanges } from "./normalise";

export interface UpsertResult {
  lead: LeadRow;
  created: boolean;
}

const columns = Object.entries(getTableColumns(leads));

/** The given fields under their column names, as the database function reads them. */
function fieldsJson(fields: LeadChanges["fields"]): string {
  const byColumn: Record<string, unknown> = {};
  for (const [key, column] of columns) {
    const value = (fields as Record<string, unknown>)[key];
    if (value !== undefined) byColumn[column.name] = value;
  }
  return JSON.stringify(byColumn);
}

/** A lead row from the JSON the database function returns. */
export function rowFromJson(json: Record<string, unknown>): LeadRow {
  const row: Record<string, unknown> = {};
  for (const [key, column] of columns) {
    const value = json[column.name] ?? null;
    row[key] = value !== null && column.dataType === "date" ? new Date(value as string) : value;
  }
  return row as LeadRow;
}

/**
 * Creates or updates a lead of one company: by id; else the lead with the same phone; else the one
 * with the same email; else a new lead, with tags merged. The whole upsert, locks included, is the
 * database function lead_upsert (migration 0002): one round trip, and the database, not a race
 * between a read and a write, decides that one person makes one lead.
 */
export async function upsertLead(
  companyId: string,
  changes: LeadChanges,
  /** Values a new lead takes where the changes give none (an intake form's source and stage). */
  defaults: LeadChanges["fields"] = {},
  options: {
    /** The given tags replace the lead's instead of merging into them (the admin's tag editor). */
    replaceTags?: boolean;
    /** False when the caller makes the company's lists stale itself, once for many writes. */
    invalidate?: boolean;
  } = {},
): Promise<UpsertResult> {
  const db = await getDb();
  const { fields } = changes;
  const phone = typeof fields.phone === "string" ? fields.phone : null;
  const emailLc = typeof fields.emailLc === "string" ? fields.emailLc : null;
  const { rows } = (await db.execute(
    sql`select lead_upsert(${companyId}::uuid, ${changes.id ?? null}::uuid, ${phone}::text, ${emailLc}::text,
      ${fieldsJson(fields)}::jsonb, ${fieldsJson(defaults)}::jsonb,
      array(select jsonb_array_elements_text(${JSON.stringify(changes.tags)}::jsonb)), ${now().toISOString()}::timestamptz,
      ${options.replaceTags ?? false}::boolean) as result`,
  )) as unknown as { rows: { result: { created: boolean; lead: Record<string, unknown> } | null }[] };
  const result = rows[0]?.result;
  if (!result) throw errors.notFound();
  noteLeadWrite();
  // The write queued an event per active webhook endpoint (lead_upsert does, in its transaction):
  // send them soon.
  if (await hasActiveEndpoints(companyId)) kickOutbox();
  if (options.invalidate !== false) await invalidateLeadLists(companyId);
  return { lead: rowFromJson(result.lead), created: result.created };
}
