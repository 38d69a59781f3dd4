import { createElement } from "react";
import { ApiError, errors } from "@/lib/api/errors";
import { errorResponse, jsonResponse } from "@/lib/api/respond";
import { corsHeaders, htmlResponse, isJsonRequest, originAllowed, readSubmission } from "@/lib/forms/http";
import { FormPage, MessagePage } from "@/lib/forms/render";
import { findForm } from "@/lib/forms/store";
import { submitForm } from "@/lib/forms/submit";

type Context = { params: Promise<{ slug: string }> };

/**
 * A visitor's submission. An HTML form (url-encoded) gets a 303 to the thank-you page, or the form
 * again with status 422, every typed value kept and each message beside its field. A script or a
 * business's own site (JSON) gets {status, lead_id, created} or the API's 400 body.
 */
export async function POST(req: Request, { params }: Context): Promise<Response> {
  const json = isJsonRequest(req);
  const form = await findForm((await params).slug);
  if (!form) {
    if (json) return errorResponse(errors.notFound());
    const page = createElement(MessagePage, { title: "Form not found", message: "There is no form here." });
    return htmlResponse(page, 404);
  }
  const cors = corsHeaders(form, req);
  if (!originAllowed(form, req)) {
    return jsonResponse(
      { status: "error", message: "This site may not submit this form", error_code: "ORIGIN_NOT_ALLOWED" },
      403,
      { vary: "Origin" },
    );
  }
  try {
    const result = await submitForm(form, await readSubmission(req));
    if (json) {
      if (!result.ok) throw errors.validation(result.errors);
      const body = { status: "success", lead_id: result.leadId, created: result.created };
      return jsonResponse(body, result.created ? 201 : 200, cors);
    }
    if (!result.ok) {
      const page = createElement(FormPage, {
        form,
        action: `/api/intake/${form.slug}`,
        values: result.values,
        errors: result.errors,
      });
      return htmlResponse(page, 422, form);
    }
    const location = form.redirectUrl ?? new URL(`/f/${form.slug}/thanks`, req.url).href;
    return new Response(null, { status: 303, headers: { location, ...cors } });
  } catch (error) {
    if (!json && error instanceof ApiError && error.status < 500) {
      const page = createElement(MessagePage, {
        title: form.title,
        message: error.body.errors?.[0]?.message ?? error.body.message,
      });
      return htmlResponse(page, error.status, form);
    }
    return errorResponse(error, cors);
  }
}

/** The CORS preflight of a business's own site posting JSON. */
export async function OPTIONS(req: Request, { params }: Context): Promise<Response> {
  const form = await findForm((await params).slug);
  if (!form) return new Response(null, { status: 404 });
  return new Response(null, { status: 204, headers: corsHeaders(form, req) });
}
