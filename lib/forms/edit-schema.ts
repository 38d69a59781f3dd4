import { z } from "zod";
import { now } from "@/lib/clock";
import { autoReplySchema } from "@/lib/alerts/auto-reply";
import { CONTROL_CHARACTER, formSettingsSchema, thankYouUrl } from "./schema";
import type { FormChanges } from "./repository";

/** An origin such as https://www.example.com, or null when the text is not one. */
export function parseOrigin(text: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(text.trim());
  } catch {
    return null;
  }
  if (!/^https?:$/.test(parsed.protocol) || parsed.origin !== text.trim().replace(/\/$/, "")) return null;
  return parsed.origin;
}

const optionalText = (max: number) =>
  z
    .string({ error: "Must be a string" })
    .trim()
    .max(max, { error: `Must be at most ${max} characters` })
    .nullable()
    .transform((v) => (v === "" ? null : v))
    .optional();

/** A form's title, as the admin gives it for a new form or an edit. */
export const formTitleSchema = z
  .string({ error: "Must be a string" })
  .trim()
  .min(1, { error: "Required" })
  .max(200, { error: "Must be at most 200 characters" });

/** A form as the admin edits it: every key optional, an empty text clears. */
export const formEditSchema = z.object({
  title: formTitleSchema.optional(),
  intro: optionalText(2000),
  settings: formSettingsSchema.optional(),
  default_source: optionalText(500),
  default_stage: optionalText(500),
  default_tags: z
    .array(z.string().trim().min(1).max(100), { error: "Must be a list of tags" })
    .max(20, { error: "At most 20 tags" })
    .optional(),
  allowed_origins: z
    .array(
      z.string({ error: "Must be a string" }).transform((v, ctx) => {
        const origin = parseOrigin(v);
        if (origin === null) {
          ctx.addIssue({
            code: "custom",
            message: `${v.slice(0, 100)} is not an origin such as https://www.example.com`,
          });
          return z.NEVER;
        }
        return origin;
      }),
      { error: "Must be a list of origins" },
    )
    .max(50, { error: "At most 50 origins" })
    .optional(),
  thank_you_message: optionalText(2000),
  redirect_url: optionalText(2000).transform((v, ctx) => {
    if (v === undefined || v === null) return v;
    const url = thankYouUrl(v);
    if (url === null) {
      const message = CONTROL_CHARACTER.test(v)
        ? "Must not contain line breaks or other control characters"
        : "Must be an absolute http(s) URL";
      ctx.addIssue({ code: "custom", message });
      return z.NEVER;
    }
    return url;
  }),
  auto_reply: autoReplySchema.nullable().optional(),
  // Archived, the form's page and intake answer 410 until it is restored.
  archived: z.boolean({ error: "Must be true or false" }).optional(),
});

export function formChanges(input: z.output<typeof formEditSchema>): FormChanges {
  const changes: FormChanges = {};
  if (input.title !== undefined) changes.title = input.title;
  if (input.intro !== undefined) changes.intro = input.intro;
  if (input.settings !== undefined) changes.settings = input.settings;
  if (input.default_source !== undefined) changes.defaultSource = input.default_source;
  if (input.default_stage !== undefined) changes.defaultStage = input.default_stage;
  if (input.default_tags !== undefined) changes.defaultTags = input.default_tags;
  if (input.allowed_origins !== undefined) changes.allowedOrigins = [...new Set(input.allowed_origins)];
  if (input.thank_you_message !== undefined) changes.thankYouMessage = input.thank_you_message;
  if (input.redirect_url !== undefined) changes.redirectUrl = input.redirect_url;
  if (input.auto_reply !== undefined) changes.autoReply = input.auto_reply;
  if (input.archived !== undefined) changes.archivedAt = input.archived ? now() : null;
  return changes;
}
