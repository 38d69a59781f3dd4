/**
 * An answer to a form's own question as a submission keeps it, and as people read it: a module of
 * its own, with no dependencies, for the admin's pages in the browser.
 */

/** An answer as a submission keeps it, under the label it was asked with. */
export interface Answer {
  key: string;
  label: string;
  value: string | string[] | number | boolean;
}

/** A yes/no question's answers: as sent, and as shown. */
export const YES_NO = { yes: "Yes", no: "No" } as const;

/** An answer as text: choices joined, yes/no spelled out. */
export function answerText(value: Answer["value"]): string {
  if (Array.isArray(value)) return value.join(", ");
  if (typeof value === "boolean") return value ? YES_NO.yes : YES_NO.no;
  return String(value);
}

/** Whether a submitted field's name is one of the answers' (a question's, or the preferred time's). */
export const isAnswerField = (name: string) =>
  name.startsWith("q_") || name === "preferred_date" || name === "preferred_time";
