import { createElement, type ReactNode } from "react";
import type { FieldError } from "@/lib/errors";
import { env } from "@/lib/env";
import { HSTS } from "@/lib/http/hsts";
import type { FormAgain } from "./intake";
import { PAGE_SCRIPT_HASH } from "./page-script";
import { type Brand, formBrand } from "./brand";
import { FormPage, MessagePage, renderHtml, ThanksPage, TURNSTILE_ORIGIN } from "./render";
import type { Form, FormChanges } from "./repository";
import { formSettingsSchema } from "./schema";
import type { VisitContext } from "./context";
import { visitContext } from "./submit";

/**
 * The forms' HTML answers, rendered with React. The form pages import this module; the intake
 * imports it only when it answers HTML (a form posted without the page's script), so that a JSON
 * submission, and a cold start's first answer, never loads React's server renderer.
 */

/**
 * The page's policy: its own script only (by hash), inline style, posting to the portal (and
 * following a redirect to the form's thank-you address), framed only by the portal and the form's
 * allowed origins; on a form with a photo field, the photo resizer from the portal too; images
 * from the portal, or from where the business's logo is hosted.
 */
function contentSecurityPolicy(form: Form | undefined, brand: Brand | undefined): string {
  const frameAncestors = ["'self'", ...(form?.allowedOrigins ?? [])].join(" ");
  const formAction = ["'self'", ...(form?.redirectUrl ? [new URL(form.redirectUrl).origin] : [])].join(" ");
  // Cloudflare's widget, when Turnstile is on, loads its script and frame from its own host.
  const turnstile = env().TURNSTILE_SITE_KEY ? ` ${TURNSTILE_ORIGIN}` : "";
  // A form with a photo field loads the resizer from the portal when a photo is picked.
  const photos = form?.settings.photos ? " 'self'" : "";
  return [
    "default-src 'none'",
    `script-src ${PAGE_SCRIPT_HASH}${photos}${turnstile}`,
    `frame-src${turnstile || " 'none'"}`,
    `connect-src 'self'${turnstile}`,
    "style-src 'unsafe-inline'",
    `img-src 'self' data:${brand?.logoOrigin ? ` ${brand.logoOrigin}` : ""}`,
    `form-action ${formAction}`,
    `frame-ancestors ${frameAncestors}`,
    "base-uri 'none'",
  ].join("; ");
}

export function formNotFoundPage(): Promise<Response> {
  return htmlResponse(
    createElement(MessagePage, { title: "Form not found", message: "There is no form here." }),
    404,
  );
}

/**
 * A page with nothing of the visitor's on it (the fresh form, the thanks) may be kept for the
 * browser's back and forward buttons (the bfcache), but is asked for again on every visit: a
 * fresh form carries a fresh token. A form shown again holds what the visitor typed: never kept.
 */
const REVALIDATE = "private, no-cache";
const PERSONAL = "no-store";

export async function htmlResponse(
  page: ReactNode,
  status: number,
  form?: Form,
  brand?: Brand,
  cacheControl: string = PERSONAL,
): Promise<Response> {
  return new Response(await renderHtml(page), {
    status,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": contentSecurityPolicy(form, brand),
      "x-content-type-options": "nosniff",
      "referrer-policy": "strict-origin-when-cross-origin",
      "cache-control": cacheControl,
      ...(env().NODE_ENV === "production" ? { "strict-transport-security": HSTS } : {}),
    },
  });
}

/** The form again with everything the visitor typed, and the messages beside their fields. */
export async function formAgainPage(
  form: Form,
  again: FormAgain,
  status: number,
  more: { errors?: FieldError[]; notice?: string },
): Promise<Response> {
  const brand = await formBrand(form);
  const page = createElement(FormPage, {
    form,
    action: `/api/intake/${form.slug}`,
    token: again.token,
    context: visitContext(again.raw),
    values: again.values,
    raw: again.raw,
    errors: more.errors ?? [],
    notice: more.notice,
    brand,
  });
  return htmlResponse(page, status, form, brand);
}

/** The form, fresh, under the business's name and colours. */
export async function formPage(form: Form, token: string, context: VisitContext): Promise<Response> {
  const brand = await formBrand(form);
  const page = createElement(FormPage, {
    form,
    action: `/api/intake/${form.slug}`,
    token,
    context,
    values: {},
    errors: [],
    brand,
  });
  return htmlResponse(page, 200, form, brand, REVALIDATE);
}

/** A short page with the form's title and one message, such as why a submission was refused. */
export async function messagePage(form: Form, message: string, status: number): Promise<Response> {
  const brand = await formBrand(form);
  return htmlResponse(createElement(MessagePage, { title: form.title, message, brand }), status, form, brand);
}

/** The page of an archived form: it takes no more requests; the business's phone, if it has one. */
export function archivedFormPage(form: Form): Promise<Response> {
  return messagePage(form, "This form no longer takes requests. Thank you for thinking of us.", 410);
}

/** The thank-you page: the form's thanks, what happens next, and the business's phone. */
export async function thanksPage(form: Form, { outsideArea = false } = {}): Promise<Response> {
  const brand = await formBrand(form);
  return htmlResponse(createElement(ThanksPage, { form, brand, outsideArea }), 200, form, brand, REVALIDATE);
}

/**
 * The form as it would be with the admin's unsaved changes, drawn by the live page's renderer
 * under the business's brand, without its script (lib/forms/preview in the admin's editor).
 */
export async function previewHtml(form: Form, changes: FormChanges): Promise<string> {
  const draft: Form = {
    ...form,
    ...changes,
    settings: changes.settings ? formSettingsSchema.parse(changes.settings) : form.settings,
  };
  const brand = await formBrand(draft);
  return renderHtml(
    createElement(FormPage, {
      form: draft,
      action: `/api/intake/${form.slug}`,
      token: "",
      context: {},
      values: {},
      errors: [],
      brand,
      preview: true,
    }),
  );
}
