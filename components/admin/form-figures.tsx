import type { Figures } from "@/lib/forms/stats";
import { conversion } from "@/lib/forms/stats";

/** A share as a whole percentage ("12%"), or a dash when there is nothing to divide by. */
export function percent(share: number | null): string {
  return share === null ? "—" : `${Math.round(share * 100)}%`;
}

/** A form's figures under a heading, one row per source or campaign. */
export function FormFiguresTable({
  id,
  title,
  head,
  rows,
}: {
  id: string;
  title: string;
  head: string;
  rows: (Figures & { label: string })[];
}) {
  return (
    <>
      <h3 id={id}>{title}</h3>
      <div className="table-wrap">
        <table className="data cards" aria-labelledby={id}>
          <thead>
            <tr>
              <th scope="col">{head}</th>
              <th scope="col">Views</th>
              <th scope="col">Started</th>
              <th scope="col">Submitted</th>
              <th scope="col">Spam</th>
              <th scope="col">Conversion</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.label}>
                <td className="title">{row.label}</td>
                <td data-label="Views">{row.views}</td>
                <td data-label="Started">{row.starts}</td>
                <td data-label="Submitted">{row.submits}</td>
                <td data-label="Spam">{row.spam}</td>
                <td data-label="Conversion">{percent(conversion(row))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
