"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { fetchJson, RequestFailed } from "./fetch-json";
import { useTextFields } from "./form-state";
import { Field } from "@/components/ui/field";

export function PasswordForm() {
  const router = useRouter();
  const [values, , bind] = useTextFields({ current: "", password: "", confirm: "" });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  async function submit() {
    if (values.password !== values.confirm) {
      setErrors({ confirm: "The two passwords differ" });
      return;
    }
    setBusy(true);
    try {
      await fetchJson("/api/admin/account/password", {
        method: "POST",
        body: { current: values.current, password: values.password },
      });
      // Every session has ended, this one too: sign in again with the new password.
      router.push("/admin/sign-in?notice=password-changed");
    } catch (error) {
      setErrors(
        error instanceof RequestFailed ? error.fields : { current: "The password could not be changed." },
      );
      setBusy(false);
    }
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
