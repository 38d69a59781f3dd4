import { fail } from "@/lib/errors";
import { readJsonObject, readLimitedText } from "@/lib/http/body";
import { readMultipart } from "@/lib/http/multipart";
import { PHOTOS_FIELD, type SentPhotos } from "./photos";
import type { Form } from "./repository";

/**
 * The portal's own origin as the browser addressed it: from the Host header (or the platform's
 * forwarded one), since the framework may rebuild the request's URL with another host name.
 */
function portalOrigin(req: Request): string {
  const url = new URL(req.url);
  const host = addressedHost(req.headers) ?? url.host;
  const proto = req.headers.get("x-forwarded-proto") ?? url.protocol.replace(":", "");
  return `${proto}://${host}`;
}

/** The host (and port) a browser addressed, from a request's headers (a page's, or a route's). */
export function addressedHost(headers: Headers): string | null {
  return headers.get("x-forwarded-host") ?? headers.get("host");
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

/**
 * Whether the sender wants JSON answers: it sent JSON, or (the page's script sending photos as
 * multipart/form-data) it asked for JSON.
 */
export function isJsonRequest(req: Request): boolean {
  if ((req.headers.get("content-type") ?? "").toLowerCase().includes("application/json")) return true;
  const accept = (req.headers.get("accept") ?? "").toLowerCase();
  return accept.includes("application/json") && !accept.includes("text/html");
}

/** A submission as sent: its fields, and its photos. */
export interface Sent {
  fields: Record<string, unknown>;
  photos: SentPhotos;
}

/** A name sent several times (checkboxes) keeps every value. */
function collect(entries: Iterable<[string, string]>): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = {};
  for (const [name, value] of entries) {
    const before = fields[name];
    fields[name] = before === undefined ? value : [...(Array.isArray(before) ? before : [before]), value];
  }
  return fields;
}

/**
 * A submission's fields: a JSON object, an HTML form's url-encoded body, or a multipart one (a
 * form with a photo field), whose files named PHOTOS_FIELD are the photos.
 */
export async function readSubmission(req: Request): Promise<Sent> {
  const none: SentPhotos = { files: [], tooLarge: false };
  const type = (req.headers.get("content-type") ?? "").toLowerCase();
  if (type.includes("application/json")) return { fields: await readJsonObject(req), photos: none };
  if (type.includes("multipart/form-data")) {
    const { entries, tooLarge } = await readMultipart(req);
    const files = entries
      .map(([name, value]) => (name === PHOTOS_FIELD && typeof value !== "string" ? value : null))
      .filter((file): file is File => file !== null && (file.size > 0 || file.name !== ""));
    const texts = entries.filter((entry): entry is [string, string] => typeof entry[1] === "string");
    const fields: Record<string, unknown> = collect(texts);
    // The record keeps which photos came (names and sizes), so that the same fields with other
    // photos are not taken for the same submission sent twice.
    if (files.length > 0) fields[PHOTOS_FIELD] = files.map((file) => `${file.name} (${file.size} bytes)`);
    return { fields, photos: { files, tooLarge } };
  }
  if (!type.includes("application/x-www-form-urlencoded")) {
    throw fail.invalid(
      "body",
      "Send application/x-www-form-urlencoded, multipart/form-data or application/json",
    );
  }
  return { fields: collect(new URLSearchParams(await readLimitedText(req))), photos: none };
}
