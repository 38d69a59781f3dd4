import Link from "next/link";
import { adminPage } from "@/lib/auth/admin-page";
import { listForms } from "@/lib/forms/repository";

export default adminPage({ adminOnly: true }, async (user) => {
  const forms = await listForms(user.companyId);
  return (
    <>
      <h1>Forms</h1>
      <p>Each form lives at its own address and can be embedded on your website.</p>
      <div className="table-wrap">
        <table className="data cards">
          <thead>
            <tr>
              <th scope="col">Form</th>
              <th scope="col">Address</th>
              <th scope="col">Allowed origins</th>
              <th scope="col">Spam stopped</th>
            </tr>
          </thead>
          <tbody>
            {forms.map((form) => (
              <tr key={form.id}>
                <td className="title">
                  <Link href={`/admin/forms/${form.slug}`}>{form.title}</Link>
                </td>
                <td data-label="Address">
                  <code>/f/{form.slug}</code>
                </td>
                <td data-label="Allowed origins">
                  {form.allowedOrigins.join(", ") || <span className="muted">this portal only</span>}
                </td>
                <td data-label="Spam stopped">{form.spamCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
});
