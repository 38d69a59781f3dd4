import { fail } from "@/lib/errors";
import { readJsonObject, readLimitedText } from "@/lib/http/body";
import type { Form } from "./repository";

/**
 * The portal's own origin as the browser addressed it: from the Host header (or the platform's
 * forwarded one), since the framework may rebuild the request's URL with another host name.
 */
function portalOrigin(req: Request): string {
  const url = new URL(req.url);
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host") ?? url.host;
  const proto = req.headers.get("x-forwarded-proto") ?? url.protocol.replace(":", "");
  return `${proto}://${host}`;
}

/** The portal's host (and port) as the browser addressed it. */
export function portalHost(req: Request): string {
  return new URL(portalOrigin(req)).host;
}

/** Whether a request may submit this form: no Origin (not a browser), the portal itself, or an allowed one. */
export function originAllowed(form: Form, req: Request): boolean {
  const origin = req.headers.get("origin");
  return origin === null || origin === portalOrigin(req) || form.allowedOrigins.includes(origin);
}

/**
 * CORS headers, built per request from the form's allowed origins: none for any other origin. A
 * business's own script may send JSON with an Idempotency-Key, so both headers are allowed.
 */
export function corsHeaders(form: Form, req: Request): Record<string, string> {
  const origin = req.headers.get("origin");
  const headers: Record<string, string> = { vary: "Origin" };
  if (origin && form.allowedOrigins.includes(origin)) {
    headers["access-control-allow-origin"] = origin;
    headers["access-control-allow-methods"] = "POST, OPTIONS";
    headers["access-control-allow-headers"] = "content-type, idempotency-key";
    headers["access-control-max-age"] = "600";
  }
  return headers;
}

export function isJsonRequest(req: Request): boolean {
  return (req.headers.get("content-type") ?? "").toLowerCase().includes("application/json");
}

/** A submission's fields: a JSON object, or an HTML form's url-encoded body. */
export async function readSubmission(req: Request): Promise<Record<string, unknown>> {
  if (isJsonRequest(req)) return readJsonObject(req);
  const type = (req.headers.get("content-type") ?? "").toLowerCase();
  if (!type.includes("application/x-www-form-urlencoded")) {
    throw fail.invalid("body", "Send application/x-www-form-urlencoded or application/json");
  }
  // A name sent several times (checkboxes) keeps every value.
  const fields: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(await readLimitedText(req))) {
    const before = fields[name];
    fields[name] = before === undefined ? value : [...(Array.isArray(before) ? before : [before]), value];
  }
  return fields;
}
