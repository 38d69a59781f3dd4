import { labelOf, shown } from "./field-labels";

/** The form's own hidden fields, which a submission's record keeps but people need not read. */
const HIDDEN_FIELDS = new Set(["_page", "_ref"]);

/** Every field a submission sent, as sent, under the name staff know it by where there is one. */
export function SubmittedFields({ fields }: { fields: Record<string, unknown> }) {
  return (
    <table className="data fields">
      <tbody>
        {Object.entries(fields)
          .filter(([name]) => !HIDDEN_FIELDS.has(name))
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
