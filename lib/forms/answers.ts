import type { FieldError } from "@/lib/errors";
import { fieldText } from "./aliases";
import { type Answer, answerText, YES_NO } from "./answer-text";
import type { Form } from "./repository";
import { type FormSettings, PREFERRED_DATE, PREFERRED_TIME, type Question } from "./schema";

/**
 * The business's own questions on a form (settings.questions) and its preferred time: their names
 * in the form's HTML, which of them a visitor was asked (a question shown only when another has an
 * answer), the answers as the submission keeps them, and what they copy onto the lead.
 */

export { type Answer, answerText, YES_NO };

/** A question's field name in the form's HTML and in a submission. */
export const questionName = (key: string) => `q_${key}`;

export { PREFERRED_DATE, PREFERRED_TIME };
/** The parts of the day a visitor may prefer, as sent and as shown. */
export const DAY_PARTS = { morning: "Morning", afternoon: "Afternoon", evening: "Evening" } as const;

const MAX_TEXT: Partial<Record<Question["type"], number>> = { short_text: 500, long_text: 5000 };
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** What a submission sent under one name, as a list of trimmed, non-empty texts. */
export function sentValues(raw: Record<string, unknown>, name: string): string[] {
  const value = raw[name];
  const list = Array.isArray(value) ? value : [value];
  return list.flatMap((v) => {
    const text = fieldText(v)?.trim();
    return text ? [text] : [];
  });
}

/** Whether a text is a real calendar date written yyyy-mm-dd. */
function isDate(text: string): boolean {
  if (!ISO_DATE.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** A number as people type it: 3, 2.5, "1,200". */
function parseNumber(text: string): number | null {
  const cleaned = text.replace(/[\s,]/g, "");
  if (!/^-?\d+(\.\d+)?$/.test(cleaned)) return null;
  const n = Number(cleaned);
  return Number.isFinite(n) ? n : null;
}

/** Whether the values sent for a question meet another's condition ("equals", or any answer). */
function meets(values: string[], equals: string | null): boolean {
  if (equals === null) return values.length > 0;
  return values.some((v) => v.toLowerCase() === equals.toLowerCase());
}

/**
 * The questions a visitor was asked, given what they sent: a question with a condition is asked
 * only when the question it depends on was asked and its answer meets the condition.
 */
export function askedQuestions(settings: FormSettings, raw: Record<string, unknown>): Question[] {
  const asked = new Map<string, Question>();
  for (const question of settings.questions) {
    const when = question.showWhen;
    if (when) {
      if (!asked.has(when.key)) continue;
      if (!meets(sentValues(raw, questionName(when.key)), when.equals)) continue;
    }
    asked.set(question.key, question);
  }
  return [...asked.values()];
}

/** One question's answer, or the message that refuses it; null when it was left empty. */
function answerOf(
  question: Question,
  values: string[],
): { value: Answer["value"] } | { error: string } | null {
  if (values.length === 0) return null;
  const [first] = values as [string, ...string[]];
  switch (question.type) {
    case "short_text":
    case "long_text": {
      const max = MAX_TEXT[question.type]!;
      return first.length > max ? { error: `Please keep this under ${max} characters` } : { value: first };
    }
    case "number": {
      const n = parseNumber(first);
      return n === null ? { error: "Please enter a number" } : { value: n };
    }
    case "date":
      return isDate(first) ? { value: first } : { error: "Please enter a date" };
    case "yes_no": {
      const key = first.toLowerCase();
      return key === "yes" || key === "no" ? { value: key === "yes" } : { error: "Please answer yes or no" };
    }
    case "choice":
      return question.choices.includes(first)
        ? { value: first }
        : { error: "Please choose one of the options" };
    case "choices": {
      const chosen = question.choices.filter((c) => values.includes(c));
      return chosen.length === new Set(values).size
        ? { value: chosen }
        : { error: "Please choose from the options" };
    }
  }
}

export interface ReadAnswers {
  answers: Answer[];
  errors: FieldError[];
  /** Lead fields the answers copy onto (each question's copyTo), as text. */
  copies: Record<string, string>;
}

/**
 * The answers a submission gave to the form's questions and preferred time: each checked against
 * its type and options (a message per refused one, under its field name), required ones asked
 * for, and questions the visitor was not asked ignored.
 */
export function readAnswers(form: Pick<Form, "settings">, raw: Record<string, unknown>): ReadAnswers {
  const answers: Answer[] = [];
  const errors: FieldError[] = [];
  const copies: Record<string, string> = {};
  for (const question of askedQuestions(form.settings, raw)) {
    const field = questionName(question.key);
    const got = answerOf(question, sentValues(raw, field));
    if (got === null) {
      if (question.required) {
        const message = ["choice", "choices", "yes_no"].includes(question.type)
          ? "Please choose an answer"
          : "Please answer this question";
        errors.push({ field, message });
      }
      continue;
    }
    if ("error" in got) {
      errors.push({ field, message: got.error });
      continue;
    }
    answers.push({ key: question.key, label: question.label, value: got.value });
    if (question.copyTo && copies[question.copyTo] === undefined)
      copies[question.copyTo] = answerText(got.value);
  }
  if (form.settings.preferredTime) {
    const [date] = sentValues(raw, PREFERRED_DATE);
    if (date !== undefined) {
      if (isDate(date)) answers.push({ key: PREFERRED_DATE, label: "Preferred date", value: date });
      else errors.push({ field: PREFERRED_DATE, message: "Please enter a date" });
    }
    const [part] = sentValues(raw, PREFERRED_TIME);
    if (part !== undefined) {
      const shown = DAY_PARTS[part.toLowerCase() as keyof typeof DAY_PARTS];
      if (shown) answers.push({ key: PREFERRED_TIME, label: "Preferred time", value: shown });
      else errors.push({ field: PREFERRED_TIME, message: "Please choose morning, afternoon or evening" });
    }
  }
  return { answers, errors, copies };
}

/** A ZIP code as compared: upper case, without spaces or dashes. */
const zipKey = (zip: string) => zip.toUpperCase().replace(/[\s-]/g, "");

/**
 * Whether an address lies outside the form's service area: its ZIP code begins with none of the
 * codes or prefixes served. An address without a ZIP code, or a form that serves everywhere, is
 * never outside.
 */
export function outsideServiceArea(settings: FormSettings, zip: string | undefined): boolean {
  const area = settings.serviceArea;
  if (!area || !zip?.trim()) return false;
  const key = zipKey(zip);
  return !area.zips.some((served) => key.startsWith(zipKey(served)));
}

/** The answers a submission record keeps: the list, or null when there is none. */
export function keptAnswers(answers: Answer[]): Answer[] | null {
  return answers.length > 0 ? answers : null;
}

/** Answers as a stored submission holds them (a list of {key, label, value}), or none. */
export function storedAnswers(value: unknown): Answer[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (a): a is Answer =>
      a !== null && typeof a === "object" && typeof a.key === "string" && typeof a.label === "string",
  );
}
