import { ApiError, errors, fromDomain } from "@/lib/api/errors";
import { DomainError } from "@/lib/errors";
import { errorResponse, jsonResponse } from "@/lib/api/respond";
import type { Answer } from "@/lib/forms/guard";
import { corsHeaders, isJsonRequest, originAllowed } from "@/lib/forms/http";
import { receiveSubmission } from "@/lib/forms/intake";
import { outsideAreaThanks } from "@/lib/forms/context";
import { countStart } from "@/lib/forms/stats";
import { type Form, findForm } from "@/lib/forms/repository";

type Context = { params: Promise<{ slug: string }> };

/** The HTML answers, loaded only to answer HTML (see lib/forms/pages.ts). */
const pages = () => import("@/lib/forms/pages");

/**
 * The answer to an accepted submission: JSON for scripts, a 303 to the thank-you page for a form.
 * An address outside the form's service area is told so on the portal's own thank-you page.
 */
function accepted(
  form: Form,
  req: Request,
  answer: Answer,
  outsideArea: boolean,
  cors: Record<string, string>,
): Response {
  if (isJsonRequest(req)) {
    // The same for a new person, a known one and spam: the public learns nothing about who is a
    // customer. 202 while the submission waits in the outbox for Rotor (upstream mode).
    const body = {
      status: "success",
      submission_id: answer.submissionId,
      ...(outsideArea ? { outside_service_area: true } : {}),
    };
    return jsonResponse(body, answer.queued ? 202 : 201, cors);
  }
  // Relative: the framework may rebuild the request URL with another host name than the browser used.
  const location = outsideArea
    ? outsideAreaThanks(form.slug)
    : (form.redirectUrl ?? `/f/${form.slug}/thanks`);
  return new Response(null, { status: 303, headers: { location, ...cors } });
}

/**
 * A visitor's submission (lib/forms/intake.ts). An HTML form (url-encoded) gets a 303 to the
 * thank-you page, or the form again with status 422, every typed value kept and each message beside
 * its field. A script or a business's own site (JSON) gets {status, submission_id} or the API's
 * 400 body.
 */
export async function POST(req: Request, { params }: Context): Promise<Response> {
  const json = isJsonRequest(req);
  const form = await findForm((await params).slug);
  if (!form) return json ? errorResponse(errors.notFound()) : (await pages()).formNotFoundPage();
  const cors = corsHeaders(form, req);
  if (form.archivedAt) {
    return json ? errorResponse(errors.formArchived(), cors) : (await pages()).archivedFormPage(form);
  }
  if (!originAllowed(form, req)) {
    return jsonResponse(
      { status: "error", message: "This site may not submit this form", error_code: "ORIGIN_NOT_ALLOWED" },
      403,
      { vary: "Origin" },
    );
  }
  // The page's script reports the visitor's first input here (lib/forms/stats.ts), not a submission.
  if (new URL(req.url).searchParams.get("event") === "start") {
    await countStart(form, req);
    return new Response(null, { status: 204, headers: cors });
  }
  try {
    const outcome = await receiveSubmission(form, req);
    switch (outcome.kind) {
      case "accepted":
        return accepted(form, req, outcome.answer, outcome.outsideArea, cors);
      case "invalid":
        if (json) throw errors.validation(outcome.errors);
        return (await pages()).formAgainPage(form, outcome.again, 422, { errors: outcome.errors });
      case "unavailable":
        if (json) throw outcome.cause;
        // The visitor gets the form back with everything typed, to send again in a moment.
        console.error("[intake] database unreachable: the form was shown again");
        return (await pages()).formAgainPage(form, outcome.again, 503, {
          notice:
            "We could not save your request just now. Everything you typed is still here: please send it again in a minute.",
        });
    }
  } catch (error) {
    // A body the form cannot take (too large, unreadable, of another type): a page for a browser.
    const failure = error instanceof DomainError ? fromDomain(error) : error;
    if (!json && failure instanceof ApiError && failure.status < 500) {
      const message = failure.body.errors?.[0]?.message ?? failure.body.message;
      return (await pages()).messagePage(form, message, failure.status);
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
