import type { z } from "zod";
import { fail } from "@/lib/errors";
import { parseOrThrow } from "@/lib/validation";

export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Reads the body as text, refusing more than MAX_BODY_BYTES (or the route's own limit) before
 * buffering it all.
 */
export async function readLimitedText(req: Request, maxBytes: number = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(req.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) throw fail.tooLarge(maxBytes);
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read().catch(() => {
      // The client went away mid-body: nobody reads the answer, and it is not a server fault.
      throw fail.invalid("body", "The request body could not be read");
    });
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw fail.tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The request body as a JSON object, or a validation error on field "body". */
export async function readJsonObject(req: Request, maxBytes?: number): Promise<Record<string, unknown>> {
  const text = await readLimitedText(req, maxBytes);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw fail.invalid("body", "Malformed JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw fail.invalid("body", "Body must be a JSON object");
  }
  return parsed as Record<string, unknown>;
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

/** The request body as the schema's output: read, parsed and validated at the edge. */
export async function readJsonAs<T extends z.ZodType>(
  req: Request,
  schema: T,
  options: { maxBytes?: number } = {},
): Promise<z.infer<T>> {
  return parseOrThrow(schema, await readJsonObject(req, options.maxBytes));
}
