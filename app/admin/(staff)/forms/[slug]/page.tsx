import { headers } from "next/headers";
import Link from "next/link";
import { notFound } from "next/navigation";
import { FormEditor } from "@/components/admin/form-editor";
import { adminPage } from "@/lib/auth/admin-page";
import { formContent, listForms } from "@/lib/forms/repository";
import { pipeline } from "@/lib/leads/pipeline";

export default adminPage<{ params: Promise<{ slug: string }> }>(
  { adminOnly: true },
  async (user, { params }) => {
    const { slug } = await params;
    const form = (await listForms(user.companyId)).find((f) => f.slug === slug);
    if (!form) notFound();
    const h = await headers();
    const host = h.get("x-forwarded-host") ?? h.get("host") ?? "localhost";
    const proto =
      h.get("x-forwarded-proto") ??
      (host.startsWith("127.0.0.1") || host.startsWith("localhost") ? "http" : "https");
    return (
      <>
        <p>
          <Link href="/admin/forms">← Forms</Link>
        </p>
        <h1>{form.title}</h1>
        <FormEditor
          portal={`${proto}://${host}`}
          stages={await pipeline(user.companyId)}
          form={formContent(form)}
        />
      </>
    );
  },
);
