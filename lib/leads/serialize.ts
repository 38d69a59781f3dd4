import type { LeadRow } from "@/lib/db/schema";
import type { ApiLead } from "./schema";
import { valueScore } from "./value-score";

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/**
 * The lead as the API shows it: every key present (null when absent), address_* mirrored as
 * property_* and source as lead_source, as Rotor does. Built key by key, so no other column can leak
 * into a response (tests/integration/upsert.test.ts checks the keys against Rotor's example).
 */
export function toApiLead(row: LeadRow): ApiLead {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    address_street1: row.addressStreet1,
    address_street2: row.addressStreet2,
    address_city: row.addressCity,
    address_state: row.addressState,
    address_zip: row.addressZip,
    address_country: row.addressCountry,
    property_street1: row.addressStreet1,
    property_street2: row.addressStreet2,
    property_city: row.addressCity,
    property_state: row.addressState,
    property_zip: row.addressZip,
    property_country: row.addressCountry,
    follow_up_date: iso(row.followUpDate),
    notes: row.notes,
    priority: row.priority,
    projected_value: row.projectedValue,
    service_type: row.serviceType,
    source: row.source,
    lead_source: row.source,
    stage: row.stage,
    tags: row.tags,
    archived: row.archived,
    archived_at: iso(row.archivedAt),
    assigned_to: row.assignedTo,
    created_at: row.createdAt.toISOString(),
    location: row.latitude !== null && row.longitude !== null ? [row.latitude, row.longitude] : [],
    value_score: valueScore(row),
  };
}
