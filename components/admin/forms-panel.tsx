import { headers } from "next/headers";
import Link from "next/link";
import { addressedHost } from "@/lib/forms/http";
import { listForms } from "@/lib/forms/repository";
import { companyFormFigures, conversion, NO_FIGURES, STATS_DAYS } from "@/lib/forms/stats";
import { percent } from "./form-figures";

/** The dashboard's "Forms, last 30 days": each form's views, submissions and conversion. */
export async function FormsPanel({ companyId }: { companyId: string }) {
  const portal = addressedHost(await headers()) ?? "";
  const [forms, figures] = await Promise.all([listForms(companyId), companyFormFigures(companyId, portal)]);
  const shown = forms.filter((f) => !f.archivedAt || figures.has(f.id));
  return (
    <section className="card" aria-labelledby="forms-panel-title" style={{ marginTop: "1rem" }}>
      <h2 id="forms-panel-title">Forms, last {STATS_DAYS} days</h2>
      <div className="table-wrap">
        <table className="data cards" aria-labelledby="forms-panel-title">
          <thead>
            <tr>
              <th scope="col">Form</th>
              <th scope="col">Views</th>
              <th scope="col">Submitted</th>
              <th scope="col">Conversion</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((form) => {
              const f = figures.get(form.id) ?? NO_FIGURES;
              return (
                <tr key={form.id} data-form={form.slug}>
                  <td className="title">{form.title}</td>
                  <td data-label="Views">{f.views}</td>
                  <td data-label="Submitted">{f.submits}</td>
                  <td data-label="Conversion">{percent(conversion(f))}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p>
        <Link href="/admin/forms">By source and campaign</Link>
      </p>
    </section>
  );
}
