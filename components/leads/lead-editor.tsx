"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { fetchJson } from "@/components/admin/fetch-json";
import { failure, FormStatus, splitList, useTextFields } from "@/components/admin/form-state";
import { Field } from "@/components/ui/field";
import type { AdminLead, assignableUsers } from "@/lib/leads/admin";
import type { Stage } from "@/lib/leads/pipeline";
import { StageSelect } from "./stage-select";
import type { LeadCapabilities } from "@/lib/leads/store";

const TEXT_FIELDS = [
  ["name", "Name"],
  ["email", "Email"],
  ["phone", "Phone"],
  ["address_street1", "Street"],
  ["address_street2", "Street, line 2"],
  ["address_city", "City"],
  ["address_state", "State"],
  ["address_zip", "ZIP code"],
  ["address_country", "Country"],
  ["service_type", "Service"],
  ["source", "Source"],
] as const;

type Values = Record<string, string>;

function valuesOf(lead: AdminLead): Values {
  const values: Values = {};
  for (const [key] of TEXT_FIELDS) values[key] = lead[key] ?? "";
  values.stage = lead.stage ?? "";
  values.priority = lead.priority ?? "";
  values.projected_value = lead.projected_value === null ? "" : String(lead.projected_value);
  values.follow_up_date = lead.follow_up_date?.slice(0, 10) ?? "";
  values.notes = lead.notes ?? "";
  values.tags = lead.tags.join(", ");
  values.assigned_to = lead.assigned_to ?? "";
  return values;
}

const timeOf = (at: string | null) => (at ? Date.parse(at) : 0);

/** Only what changed; an emptied field is cleared (null), as the API's null does. */
function changes(before: Values, after: Values): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const key of Object.keys(after)) {
    const value = after[key]!.trim();
    if (value === before[key]!.trim()) continue;
    if (key === "tags") {
      body.tags = splitList(value);
    } else if (key === "projected_value") {
      body.projected_value = value === "" ? null : Number(value);
    } else body[key] = value === "" ? null : value;
  }
  return body;
}

export function LeadEditor({
  lead,
  assignees,
  canAssign,
  capabilities,
  stages,
}: {
  lead: AdminLead;
  /** The pipeline, for the stage. */
  stages: Stage[];
  assignees: Awaited<ReturnType<typeof assignableUsers>>;
  canAssign: boolean;
  /** The lead store's: the assignee, archiving and replacing tags are offered where it can do them. */
  capabilities: LeadCapabilities;
}) {
  const router = useRouter();
  const [saved, setSaved] = useState(() => valuesOf(lead));
  const [values, setValues, bind] = useTextFields(saved);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [archived, setArchived] = useState(lead.archived);
  // The version shown. The editor's own save moves it along, so the page's refresh after it keeps the
  // "Saved." and the open form; a version from elsewhere (a proposal accepted) starts it afresh.
  const [version, setVersion] = useState(lead.updated_at);
  if (lead.updated_at !== version && timeOf(lead.updated_at) > timeOf(version)) {
    const fresh = valuesOf(lead);
    setVersion(lead.updated_at);
    setSaved(fresh);
    setValues(fresh);
    setErrors({});
    setArchived(lead.archived);
    setStatus(null);
  }

  async function send(body: Record<string, unknown>, done: string) {
    setBusy(true);
    setStatus(null);
    try {
      const { data } = await fetchJson<{ data: AdminLead }>(`/api/admin/leads/${lead.id}`, {
        method: "PATCH",
        body,
      });
      const fresh = valuesOf(data);
      setVersion(data.updated_at);
      setSaved(fresh);
      setValues(fresh);
      setErrors({});
      setArchived(data.archived);
      setStatus(done);
      router.refresh();
    } catch (error) {
      const failed = failure(error, "The change could not be saved. Check the connection and try again.");
      setErrors(failed.fields);
      setStatus(failed.status);
    } finally {
      setBusy(false);
    }
  }

  const dirty = Object.keys(changes(saved, values)).length > 0;

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const body = changes(saved, values);
        if (Object.keys(body).length > 0) void send(body, "Saved.");
      }}
    >
      <FormStatus status={status} failed={Object.keys(errors).length > 0} />
      <div className="grid-2">
        {TEXT_FIELDS.map(([key, label]) => (
          <Field key={key} id={key} label={label} error={errors[key]}>
            {(aria) => (
              <input
                {...aria}
                {...bind(key)}
                type={key === "email" ? "email" : key === "phone" ? "tel" : "text"}
              />
            )}
          </Field>
        ))}
        <Field id="stage" label="Stage" error={errors.stage}>
          {(aria) => <StageSelect {...aria} {...bind("stage")} stages={stages} />}
        </Field>
        <Field id="priority" label="Priority" error={errors.priority}>
          {(aria) => (
            <select {...aria} {...bind("priority")}>
              <option value="">None</option>
              <option value="low">Low</option>
              <option value="medium">Medium</option>
              <option value="high">High</option>
            </select>
          )}
        </Field>
        <Field id="projected_value" label="Projected value" error={errors.projected_value}>
          {(aria) => (
            <input
              {...aria}
              {...bind("projected_value")}
              type="number"
              min="0"
              step="0.01"
              inputMode="decimal"
            />
          )}
        </Field>
        <Field id="follow_up_date" label="Follow-up date" error={errors.follow_up_date}>
          {(aria) => <input {...aria} {...bind("follow_up_date")} type="date" />}
        </Field>
        {capabilities.assign ? (
          <Field id="assigned_to" label="Assigned to" error={errors.assigned_to}>
            {(aria) => (
              <select {...aria} {...bind("assigned_to")} disabled={!canAssign}>
                <option value="">Nobody</option>
                {assignees.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : null}
      </div>
      <Field
        id="tags"
        label="Tags"
        hint={
          capabilities.replaceTags
            ? "Separated by commas"
            : "Separated by commas. New tags are added; Rotor keeps the others"
        }
        error={errors.tags}
      >
        {(aria) => <input {...aria} {...bind("tags")} />}
      </Field>
      <Field id="notes" label="Notes" error={errors.notes}>
        {(aria) => <textarea {...aria} {...bind("notes")} rows={5} />}
      </Field>
      <div className="toolbar">
        <button type="submit" className="primary" disabled={busy || !dirty}>
          {busy ? "Saving…" : "Save changes"}
        </button>
        {capabilities.archive ? (
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              // Unsaved edits go along, rather than being replaced by the stored values.
              send({ ...changes(saved, values), archived: !archived }, archived ? "Unarchived." : "Archived.")
            }
          >
            {archived ? "Unarchive" : "Archive"}
          </button>
        ) : (
          <span className="muted">Archiving and assigning are done in Rotor.</span>
        )}
      </div>
    </form>
  );
}
