import { isDatabaseUnavailable } from "@/lib/db/unavailable";
import { DomainError, fail } from "@/lib/errors";
import { API_VERSION, RotorRejectedError, RotorUnavailableError } from "@/lib/rotor/contract";
import { ApiError, errors, fromDomain } from "./errors";

export { API_VERSION };

/** A JSON response carrying the API version header; a string body is sent as it is (already JSON). */
export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(typeof body === "string" ? body : JSON.stringify(body), {
    status,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "rotor-api-version": API_VERSION,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      ...headers,
    },
  });
}

/**
 * Maps any thrown value to the contract's body. Unknown errors become the generic 500 and are
 * logged by kind and stack only: their messages can quote stored values, which may be personal.
 */
export function errorResponse(error: unknown, headers: Record<string, string> = {}): Response {
  if (error instanceof ApiError)
    return jsonResponse(error.body, error.status, { ...headers, ...error.headers });
  if (error instanceof DomainError) return errorResponse(fromDomain(error), headers);
  if (isDatabaseUnavailable(error)) {
    console.error("[api] database unreachable: answered 503");
    return errorResponse(fromDomain(fail.unavailable()), headers);
  }
  // Upstream mode: Rotor's own refusal passes through as it is (its field messages included)...
  if (error instanceof RotorRejectedError)
    return jsonResponse(error.body, error.status, { ...headers, ...error.headers });
  // ...and Rotor unreachable after its retries (lib/rotor/client.ts) is not a fault here.
  if (error instanceof RotorUnavailableError) return errorResponse(errors.upstreamUnavailable(), headers);
  const kind = error instanceof Error ? error.name : typeof error;
  // Drivers' codes (SQLSTATE, errno) say what failed without quoting any value; drizzle keeps the
  // driver's error as the cause.
  const code = (error as { code?: unknown })?.code ?? (error as { cause?: { code?: unknown } })?.cause?.code;
  // Only the "at ..." frames: a message, which may span several lines, can quote stored values.
  const frames =
    error instanceof Error
      ? (error.stack ?? "")
          .split("\n")
          .filter((line) => /^\s+at /.test(line))
          .slice(0, 5)
          .join("\n")
      : "";
  console.error(`[api] unhandled ${kind}${code ? ` (${String(code)})` : ""}\n${frames}`);
  const internal = errors.internal();
  return jsonResponse(internal.body, internal.status, headers);
}
