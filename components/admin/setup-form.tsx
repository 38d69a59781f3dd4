"use client";

import { useActionState } from "react";
import { setUpFirstAdmin, type SetupState } from "@/lib/auth/actions";
import { Field } from "@/components/ui/field";

export function SetupForm() {
  const [state, action, pending] = useActionState<SetupState, FormData>(setUpFirstAdmin, {
    values: { name: "", email: "" },
    errors: {},
  });
  const count = Object.keys(state.errors).length;
  return (
    <form action={action} className="card" noValidate>
      <Field id="name" label="Your name" error={state.errors.name}>
        {(aria) => <input {...aria} name="name" autoComplete="name" defaultValue={state.values.name} />}
      </Field>
      <Field id="email" label="Email" error={state.errors.email}>
        {(aria) => (
          <input
            {...aria}
            name="email"
            type="email"
            autoComplete="username"
            required
            defaultValue={state.values.email}
          />
        )}
      </Field>
      <Field id="password" label="Password" hint="At least 10 characters" error={state.errors.password}>
        {(aria) => <input {...aria} name="password" type="password" autoComplete="new-password" required />}
      </Field>
      <Field id="confirm" label="Password again" error={state.errors.confirm}>
        {(aria) => <input {...aria} name="confirm" type="password" autoComplete="new-password" required />}
      </Field>
      <p className="form-error" role="alert" aria-live="assertive">
        {count > 0 ? `Please correct ${count === 1 ? "the field" : `${count} fields`} above.` : null}
      </p>
      <button type="submit" className="primary" disabled={pending}>
        {pending ? "Creating…" : "Create the admin account"}
      </button>
    </form>
  );
}
