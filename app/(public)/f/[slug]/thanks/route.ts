import { createElement } from "react";
import { formNotFoundPage, htmlResponse } from "@/lib/forms/http";
import { MessagePage } from "@/lib/forms/render";
import { findForm } from "@/lib/forms/store";

export async function GET(_req: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const form = await findForm(slug);
  if (!form) return formNotFoundPage();
  const message = form.thankYouMessage ?? "Thank you! We received your request.";
  return htmlResponse(createElement(MessagePage, { title: form.title, message }), 200, form);
}
