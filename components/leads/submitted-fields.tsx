import { type Answer, answerText } from "@/lib/forms/answer-text";
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
 * fields left empty are not listed.
 */
export function SubmittedFields({ fields }: { fields: Record<string, unknown> }) {
  return (
    <table className="data fields">
      <tbody>
        {Object.entries(fields)
          .filter(([name, value]) => !HIDDEN_FIELDS.has(name) && !emptyValue(value))
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

/** A submission's answers to the form's own questions, each under the label it was asked with. */
export function FormAnswers({ answers, caption }: { answers: Answer[]; caption?: string }) {
  return (
    <table className="data fields answers">
      {caption ? <caption>{caption}</caption> : null}
      <tbody>
        {answers.map((answer) => (
          <tr key={answer.key}>
            <th scope="row">{answer.label}</th>
            <td>{answerText(answer.value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
