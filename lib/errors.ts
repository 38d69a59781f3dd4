/**
 * The domain's failures, on the ground floor: any layer may throw them, none needs to know how
 * they travel. `lib/api/respond.ts` alone turns them into the contract's status codes and bodies.
 */

export interface FieldError {
  field: string;
  message: string;
}

export type DomainErrorCode =
  | "not_found"
  | "validation"
  | "conflict"
  | "forbidden"
  | "not_supported_upstream"
  | "too_large"
  | "unavailable"
  | "key_reused";

export class DomainError extends Error {
  override name = "DomainError";
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** For "validation": one message per field, named as sent. */
    readonly fields: FieldError[] = [],
  ) {
    super(message);
  }
}

export const fail = {
  notFound: () => new DomainError("not_found", "Not found"),
  validation: (fields: FieldError[]) => new DomainError("validation", "Validation failed", fields),
  /** One field's problem, the commonest validation failure. */
  invalid: (field: string, message: string) => fail.validation([{ field, message }]),
  conflict: (message: string) => new DomainError("conflict", message),
  adminOnly: () => new DomainError("forbidden", "Forbidden: only an admin may do this"),
  /** Upstream mode: something Rotor's API cannot do (archive, assign, replace tags, bulk changes). */
  notUpstream: (what: string) =>
    new DomainError("not_supported_upstream", `${what} is not possible while the leads live in Rotor`),
  tooLarge: (limitBytes: number) =>
    new DomainError("too_large", `Request body exceeds ${limitBytes / 1024} KiB`),
  /** An Idempotency-Key sent again with other content: it belongs to the first submission. */
  keyReused: () =>
    new DomainError(
      "key_reused",
      "This Idempotency-Key was already used for a different submission; send a new key for new content",
    ),
  /** Something this depends on is down: nothing is wrong with the request, which may be sent again. */
  unavailable: () => new DomainError("unavailable", "The service is unavailable; try again shortly"),
};
