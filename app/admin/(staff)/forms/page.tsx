import { headers } from "next/headers";
import Link from "next/link";
import { FormActions, NewFormControl } from "@/components/admin/forms-admin";
import { FormFiguresTable, percent } from "@/components/admin/form-figures";
import { formatDay } from "@/components/ui/date-time";
import { adminPage } from "@/lib/auth/admin-page";
import { companyProfile } from "@/lib/company/profile";
import { addressedHost } from "@/lib/forms/http";
import { listForms } from "@/lib/forms/repository";
import { companyFormFigures, conversion, dayIn, NO_FIGURES, STATS_DAYS } from "@/lib/forms/stats";

export default adminPage({ adminOnly: true }, async (user) => {
  const [forms, figures, profile] = await Promise.all([
    listForms(user.companyId),
    companyFormFigures(user.companyId, addressedHost(await headers()) ?? ""),
    companyProfile(user.companyId),
  ]);
  const active = forms.filter((f) => !f.archivedAt);
  const archived = forms.filter((f) => f.archivedAt);
  return (
    <>
      <h1>Forms</h1>
      <p>Each form lives at its own address and can be embedded on your website.</p>
      <NewFormControl />
      <h2 id="forms-title">Your forms, last {STATS_DAYS} days</h2>
      <p className="muted">
        Days in {profile.timeZone}. A view is a person opening the form (robots and prefetches are left out);
        started is their first input; submitted counts requests accepted, spam aside; conversion is submitted
        ÷ views.
      </p>
      <div className="table-wrap">
        <table className="data cards" aria-labelledby="forms-title">
          <thead>
            <tr>
              <th scope="col">Form</th>
              <th scope="col">Address</th>
              <th scope="col">Views</th>
              <th scope="col">Started</th>
              <th scope="col">Submitted</th>
              <th scope="col">Spam</th>
              <th scope="col">Conversion</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {active.map((form) => {
              const f = figures.get(form.id) ?? NO_FIGURES;
              return (
                <tr key={form.id} data-form={form.slug}>
                  <td className="title">
                    <Link href={`/admin/forms/${form.slug}`}>{form.title}</Link>
                  </td>
                  <td data-label="Address">
                    <code>/f/{form.slug}</code>
                  </td>
                  <td data-label="Views">{f.views}</td>
                  <td data-label="Started">{f.starts}</td>
                  <td data-label="Submitted">{f.submits}</td>
                  <td data-label="Spam">{f.spam}</td>
                  <td data-label="Conversion">{percent(conversion(f))}</td>
                  <td className="actions">
                    <FormActions slug={form.slug} title={form.title} archived={false} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {active.length === 0 ? (
        <p className="muted">No form takes requests: create one, or restore one below.</p>
      ) : null}
      <h2>Where requests come from</h2>
      {active.every((form) => !figures.has(form.id)) ? (
        <p className="muted">Nothing counted in the last {STATS_DAYS} days yet.</p>
      ) : null}
      {active
        .filter((form) => figures.has(form.id))
        .map((form) => {
          const f = figures.get(form.id)!;
          return (
            <details key={form.id} className="card form-breakdown" data-form={form.slug}>
              <summary>{form.title}: by source, campaign and day</summary>
              <FormFiguresTable
                id={`by-source-${form.slug}`}
                title="By source"
                head="Source"
                rows={f.bySource.map((r) => ({ ...r, label: r.source }))}
              />
              <FormFiguresTable
                id={`by-campaign-${form.slug}`}
                title="By campaign"
                head="Campaign"
                rows={f.byCampaign.map((r) => ({ ...r, label: r.campaign || "(none)" }))}
              />
              <FormFiguresTable
                id={`by-day-${form.slug}`}
                title="By day"
                head="Day"
                rows={f.byDay.map((r) => ({ ...r, label: r.day }))}
              />
            </details>
          );
        })}
      <h2 id="archived-title">Archived</h2>
      {archived.length === 0 ? (
        <p className="muted">
          No archived forms. An archived form&apos;s page tells visitors it takes no more requests.
        </p>
      ) : (
        <div className="table-wrap">
          <table className="data cards" aria-labelledby="archived-title">
            <thead>
              <tr>
                <th scope="col">Form</th>
                <th scope="col">Address</th>
                <th scope="col">Archived</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {archived.map((form) => (
                <tr key={form.id} data-form={form.slug}>
                  <td className="title">
                    <Link href={`/admin/forms/${form.slug}`}>{form.title}</Link>
                  </td>
                  <td data-label="Address">
                    <code>/f/{form.slug}</code>
                  </td>
                  <td data-label="Archived">{formatDay(dayIn(profile.timeZone, form.archivedAt!))}</td>
                  <td className="actions">
                    <FormActions slug={form.slug} title={form.title} archived />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
});
