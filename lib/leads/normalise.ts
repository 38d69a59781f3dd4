import { toE164, phoneDigits } from "./phone";
import { type LeadInput, parseIsoDate } from "./schema";
import type { NewLeadRow } from "@/lib/db/schema";

/**
 * Columns an upsert may set; the generated and bookkeeping ones are left out (archived_at follows
 * archived in the database). The API's input never sets archived, assigned_to or created_by; the
 * admin does.
 */
export type LeadFields = Partial<
  Omit<NewLeadRow, "id" | "companyId" | "tags" | "tagsLc" | "createdAt" | "updatedAt" | "archivedAt">
>;

/** A validated upsert request: what to match on and which fields it gives. */
export interface LeadChanges {
  id?: string;
  /** Only the fields the request gave: a value replaces, null clears. */
  fields: LeadFields;
  tags: string[];
}

const TEXT_FIELDS = {
  name: "name",
  address_street1: "addressStreet1",
  address_street2: "addressStreet2",
  address_city: "addressCity",
  address_state: "addressState",
  address_zip: "addressZip",
  address_country: "addressCountry",
  notes: "notes",
  service_type: "serviceType",
  source: "source",
  stage: "stage",
} as const satisfies Partial<Record<keyof LeadInput, keyof LeadFields>>;

/** Turns parsed input into column values: trimmed, empty strings dropped, phone in E.164. */
export function normaliseLeadInput(input: LeadInput): LeadChanges {
  const fields: LeadFields = {};
  // An empty string means "not given", exactly like a missing key.
  const given = <T>(value: T | null | undefined): value is T | null => value !== undefined && value !== "";

  for (const [key, column] of Object.entries(TEXT_FIELDS) as [keyof typeof TEXT_FIELDS, keyof LeadFields][]) {
    const value = input[key];
    if (given(value)) (fields as Record<string, unknown>)[column] = value;
  }
  if (given(input.email)) {
    fields.email = input.email;
    fields.emailLc = input.email?.toLowerCase() ?? null;
  }
  if (given(input.phone)) {
    const e164 = input.phone === null ? null : toE164(input.phone);
    fields.phone = e164;
    fields.phoneDigits = e164 === null ? null : phoneDigits(e164);
  }
  if (given(input.follow_up_date)) {
    fields.followUpDate = input.follow_up_date === null ? null : parseIsoDate(input.follow_up_date);
  }
  if (given(input.priority)) fields.priority = input.priority as LeadFields["priority"];
  if (input.projected_value !== undefined) fields.projectedValue = input.projected_value;

  return {
    id: input.id || undefined,
    fields,
    // Merged with the stored tags (and duplicates dropped) by the database's lead_upsert.
    tags: (input.tags ?? []).filter((t) => t !== ""),
  };
}
