"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { fetchJson, RequestFailed } from "@/components/admin/fetch-json";
import { Field } from "@/components/ui/field";

const FIELDS = [
  ["name", "Name", "text"],
  ["phone", "Phone", "tel"],
  ["email", "Email", "email"],
  ["address_street1", "Street", "text"],
  ["address_city", "City", "text"],
  ["address_zip", "ZIP code", "text"],
  ["service_type", "Service", "text"],
  ["stage", "Stage", "text"],
  ["source", "Source", "text"],
] as const;

/** A lead typed in by staff (a phone call, a walk-in); it dedupes like every other lead. */
export function NewLeadForm() {
  const router = useRouter();
  const [values, setValues] = useState<Record<string, string>>({ stage: "new", source: "phone" });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit() {
    setBusy(true);
    const body: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(values)) if (value.trim()) body[key] = value.trim();
    if (body.tags) {
      body.tags = String(body.tags)
        .split(",")
        .map((t) => t.trim())
        .filter(Boolean);
    }
    try {
      const answer = await fetchJson<{ data: { id: string } }>("/api/admin/leads", { method: "POST", body });
      router.push(`/admin/leads/${answer.data.id}`);
    } catch (error) {
      if (error instanceof RequestFailed) {
        setErrors(error.fields);
        setStatus(error.body.errors ? "Please correct the fields marked below." : error.message);
      } else setStatus("The lead could not be saved. Check the connection and try again.");
    } finally {
      setBusy(false);
    }
  }

  const bind = (key: string) => ({
    value: values[key] ?? "",
    onChange: (e: { target: { value: string } }) => setValues((v) => ({ ...v, [key]: e.target.value })),
  });

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <p
        role="status"
        aria-live="polite"
        className={Object.keys(errors).length > 0 ? "form-error" : "notice"}
        hidden={!status}
      >
        {status}
      </p>
      <div className="grid-2">
        {FIELDS.map(([key, label, type]) => (
          <Field key={key} id={key} label={label} error={errors[key]}>
            {(aria) => <input {...aria} {...bind(key)} type={type} />}
          </Field>
        ))}
      </div>
      <Field id="tags" label="Tags" hint="Separated by commas" error={errors.tags}>
        {(aria) => <input {...aria} {...bind("tags")} />}
      </Field>
      <Field id="notes" label="Notes" error={errors.notes}>
        {(aria) => <textarea {...aria} {...bind("notes")} rows={4} />}
      </Field>
      <button type="submit" className="primary" disabled={busy}>
        {busy ? "Saving…" : "Save lead"}
      </button>
    </form>
  );
}
