import { z } from "zod";
import { toE164 } from "./phone";

/** The one zod file for leads: what the API accepts, what it returns, and the list query. */

export const PRIORITIES = ["low", "medium", "high"] as const;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const text = (max: number) =>
  z
    .string({ error: "Must be a string" })
    .trim()
    .max(max, { error: `Must be at most ${max} characters` })
    // PostgreSQL cannot store NUL or a lone UTF-16 surrogate, and no person types either.
    .refine((v) => !v.includes("\u0000"), { error: "Must not contain NUL characters" })
    .refine((v) => !LONE_SURROGATE.test(v), { error: "Must be valid Unicode text" });

// `null` clears a stored value; a missing key or an empty string leaves it as it is.
const field = <T extends z.ZodType>(schema: T) => schema.nullable().optional();

/**
 * The instant an ISO 8601 date or date-time stands for: a date alone is midnight UTC, a date-time
 * without an offset is read as UTC. Null when the text is not ISO 8601 or the instant falls outside
 * years 1 to 9999 in UTC (PostgreSQL has no year 0).
 */
export function parseIsoDate(value: string): Date | null {
  let date: Date;
  if (z.iso.date().safeParse(value).success) date = new Date(`${value}T00:00:00Z`);
  else if (z.iso.datetime({ offset: true, local: true }).safeParse(value).success) {
    const hasOffset = /(Z|[+-]\d{2}(:?\d{2})?)$/i.test(value);
    date = new Date(hasOffset ? value : `${value}Z`);
  } else return null;
  const year = date.getUTCFullYear();
  return Number.isNaN(date.getTime()) || year < 1 || year > 9999 ? null : date;
}

export const leadInputSchema = z.object({
  id: field(
    text(64)
      .refine((v) => v === "" || z.guid().safeParse(v).success, { error: "Invalid id format" })
      .meta({ format: "uuid" }),
  ),
  name: field(text(500)),
  email: field(
    text(500).refine((v) => v === "" || z.regexes.email.test(v), { error: "Invalid email format" }),
  ),
  phone: field(text(50).refine((v) => v === "" || toE164(v) !== null, { error: "Invalid phone number" })),
  address_street1: field(text(500)),
  address_street2: field(text(500)),
  address_city: field(text(500)),
  address_state: field(text(500)),
  address_zip: field(text(500)),
  address_country: field(text(500)),
  follow_up_date: field(
    text(64)
      .refine((v) => v === "" || parseIsoDate(v) !== null, {
        error: "Invalid date format: use ISO 8601, such as 2026-05-01 or 2026-05-01T15:00:00Z",
      })
      // The shapes parseIsoDate reads, for clients that check requests against the OpenAPI document:
      // a date, or a date-time with seconds and an offset, or one without an offset (seconds optional).
      .meta({
        description: "ISO 8601: a date (midnight UTC) or a date-time (UTC when it has no offset)",
        pattern: "^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})?)?)?$",
      }),
  ),
  notes: field(text(2000)),
  priority: field(
    text(20)
      .refine((v) => v === "" || (PRIORITIES as readonly string[]).includes(v), {
        error: "Must be one of: low, medium, high",
      })
      .meta({ enum: [...PRIORITIES] }),
  ),
  projected_value: field(z.number({ error: "Must be a number" }).min(0, { error: "Must be zero or more" })),
  service_type: field(text(100)),
  source: field(text(500)),
  stage: field(text(500)),
  tags: field(
    z.array(text(100), { error: "Must be an array of strings" }).max(50, { error: "At most 50 tags" }),
  ),
});
export type LeadInput = z.infer<typeof leadInputSchema>;

// The output is declared a boolean so that the OpenAPI document, which describes the parameters as
// the server reads them, states `archived` as Rotor documents it.
const flag = z
  .enum(["true", "false"], { error: "Must be true or false" })
  .transform((v) => v === "true")
  .pipe(z.boolean());

/** Query strings of digits only: "0x10", "1e2" and "1.0" are refused, not read as numbers. */
const intParam = (min: number, max: number, fallback: number, range: string) => {
  const message = `Must be an integer ${range}`;
  return z
    .string()
    .regex(/^\d{1,16}$/, { error: message })
    .transform(Number)
    .pipe(z.number().int().min(min, { error: message }).max(max, { error: message }))
    .default(fallback)
    .meta({ description: `An integer ${range}; default ${fallback}` });
};

/** The one pagination schema: coerces query strings, defaults, and caps. */
export const paginationSchema = z.object({
  limit: intParam(1, 1000, 50, "from 1 to 1000"),
  // Any page from 1 on; the cap only keeps the row offset within PostgreSQL's bigint.
  page: intParam(1, 1_000_000_000_000, 1, "of at least 1"),
});

export const listQuerySchema = paginationSchema.extend({
  archived: flag.default(false).meta({ description: "Include archived leads; default false" }),
  search: text(200)
    .optional()
    .meta({ description: "Name or email (case-insensitive substring), or phone digits" }),
  stage: text(500).optional().meta({ description: "Pipeline stage (exact, case-insensitive)" }),
  tags: text(5000)
    .optional()
    .meta({ description: "Comma-separated tags: leads with any of them (case-insensitive)" }),
});
export type ListQuery = z.output<typeof listQuerySchema>;

const nullableText = z.string().nullable();

export const leadSchema = z.object({
  id: z.string(),
  name: nullableText,
  email: nullableText,
  phone: nullableText.meta({
    description:
      "E.164, such as +16125550100; an extension follows as RFC 3966 writes it: +17635550238;ext=12",
  }),
  address_street1: nullableText,
  address_street2: nullableText,
  address_city: nullableText,
  address_state: nullableText,
  address_zip: nullableText,
  address_country: nullableText,
  property_street1: nullableText,
  property_street2: nullableText,
  property_city: nullableText,
  property_state: nullableText,
  property_zip: nullableText,
  property_country: nullableText,
  follow_up_date: nullableText,
  notes: nullableText,
  priority: z.enum(PRIORITIES).nullable(),
  projected_value: z.number().nullable(),
  service_type: nullableText,
  source: nullableText,
  lead_source: nullableText,
  stage: nullableText,
  tags: z.array(z.string()),
  archived: z.boolean(),
  archived_at: nullableText,
  assigned_to: nullableText,
  created_at: z.string(),
  location: z.array(z.number()).meta({ description: "[latitude, longitude], or [] when unknown" }),
  value_score: z.number().int().min(0).max(100),
});
export type ApiLead = z.infer<typeof leadSchema>;

const upsertOutcome = {
  message: z.enum(["Lead created successfully", "Lead updated successfully"]),
  status: z.literal("success"),
};

export const upsertResponseSchema = leadSchema.extend(upsertOutcome);

/**
 * What `POST /leads` answers a key without leads:read: the lead's id, the outcome, and the fields
 * the request sent as it sent them (trimmed), never what was stored.
 */
export const writeOnlyUpsertResponseSchema = z.strictObject({
  ...leadInputSchema.shape,
  id: z.string(),
  ...upsertOutcome,
});

export const listResponseSchema = z.object({
  data: z.array(leadSchema),
  pagination: z.object({
    has_more: z.boolean(),
    limit: z.number().int(),
    page: z.number().int(),
    total: z.number().int(),
  }),
  status: z.literal("success"),
});

export type ListResponse = z.infer<typeof listResponseSchema>;

export const leadResponseSchema = z.object({ data: leadSchema, status: z.literal("success") });
