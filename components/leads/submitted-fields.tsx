import { type Answer, answerText, isAnswerField } from "@/lib/forms/answer-text";
import { labelOf, shown } from "./field-labels";

/** The form's own hidden fields, which a submission's record keeps but people need not read. */
const HIDDEN_FIELDS = new Set(["_page", "_ref"]);

/**
 * A field left empty, not worth a row: the form's honeypot among them, unless a bot filled it
 * (then it shows, as the reason the submission was caught).
 */
const emptyValue = (value: unknown) => value === null || value === undefined || value === "";

/**
 * Every field a submission sent, as sent, under the name staff know it by where there is one;
 * fields left empty are not listed. Its answers to the form's own questions come first, under the
 * labels they were asked with, in place of their raw fields.
 */
export function SubmittedFields({
  fields,
  answers = [],
}: {
  fields: Record<string, unknown>;
  answers?: Answer[];
}) {
  return (
    <table className="data fields">
      <tbody>
        {answers.map((answer) => (
          <tr key={`answer-${answer.key}`}>
            <th scope="row">{answer.label}</th>
            <td>{answerText(answer.value)}</td>
          </tr>
        ))}
        {Object.entries(fields)
          .filter(
            ([name, value]) =>
              !HIDDEN_FIELDS.has(name) && !emptyValue(value) && !(answers.length > 0 && isAnswerField(name)),
          )
          .map(([name, value]) => (
            <tr key={name}>
              <th scope="row">{labelOf(name)}</th>
              <td>{shown(value)}</td>
            </tr>
          ))}
      </tbody>
    </table>
  );
}
