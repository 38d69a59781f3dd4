import { formNotFoundPage, thanksPage } from "@/lib/forms/pages";
import { findForm } from "@/lib/forms/repository";

export async function GET(req: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const form = await findForm(slug);
  if (!form) return formNotFoundPage();
  return thanksPage(form, { outsideArea: new URL(req.url).searchParams.get("area") === "outside" });
}
