import type { z } from "zod";
import { errors, type FieldError } from "./errors";

export const MAX_BODY_BYTES = 64 * 1024;

/** Reads the body as text, refusing more than MAX_BODY_BYTES before buffering it all. */
export async function readLimitedText(req: Request): Promise<string> {
  const declared = Number(req.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) throw errors.payloadTooLarge(MAX_BODY_BYTES);
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read().catch(() => {
      // The client went away mid-body: nobody reads the answer, and it is not a server fault.
      throw errors.validation([{ field: "body", message: "The request body could not be read" }]);
    });
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw errors.payloadTooLarge(MAX_BODY_BYTES);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The request body as a JSON object, or the contract's 400 on field "body". */
export async function readJsonObject(req: Request): Promise<Record<string, unknown>> {
  const text = await readLimitedText(req);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw errors.validation([{ field: "body", message: "Malformed JSON" }]);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw errors.validation([{ field: "body", message: "Body must be a JSON object" }]);
  }
  return parsed as Record<string, unknown>;
}

/** Zod issues as the contract's field errors: one per field, named as sent, first message wins. */
export function fieldErrors(error: z.ZodError): FieldError[] {
  const byField = new Map<string, string>();
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "body");
    if (!byField.has(field)) byField.set(field, issue.message);
  }
  return [...byField].map(([field, message]) => ({ field, message }));
}

export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw errors.validation(fieldErrors(result.error));
  return result.data;
}

/** Known query parameters as an object; empty values count as absent. */
export function queryObject(params: URLSearchParams, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = params.get(name);
    if (value !== null && value.trim() !== "") out[name] = value;
  }
  return out;
}
