import { z } from "zod";

/** A form's address, /f/{slug}: lower-case letters and digits, words joined by single dashes. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SLUG_MAX = 60;
export const SLUG_MESSAGE = "Use lower-case letters, digits and dashes only, such as spring-quote";

/** The slug a title suggests: "Get a Quote!" becomes get-a-quote (accents dropped). */
export function suggestSlug(title: string): string {
  return title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, SLUG_MAX)
    .replace(/^-+|-+$/g, "");
}

/**
 * A new form as the admin asks for it: a title and an address, or a copy of another form, whose
 * title and address default to "… (copy)" and "{slug}-copy" (or the next free one).
 */
export const newFormSchema = z
  .object({
    title: z
      .string({ error: "Must be a string" })
      .trim()
      .min(1, { error: "Required" })
      .max(200, { error: "Must be at most 200 characters" })
      .optional(),
    slug: z
      .string({ error: "Must be a string" })
      .trim()
      .min(1, { error: "Required" })
      .max(SLUG_MAX, { error: `Must be at most ${SLUG_MAX} characters` })
      .regex(SLUG_PATTERN, { error: SLUG_MESSAGE })
      .optional(),
    duplicate_of: z.string({ error: "Must be a string" }).trim().min(1).max(200).optional(),
  })
  .superRefine((value, ctx) => {
    if (value.duplicate_of !== undefined) return;
    for (const field of ["title", "slug"] as const) {
      if (value[field] === undefined) ctx.addIssue({ code: "custom", message: "Required", path: [field] });
    }
  });

export type NewFormInput = z.output<typeof newFormSchema>;
