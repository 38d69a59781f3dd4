import { createElement } from "react";
import { issueToken } from "@/lib/forms/guard";
import { htmlResponse } from "@/lib/forms/http";
import { FormPage, MessagePage } from "@/lib/forms/render";
import { findForm } from "@/lib/forms/store";

export async function GET(_req: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const form = await findForm(slug);
  if (!form) {
    return htmlResponse(
      createElement(MessagePage, { title: "Form not found", message: "There is no form here." }),
      404,
    );
  }
  const page = createElement(FormPage, {
    form,
    action: `/api/intake/${form.slug}`,
    token: await issueToken(form),
    values: {},
    errors: [],
  });
  return htmlResponse(page, 200, form);
}
