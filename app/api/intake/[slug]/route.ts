import { randomUUID } from "node:crypto";
import { createElement } from "react";
import { ApiError, errors, type FieldError } from "@/lib/api/errors";
import { errorResponse, jsonResponse } from "@/lib/api/respond";
import {
  type Answer,
  answerKeys,
  countAndFindAnswer,
  countSpam,
  inspect,
  issueToken,
  keepAnswer,
  TOKEN_FIELD,
} from "@/lib/forms/guard";
import {
  corsHeaders,
  formNotFoundPage,
  htmlResponse,
  isJsonRequest,
  originAllowed,
  readSubmission,
} from "@/lib/forms/http";
import { FormPage, MessagePage } from "@/lib/forms/render";
import { type Form, findForm } from "@/lib/forms/store";
import { submitForm, submittedValues, validate, visitContext } from "@/lib/forms/submit";
import { isDatabaseUnavailable } from "@/lib/db/unavailable";

type Context = { params: Promise<{ slug: string }> };

/** The answer to an accepted submission: JSON for scripts, a 303 to the thank-you page for a form. */
function accepted(form: Form, req: Request, answer: Answer, cors: Record<string, string>): Response {
  if (isJsonRequest(req)) {
    const body = { status: "success", lead_id: answer.leadId, created: answer.created };
    // Upstream mode, Rotor not answering yet: accepted and kept in the outbox, no lead id so far.
    const status = answer.leadId === null ? 202 : answer.created ? 201 : 200;
    return jsonResponse(body, status, cors);
  }
  // Relative: the framework may rebuild the request URL with another host name than the browser used.
  const location = form.redirectUrl ?? `/f/${form.slug}/thanks`;
  return new Response(null, { status: 303, headers: { location, ...cors } });
}

/** The signed token the submitted form carried, if any. */
function presentedToken(raw: Record<string, unknown>): string | null {
  const presented = raw[TOKEN_FIELD];
  return typeof presented === "string" && presented !== "" ? presented : null;
}

/** The form again with everything the visitor typed, and the messages beside their fields. */
function formAgain(
  form: Form,
  raw: Record<string, unknown>,
  values: Record<string, string>,
  status: number,
  token: string,
  more: { errors?: FieldError[]; notice?: string },
): Promise<Response> {
  const page = createElement(FormPage, {
    form,
    action: `/api/intake/${form.slug}`,
    token,
    context: visitContext(raw),
    values,
    errors: more.errors ?? [],
    notice: more.notice,
  });
  return htmlResponse(page, status, form);
}

/**
 * A visitor's submission. An HTML form (url-encoded) gets a 303 to the thank-you page, or the form
 * again with status 422, every typed value kept and each message beside its field. A script or a
 * business's own site (JSON) gets {status, lead_id, created} or the API's 400 body. Spam is
 * answered as if accepted and counted; a resubmission (same one-time key, or the same payload
 * within minutes) gets the first answer.
 */
export async function POST(req: Request, { params }: Context): Promise<Response> {
  const json = isJsonRequest(req);
  const form = await findForm((await params).slug);
  if (!form) return json ? errorResponse(errors.notFound()) : formNotFoundPage();
  const cors = corsHeaders(form, req);
  if (!originAllowed(form, req)) {
    return jsonResponse(
      { status: "error", message: "This site may not submit this form", error_code: "ORIGIN_NOT_ALLOWED" },
      403,
      { vary: "Origin" },
    );
  }
  let raw: Record<string, unknown> | undefined;
  let values: Record<string, string> | undefined;
  try {
    raw = await readSubmission(req);
    values = submittedValues(form, raw);
    const inspected = await inspect(form, req, raw);
    const header = req.headers.get("idempotency-key")?.slice(0, 200) ?? null;
    const token = inspected.spam ? null : inspected.token;
    const keys = answerKeys(form, values, token?.key ?? header);
    // The hourly limits and an earlier answer are asked of KV together, in one round trip.
    const { limited, first } = inspected.spam
      ? { limited: null, first: null }
      : await countAndFindAnswer(form, req, keys);
    const spam = inspected.spam ?? limited;
    // Sent back too fast but not valid: show the errors as to anyone (a person pressing Send on an
    // empty form at once); only a complete submission that fast is treated as a bot's.
    const tooFastButInvalid = spam === "too-fast" && validate(form, values).length > 0;
    if (spam && !tooFastButInvalid) {
      await countSpam(form);
      return accepted(form, req, { leadId: randomUUID(), created: true }, cors);
    }
    if (first) return accepted(form, req, first, cors);

    // The write makes the company's lists stale before it returns (lib/leads/upsert.ts).
    const result = await submitForm(form, raw, values);
    if (result.ok) {
      const answer = { leadId: result.leadId, created: result.created };
      await keepAnswer(keys, answer);
      return accepted(form, req, answer, cors);
    }
    if (json) throw errors.validation(result.errors);
    // The same rendering continues, its render time and one-time key with it (a forged token was
    // answered as spam above).
    const carried = presentedToken(raw) ?? (await issueToken(form));
    return formAgain(form, raw, result.values, 422, carried, { errors: result.errors });
  } catch (error) {
    // The database is out of reach: the visitor gets the form back with everything typed, to send
    // again in a moment.
    if (!json && raw && values && isDatabaseUnavailable(error)) {
      console.error("[intake] database unreachable: the form was shown again");
      return formAgain(form, raw, values, 503, presentedToken(raw) ?? "", {
        notice:
          "We could not save your request just now. Everything you typed is still here: please send it again in a minute.",
      });
    }
    if (!json && error instanceof ApiError && error.status < 500) {
      const message = error.body.errors?.[0]?.message ?? error.body.message;
      return htmlResponse(createElement(MessagePage, { title: form.title, message }), error.status, form);
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
