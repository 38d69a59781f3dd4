"use client";

import { useActionState } from "react";
import { authenticate, type SignInState } from "@/lib/auth/actions";
import { Field } from "@/components/ui/field";

export function SignInForm({ callbackUrl, notice }: { callbackUrl: string; notice: string | null }) {
  const [state, action, pending] = useActionState<SignInState, FormData>(authenticate, {
    email: "",
    error: notice,
  });
  return (
    <form action={action} className="card" noValidate>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <Field id="email" label="Email">
        {(aria) => (
          <input
            {...aria}
            name="email"
            type="email"
            autoComplete="username"
            required
            defaultValue={state.email}
          />
        )}
      </Field>
      <Field id="password" label="Password">
        {(aria) => (
          <input {...aria} name="password" type="password" autoComplete="current-password" required />
        )}
      </Field>
      <p className="form-error" role="alert" aria-live="assertive">
        {state.error}
      </p>
      <button type="submit" className="primary" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
