import type { z } from "zod";
import { fail, type FieldError } from "./errors";

/** Zod issues as the contract's field errors: one per field, named as sent, first message wins. */
export function fieldErrors(error: z.ZodError): FieldError[] {
  const byField = new Map<string, string>();
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "body");
    if (!byField.has(field)) byField.set(field, issue.message);
  }
  return [...byField].map(([field, message]) => ({ field, message }));
}

/** The value as the schema's output, or a validation error naming each field at fault. */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw fail.validation(fieldErrors(result.error));
  return result.data;
}
