/** What staff call a lead's fields, and other forms' common ones, where the timeline names them. */
export const FIELD_LABELS: Record<string, string> = {
  name: "Name",
  email: "Email",
  phone: "Phone",
  address_street1: "Street",
  address_street2: "Street, line 2",
  address_city: "City",
  address_state: "State",
  address_zip: "ZIP code",
  address_country: "Country",
  service_type: "Service",
  source: "Source",
  stage: "Stage",
  priority: "Priority",
  projected_value: "Value",
  follow_up_date: "Follow-up",
  notes: "Notes",
  tags: "Tags",
  archived: "Archived",
  assigned_to: "Assignee",
  photos: "Photos",
};

export const labelOf = (field: string) => FIELD_LABELS[field] ?? field;

/** A stored value as a person reads it: lists joined, nothing shown as "—". */
export function shown(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (Array.isArray(value)) return value.length === 0 ? "—" : value.map(shown).join(", ");
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}
