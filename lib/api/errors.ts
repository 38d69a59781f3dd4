import { type DomainError, fail, type FieldError } from "@/lib/errors";
import type { RotorErrorBody } from "@/lib/rotor/contract";

/**
 * The API's failures as the contract states them: the transport's own (keys, scopes, versions,
 * limits) and, through `fromDomain`, the domain's. The body is the contract's exact error body.
 */
export type ErrorBody = RotorErrorBody;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
    this.name = "ApiError";
  }
}

const error = (status: number, message: string, error_code?: string, headers?: Record<string, string>) =>
  new ApiError(
    status,
    error_code ? { status: "error", message, error_code } : { status: "error", message },
    headers,
  );

/** The status and error code each kind of domain failure answers with. */
const DOMAIN_ANSWERS: Record<
  DomainError["code"],
  { status: number; code?: string; headers?: Record<string, string> }
> = {
  validation: { status: 400 },
  not_found: { status: 404 },
  conflict: { status: 409, code: "CONFLICT" },
  forbidden: { status: 403, code: "FORBIDDEN" },
  not_supported_upstream: { status: 409, code: "NOT_SUPPORTED_UPSTREAM" },
  too_large: { status: 413, code: "PAYLOAD_TOO_LARGE" },
  unavailable: { status: 503, code: "SERVICE_UNAVAILABLE", headers: { "retry-after": "5" } },
  key_reused: { status: 422, code: "IDEMPOTENCY_KEY_REUSED" },
};

export function fromDomain(failure: DomainError): ApiError {
  const answer = DOMAIN_ANSWERS[failure.code];
  if (failure.code === "validation")
    // The contract's one message for every validation failure; the fields say what is wrong.
    return new ApiError(answer.status, {
      status: "error",
      message: "Validation failed",
      errors: failure.fields,
    });
  return error(answer.status, failure.message, answer.code, answer.headers);
}

export const errors = {
  validation: (fieldErrors: FieldError[]) => fromDomain(fail.validation(fieldErrors)),
  unsupportedVersion: (version: string) =>
    error(
      400,
      `Unsupported rotor-api-version '${version.slice(0, 40)}'. Supported: 1.1.0`,
      "UNSUPPORTED_API_VERSION",
    ),
  authenticationRequired: () =>
    error(401, "Authentication required. Provide x-api-key header.", "AUTHENTICATION_REQUIRED"),
  invalidKey: () => error(401, "Invalid API key", "INVALID_API_KEY"),
  insufficientScope: (scope: string) =>
    error(403, `Forbidden: required scope '${scope}' not granted for this API key`, "INSUFFICIENT_SCOPE"),
  signInRequired: () => error(401, "Sign in required", "AUTHENTICATION_REQUIRED"),
  adminOnly: () => fromDomain(fail.adminOnly()),
  crossOrigin: () => error(403, "Forbidden: cross-origin request", "FORBIDDEN"),
  notFound: () => fromDomain(fail.notFound()),
  methodNotAllowed: (allowed: string[]) =>
    error(405, "Method not allowed", "METHOD_NOT_ALLOWED", { allow: allowed.join(", ") }),
  rateLimited: (limit: number, retryAfterSeconds: number) =>
    error(429, `Daily API key request limit of ${limit} exceeded`, "RATE_LIMIT_EXCEEDED", {
      "retry-after": String(retryAfterSeconds),
    }),
  /** Upstream mode: Rotor could not be reached after every retry; the caller may try again. */
  upstreamUnavailable: () =>
    error(503, "Rotor is not answering; try again shortly", "UPSTREAM_UNAVAILABLE", { "retry-after": "30" }),
  /** The form was archived by its business: it takes no more submissions (410 Gone). */
  formArchived: () => error(410, "This form no longer takes requests", "FORM_ARCHIVED"),
  internal: () => error(500, "Internal server error"),
};
