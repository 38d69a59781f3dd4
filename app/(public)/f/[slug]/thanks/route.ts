import { formNotFoundPage, messagePage } from "@/lib/forms/pages";
import { findForm } from "@/lib/forms/repository";

export async function GET(_req: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const form = await findForm(slug);
  if (!form) return formNotFoundPage();
  return messagePage(form, form.thankYouMessage ?? "Thank you! We received your request.", 200);
}
