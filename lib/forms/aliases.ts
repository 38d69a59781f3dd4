/**
 * Other forms' names for the fields this portal knows. A business's own HTML form, a page builder's
 * or a plugin's posts `first_name`, `zip` or `your-message`; each is read as the portal's field it
 * means, where the submission does not give that field itself. Every field is kept as sent in the
 * submission's record whether or not it is understood here.
 */
const ALIASES: Record<string, readonly string[]> = {
  name: ["full_name", "fullname", "your_name", "contact_name"],
  email: ["email_address", "emailaddress", "e_mail", "mail", "your_email"],
  phone: ["phone_number", "phonenumber", "tel", "telephone", "mobile", "cell", "your_phone"],
  address_street1: ["street", "street_address", "address", "address1", "address_line1", "address_line_1"],
  address_street2: ["address2", "address_line2", "address_line_2", "apt", "unit", "suite"],
  address_city: ["city", "town"],
  address_state: ["state", "province", "region"],
  address_zip: ["zip", "zipcode", "zip_code", "postal_code", "postalcode", "postcode"],
  address_country: ["country"],
  service_type: ["service", "services", "service_needed", "service_requested"],
  notes: ["message", "comments", "comment", "details", "description", "your_message", "project_details"],
};

const FIRST_NAME = ["first_name", "firstname", "fname", "first", "given_name"];
const LAST_NAME = ["last_name", "lastname", "lname", "last", "surname", "family_name"];

/** `firstName`, `First-Name` and `first name` all read as `first_name`. */
function canonical(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
}

/** A field's value as text: several values (checkboxes) joined, anything else left out. */
export function fieldText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value.join(", ");
  return undefined;
}

/**
 * The submission with the portal's names added for the fields it gave under other names: `name`
 * from a first and a last name, `address_zip` from `zip`, and so on. Fields already given under
 * the portal's own names are left as they are.
 */
export function withKnownNames(raw: Record<string, unknown>): Record<string, unknown> {
  const byCanonical = new Map<string, string>();
  for (const [name, value] of Object.entries(raw)) {
    const text = fieldText(value);
    if (text !== undefined && text.trim() !== "" && !byCanonical.has(canonical(name))) {
      byCanonical.set(canonical(name), text.trim());
    }
  }
  const found = (names: readonly string[]) =>
    names.map((name) => byCanonical.get(name)).find((v) => v !== undefined);
  const out: Record<string, unknown> = { ...raw };
  const given = (field: string) => fieldText(raw[field])?.trim();
  if (!given("name")) {
    const parts = [found(FIRST_NAME), found(LAST_NAME)].filter((p) => p !== undefined);
    const name = parts.length > 0 ? parts.join(" ") : found(ALIASES.name!);
    if (name) out.name = name;
  }
  for (const [field, names] of Object.entries(ALIASES)) {
    if (field === "name" || given(field)) continue;
    const value = found(names);
    if (value !== undefined) out[field] = value;
  }
  return out;
}
