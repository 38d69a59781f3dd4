import type { LeadRow } from "@/lib/db/schema";

const PRIORITY_POINTS = { high: 20, medium: 12, low: 5 } as const;

/**
 * How promising a lead is, 0 to 100, computed from the lead alone so it is the same on every read.
 * Projected value up to 40 (logarithmic, full at 25,000), priority up to 20 (high 20, medium 12,
 * low 5), a phone 10, an email 5, an address (street and city or zip) 10, a service type 5,
 * a follow-up date 5, notes 5. The README documents the same table.
 */
export function valueScore(lead: LeadRow): number {
  let score = 0;
  const value = lead.projectedValue ?? 0;
  if (value > 0) score += Math.min(40, (40 * Math.log10(1 + value)) / Math.log10(1 + 25_000));
  if (lead.priority) score += PRIORITY_POINTS[lead.priority];
  if (lead.phone) score += 10;
  if (lead.email) score += 5;
  if (lead.addressStreet1 && (lead.addressCity || lead.addressZip)) score += 10;
  if (lead.serviceType) score += 5;
  if (lead.followUpDate) score += 5;
  if (lead.notes) score += 5;
  return Math.min(100, Math.round(score));
}
