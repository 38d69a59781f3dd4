"use client";

import { useState } from "react";
import { fetchJson, RequestFailed } from "./fetch-json";
import { FormStatus, useTextFields } from "./form-state";
import { Field } from "@/components/ui/field";

export function PasswordForm() {
  const empty = { current: "", password: "", confirm: "" };
  const [values, setValues, bind] = useTextFields(empty);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);

  async function submit() {
    if (values.password !== values.confirm) {
      setErrors({ confirm: "The two passwords differ" });
      return;
    }
    setBusy(true);
    setStatus(null);
    try {
      // The answer carries this session on under the new password; every other one has ended.
      await fetchJson("/api/admin/account/password", {
        method: "POST",
        body: { current: values.current, password: values.password },
      });
      setValues(empty);
      setErrors({});
      setStatus("Password changed. Every other session, on any device, has ended; this one goes on.");
    } catch (error) {
      setErrors(
        error instanceof RequestFailed ? error.fields : { current: "The password could not be changed." },
      );
    }
    setBusy(false);
  }

  return (
    <form
      className="card narrow"
      style={{ margin: 0 }}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <FormStatus status={status} failed={false} />
      <Field id="current" label="Current password" error={errors.current}>
        {(aria) => <input {...aria} {...bind("current")} type="password" autoComplete="current-password" />}
      </Field>
      <Field id="password" label="New password" hint="At least 10 characters" error={errors.password}>
        {(aria) => <input {...aria} {...bind("password")} type="password" autoComplete="new-password" />}
      </Field>
      <Field id="confirm" label="New password again" error={errors.confirm}>
        {(aria) => <input {...aria} {...bind("confirm")} type="password" autoComplete="new-password" />}
      </Field>
      <button type="submit" className="primary" disabled={busy}>
        {busy ? "Changing…" : "Change password"}
      </button>
    </form>
  );
}
