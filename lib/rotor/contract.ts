import type { FieldError } from "@/lib/errors";

/** The version of Rotor's Open API this portal speaks, as a client and as a server. */
export const API_VERSION = "1.1.0";

/** Rotor's error body, as its API documents it. */
export interface RotorErrorBody {
  status: "error";
  message: string;
  error_code?: string;
  errors?: FieldError[];
}

export function isRotorErrorBody(body: unknown): body is RotorErrorBody {
  return (
    typeof body === "object" &&
    body !== null &&
    (body as RotorErrorBody).status === "error" &&
    typeof (body as RotorErrorBody).message === "string"
  );
}

/** Rotor answered with an error of its own (a 4xx): its status and body are passed on as they are. */
export class RotorRejectedError extends Error {
  override name = "RotorRejectedError";
  constructor(
    readonly status: number,
    readonly body: RotorErrorBody,
    /** The answer's headers worth passing on: Rotor's Retry-After, when it sent one. */
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
  }
}

/** Rotor could not be reached, or kept failing, after every retry. */
export class RotorUnavailableError extends Error {
  override name = "RotorUnavailableError";
  constructor(
    message: string,
    /** The last HTTP status seen, when there was one. */
    readonly status: number | null,
    /** How long Rotor asked to wait (a 429's Retry-After), when it did. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}
