import { sql } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { matchingLead as matchingLeadSql } from "@/lib/db/functions/fragments";
import type { LeadChanges } from "./normalise";

/** Whom a lead was given to and who typed it in: what decides which members of staff see it. */
export interface LeadOwners {
  assignedTo: string | null;
  createdBy: string | null;
}

/**
 * The lead a person's phone, else email, would match, by the upsert's own look-up (the one
 * definition lead_upsert uses too); undefined when none would.
 */
export async function matchingLead(companyId: string, changes: LeadChanges): Promise<LeadOwners | undefined> {
  const phone = typeof changes.fields.phone === "string" ? changes.fields.phone : null;
  const emailLc = typeof changes.fields.emailLc === "string" ? changes.fields.emailLc : null;
  if (phone === null && emailLc === null) return undefined;
  const match = matchingLeadSql("given.company", "given.phone", "given.email_lc").join("\n");
  const db = await getDb();
  const { rows } = (await db.execute(sql`
    SELECT m.assigned_to, m.created_by
    FROM (SELECT ${companyId}::uuid AS company, ${phone}::text AS phone, ${emailLc}::text AS email_lc) AS given,
      LATERAL (SELECT * FROM ${sql.raw(match)}) AS m
  `)) as unknown as { rows: { assigned_to: string | null; created_by: string | null }[] };
  const [row] = rows;
  return row && { assignedTo: row.assigned_to, createdBy: row.created_by };
}
