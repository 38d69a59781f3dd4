"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { fetchJson } from "@/components/admin/fetch-json";
import { failure, FormStatus, splitList, useTextFields } from "@/components/admin/form-state";
import { Field } from "@/components/ui/field";
import type { Stage } from "@/lib/leads/pipeline";
import { StageSelect } from "./stage-select";

const FIELDS = [
  ["name", "Name", "text"],
  ["phone", "Phone", "tel"],
  ["email", "Email", "email"],
  ["address_street1", "Street", "text"],
  ["address_city", "City", "text"],
  ["address_zip", "ZIP code", "text"],
  ["service_type", "Service", "text"],
  ["source", "Source", "text"],
] as const;

/** A lead typed in by staff (a phone call, a walk-in); it dedupes like every other lead. */
export function NewLeadForm({ stages }: { stages: Stage[] }) {
  const router = useRouter();
  const first = stages.find((s) => s.kind === "open")?.name ?? "";
  const [values, , bind] = useTextFields<string>({ stage: first, source: "phone" });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit() {
    setBusy(true);
    const body: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(values)) if (value.trim()) body[key] = value.trim();
    if (body.tags) {
      body.tags = splitList(String(body.tags));
    }
    try {
      const answer = await fetchJson<{ data: { id: string } }>("/api/admin/leads", { method: "POST", body });
      router.push(`/admin/leads/${answer.data.id}`);
    } catch (error) {
      const failed = failure(error, "The lead could not be saved. Check the connection and try again.");
      setErrors(failed.fields);
      setStatus(failed.status);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <FormStatus status={status} failed={Object.keys(errors).length > 0} />
      <div className="grid-2">
        {FIELDS.map(([key, label, type]) => (
          <Field key={key} id={key} label={label} error={errors[key]}>
            {(aria) => <input {...aria} {...bind(key)} type={type} />}
          </Field>
        ))}
        <Field id="stage" label="Stage" error={errors.stage}>
          {(aria) => <StageSelect {...aria} {...bind("stage")} stages={stages} />}
        </Field>
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
