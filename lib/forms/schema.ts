import { z } from "zod";
import { DEFAULT_FORM } from "@/lib/db/default-form";

export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/**
 * A form's own thank-you address in its normal form (what browsers would request), or null when the
 * text is not an absolute http(s) URL. Control characters are refused rather than dropped: the
 * address goes into a Location header and a Content-Security-Policy, where a line break would end
 * the header.
 */
export function thankYouUrl(text: string): string | null {
  if (CONTROL_CHARACTER.test(text)) return null;
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return null;
  }
  return /^https?:$/.test(parsed.protocol) && parsed.hostname !== "" && /^https?:\/\/[^/]/i.test(text)
    ? parsed.href
    : null;
}

/** The lead fields a form may show, in the names the API uses. */
export const FORM_FIELDS = [
  "name",
  "email",
  "phone",
  "address_street1",
  "address_street2",
  "address_city",
  "address_state",
  "address_zip",
  "address_country",
  "service_type",
  "follow_up_date",
  "notes",
] as const;
export type FormFieldName = (typeof FORM_FIELDS)[number];

export const formFieldSchema = z.object({
  name: z.enum(FORM_FIELDS),
  label: z.string().trim().min(1).max(100),
  required: z.boolean().default(false),
  /** service_type only: the choices offered. */
  choices: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
});

/** A form's settings, kept as JSON in forms.settings. */
export const formSettingsSchema = z.object({
  fields: z.array(formFieldSchema).min(1),
  /** At least one of these must be given ("phone or email required"). */
  oneOf: z.array(z.enum(["phone", "email"])).default([]),
  consent: z
    .object({ text: z.string().trim().min(1).max(1000), required: z.boolean().default(true) })
    .nullable()
    .default(null),
});
export type FormSettings = z.output<typeof formSettingsSchema>;
export type FormField = FormSettings["fields"][number];

/** The form every company gets on first start, at /f/contact. */
export const CONTACT_FORM = { ...DEFAULT_FORM, settings: formSettingsSchema.parse(DEFAULT_FORM.settings) };
