"use client";

import { useActionState, useState } from "react";
import { setUpFirstAdmin, type SetupState } from "@/lib/auth/actions";
import { Field } from "@/components/ui/field";

export function SetupForm() {
  const [state, action, pending] = useActionState<SetupState, FormData>(setUpFirstAdmin, {
    values: { name: "", email: "" },
    errors: {},
  });
  const count = Object.keys(state.errors).length;
  // The passwords are the page's own state, so that an error elsewhere does not clear them (React
  // resets a form's uncontrolled fields after its action): only one that was refused is emptied.
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [answered, setAnswered] = useState(state);
  if (answered !== state) {
    setAnswered(state);
    if (state.errors.password) setPassword("");
    if (state.errors.password || state.errors.confirm) setConfirm("");
  }
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
        {(aria) => (
          <input
            {...aria}
            name="password"
            type="password"
            autoComplete="new-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        )}
      </Field>
      <Field id="confirm" label="Password again" error={state.errors.confirm}>
        {(aria) => (
          <input
            {...aria}
            name="confirm"
            type="password"
            autoComplete="new-password"
            required
            value={confirm}
            onChange={(e) => setConfirm(e.target.value)}
          />
        )}
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
