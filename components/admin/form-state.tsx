"use client";

import { useState } from "react";
import { RequestFailed } from "./fetch-json";

/** A list typed as text: split, trimmed, empty entries dropped. */
export function splitList(text: string, separator: RegExp | string = ","): string[] {
  return text
    .split(separator)
    .map((v) => v.trim())
    .filter(Boolean);
}

/** A failed save as a form shows it: each field's message, and one line for the status. */
export function failure(
  error: unknown,
  fallback: string,
): { fields: Record<string, string>; status: string } {
  if (!(error instanceof RequestFailed)) return { fields: {}, status: fallback };
  return {
    fields: error.fields,
    status: error.body.errors ? "Please correct the fields marked below." : error.message,
  };
}

/** Text inputs' values, and the props that tie an input to one of them. */
export function useTextFields<K extends string>(initial: Record<K, string>) {
  const [values, setValues] = useState(initial);
  const bind = (key: K) => ({
    name: key,
    value: values[key] ?? "",
    onChange: (e: { target: { value: string } }) => setValues((v) => ({ ...v, [key]: e.target.value })),
  });
  return [values, setValues, bind] as const;
}

/** The line above a form that says it saved, or why not; announced to screen readers. */
export function FormStatus({ status, failed }: { status: string | null; failed: boolean }) {
  return (
    <p role="status" aria-live="polite" className={failed ? "form-error" : "notice"} hidden={!status}>
      {status}
    </p>
  );
}
