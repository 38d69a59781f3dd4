import { z } from "zod";
import { formTitleSchema } from "./edit-schema";
import { SLUG_MAX, SLUG_MESSAGE, SLUG_PATTERN } from "./slug";

/**
 * A new form as the admin asks for it: a title and an address, or a copy of another form, whose
 * title and address default to "… (copy)" and "{slug}-copy" (or the next free one).
 */
export const newFormSchema = z
  .object({
    title: formTitleSchema.optional(),
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
