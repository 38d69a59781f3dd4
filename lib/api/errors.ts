/** One error class for every failure the API reports, carrying the contract's exact body. */

export interface FieldError {
  field: string;
  message: string;
}

export interface ErrorBody {
  status: "error";
  message: string;
  error_code?: string;
  errors?: FieldError[];
}

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

export const errors = {
  validation: (fieldErrors: FieldError[]) =>
    new ApiError(400, { status: "error", message: "Validation failed", errors: fieldErrors }),
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
  adminOnly: () => error(403, "Forbidden: only an admin may do this", "FORBIDDEN"),
  crossOrigin: () => error(403, "Forbidden: cross-origin request", "FORBIDDEN"),
  conflict: (message: string) => error(409, message, "CONFLICT"),
  notFound: () => error(404, "Not found"),
  methodNotAllowed: (allowed: string[]) =>
    error(405, "Method not allowed", "METHOD_NOT_ALLOWED", { allow: allowed.join(", ") }),
  payloadTooLarge: (limitBytes: number) =>
    error(413, `Request body exceeds ${limitBytes / 1024} KiB`, "PAYLOAD_TOO_LARGE"),
  rateLimited: (limit: number, retryAfterSeconds: number) =>
    error(429, `Daily API key request limit of ${limit} exceeded`, "RATE_LIMIT_EXCEEDED", {
      "retry-after": String(retryAfterSeconds),
    }),
  /** Upstream mode: Rotor could not be reached after every retry; the caller may try again. */
  upstreamUnavailable: () =>
    error(503, "Rotor is not answering; try again shortly", "UPSTREAM_UNAVAILABLE", { "retry-after": "30" }),
  /** Upstream mode: something Rotor's API cannot do (archive, assign, replace tags, bulk changes). */
  notUpstream: (what: string) =>
    error(409, `${what} is not possible while the leads live in Rotor`, "NOT_SUPPORTED_UPSTREAM"),
  /** The database could not be reached: nothing is wrong with the request, which may be sent again. */
  unavailable: () =>
    error(503, "The service is unavailable; try again shortly", "SERVICE_UNAVAILABLE", {
      "retry-after": "5",
    }),
  internal: () => error(500, "Internal server error"),
};
