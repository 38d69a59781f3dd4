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

/** The kinds of question a business may add to its form (lib/forms/answers.ts). */
export const QUESTION_TYPES = [
  "short_text",
  "long_text",
  "number",
  "choice",
  "choices",
  "yes_no",
  "date",
] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

/** The lead fields a question's answer may be copied onto, where the lead holds nothing yet. */
export const QUESTION_TARGETS = ["service_type", "notes", "follow_up_date", "address_zip"] as const;

/** A question's key: its answer's name in the submission (`q_{key}` in the form's HTML). */
export const QUESTION_KEY = /^[a-z][a-z0-9_]{0,39}$/;

export const questionSchema = z.object({
  key: z.string().regex(QUESTION_KEY, { error: "Lower-case letters, digits and _, starting with a letter" }),
  type: z.enum(QUESTION_TYPES),
  label: z.string().trim().min(1, { error: "Required" }).max(200),
  help: z.string().trim().max(300).nullable().default(null),
  required: z.boolean().default(false),
  /** choice and choices only: the options offered. */
  choices: z.array(z.string().trim().min(1).max(100)).max(30).default([]),
  /** Shown only when another question (by key) has an answer: any, or the one given. */
  showWhen: z
    .object({
      key: z.string().regex(QUESTION_KEY),
      equals: z.string().trim().max(100).nullable().default(null),
    })
    .nullable()
    .default(null),
  /** A lead field the answer is copied onto when the lead holds nothing there. */
  copyTo: z.enum(QUESTION_TARGETS).nullable().default(null),
});
export type Question = z.output<typeof questionSchema>;

/** The preferred time's answers, kept under keys no question may take. */
export const PREFERRED_DATE = "preferred_date";
export const PREFERRED_TIME = "preferred_time";

/** Question types whose answer another question may depend on (a date has no "answered" state in CSS). */
export const CONDITION_SOURCES: readonly QuestionType[] = QUESTION_TYPES.filter((type) => type !== "date");

/**
 * The rules between questions: unique keys, none reserved, and a condition that names an earlier
 * question able to carry it, with a value that question can take.
 */
function checkQuestions(questions: Question[], ctx: z.RefinementCtx): void {
  const earlier = new Map<string, Question>();
  questions.forEach((q, i) => {
    // Named by the question's label: the admin's editor shows these messages above its questions.
    const problem = (field: string, message: string) =>
      ctx.addIssue({ code: "custom", message: `“${q.label}”: ${message}`, path: [i, field] });
    if (earlier.has(q.key) || q.key === PREFERRED_DATE || q.key === PREFERRED_TIME) {
      problem("key", `another question already has the key ${q.key}`);
    }
    if ((q.type === "choice" || q.type === "choices") && q.choices.length === 0) {
      problem("choices", "a choice needs at least one option");
    }
    const when = q.showWhen;
    if (when) {
      const source = earlier.get(when.key);
      if (!source) {
        problem("showWhen", "may depend only on a question above it");
      } else if (!CONDITION_SOURCES.includes(source.type)) {
        problem("showWhen", "may depend only on a text, number, choice or yes/no question");
      } else if (when.equals !== null) {
        const allowed =
          source.type === "yes_no" ? ["yes", "no"] : source.type.startsWith("choice") ? source.choices : null;
        if (allowed && !allowed.some((a) => a.toLowerCase() === when.equals!.toLowerCase())) {
          problem("showWhen", `must wait for one of the answers of “${source.label}”: ${allowed.join(", ")}`);
        }
      }
    }
    earlier.set(q.key, q);
  });
}

/** A form's settings, kept as JSON in forms.settings. */
export const formSettingsSchema = z.object({
  fields: z.array(formFieldSchema).min(1),
  /** The business's own questions, after the lead's fields. */
  questions: z.array(questionSchema).max(30).default([]).superRefine(checkQuestions),
  /** A preferred date and part of the day (morning, afternoon, evening). */
  preferredTime: z.boolean().default(false),
  /**
   * The ZIP codes served, each whole or a prefix ("554" serves 55401...); an address outside is
   * still kept, tagged, and the visitor told. Null: everywhere.
   */
  serviceArea: z
    .object({
      zips: z
        .array(
          z
            .string()
            .trim()
            .regex(/^[0-9A-Za-z -]{1,10}$/),
        )
        .min(1)
        .max(500),
      tag: z.string().trim().min(1).max(100).default("outside-service-area"),
    })
    .nullable()
    .default(null),
  /** Photos the visitor may attach (up to 5), under this label. Null: none asked. */
  photos: z
    .object({
      label: z.string().trim().min(1).max(200),
      help: z.string().trim().max(300).nullable().default(null),
      required: z.boolean().default(false),
    })
    .nullable()
    .default(null),
  /** At least one of these must be given ("phone or email required"). */
  oneOf: z.array(z.enum(["phone", "email"])).default([]),
  consent: z
    .object({ text: z.string().trim().min(1).max(1000), required: z.boolean().default(true) })
    .nullable()
    .default(null),
});
export type FormSettings = z.output<typeof formSettingsSchema>;
/** Settings as written: what has a default may be left out. */
export type FormSettingsInput = z.input<typeof formSettingsSchema>;
export type FormField = FormSettings["fields"][number];

/** The form every company gets on first start, at /f/contact. */
export const CONTACT_FORM = { ...DEFAULT_FORM, settings: formSettingsSchema.parse(DEFAULT_FORM.settings) };
