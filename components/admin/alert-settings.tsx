"use client";

import { useState } from "react";
import { Field } from "@/components/ui/field";
import type { AlertPreferences } from "@/lib/alerts/preferences";
import { fetchJson } from "./fetch-json";
import { failure, FormStatus } from "./form-state";

interface Channels {
  email: boolean;
  sms: boolean;
}

/** A staff member's own alert choices: which leads, how, and when not. */
export function AlertSettings({
  initial,
  channels,
  forms,
  admin,
}: {
  initial: AlertPreferences;
  channels: Channels;
  forms: { id: string; title: string }[];
  admin: boolean;
}) {
  const [prefs, setPrefs] = useState(initial);
  const [phone, setPhone] = useState(initial.smsPhone ?? "");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof AlertPreferences>(key: K, value: AlertPreferences[K]) =>
    setPrefs((p) => ({ ...p, [key]: value }));

  async function save() {
    setBusy(true);
    try {
      await fetchJson("/api/admin/account/alerts", {
        method: "PUT",
        body: { ...prefs, smsPhone: phone.trim() || null },
      });
      setErrors({});
      setFailed(false);
      setStatus("Saved.");
    } catch (error) {
      const result = failure(error, "Your alert settings could not be saved.");
      setErrors(result.fields);
      setFailed(true);
      setStatus(result.status);
    } finally {
      setBusy(false);
    }
  }

  async function test() {
    setStatus(null);
    try {
      const answer = await fetchJson<{ message: string }>("/api/admin/account/alerts/test", {
        method: "POST",
      });
      setFailed(false);
      setStatus(answer.message);
    } catch (error) {
      setFailed(true);
      setStatus(failure(error, "The test alert could not be sent.").status);
    }
  }

  return (
    <form
      className="card alert-settings"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <FormStatus status={status} failed={failed} />
      <Field id="scope" label="Tell me about" error={errors.scope}>
        {(aria) => (
          <select
            {...aria}
            value={prefs.scope}
            onChange={(e) => set("scope", e.target.value as AlertPreferences["scope"])}
          >
            <option value="default">
              {admin ? "Every new lead (as an admin)" : "Leads assigned to me (as a member)"}
            </option>
            <option value="all">Every new lead</option>
            <option value="mine">Only leads assigned to me</option>
            <option value="none">Nothing</option>
          </select>
        )}
      </Field>
      <fieldset className="checks">
        <legend>By</legend>
        <label>
          <input type="checkbox" checked={prefs.email} onChange={(e) => set("email", e.target.checked)} />{" "}
          Email
          {channels.email ? null : <span className="muted"> (email is not set up on this server)</span>}
        </label>
        <label>
          <input type="checkbox" checked={prefs.push} onChange={(e) => set("push", e.target.checked)} /> Push,
          on the devices below
        </label>
        <label>
          <input
            type="checkbox"
            checked={prefs.sms}
            disabled={!channels.sms}
            onChange={(e) => set("sms", e.target.checked)}
          />{" "}
          Text message
          {channels.sms ? null : <span className="muted"> (texts are not set up on this server)</span>}
        </label>
      </fieldset>
      {prefs.sms ? (
        <Field id="smsPhone" label="Text me at" error={errors.smsPhone}>
          {(aria) => (
            <input
              {...aria}
              type="tel"
              autoComplete="tel"
              value={phone}
              onChange={(e) => setPhone(e.target.value)}
            />
          )}
        </Field>
      ) : null}
      {forms.length > 1 ? (
        <fieldset className="checks">
          <legend>From the forms</legend>
          <label>
            <input
              type="checkbox"
              checked={prefs.forms === null}
              onChange={(e) => set("forms", e.target.checked ? null : [])}
            />{" "}
            All forms
          </label>
          {forms.map((form) => (
            <label key={form.id}>
              <input
                type="checkbox"
                disabled={prefs.forms === null}
                checked={prefs.forms === null || prefs.forms.includes(form.id)}
                onChange={(e) =>
                  set(
                    "forms",
                    e.target.checked
                      ? [...(prefs.forms ?? []), form.id]
                      : (prefs.forms ?? []).filter((id) => id !== form.id),
                  )
                }
              />{" "}
              {form.title}
            </label>
          ))}
        </fieldset>
      ) : null}
      <fieldset className="checks">
        <legend>Quiet hours</legend>
        <label>
          <input
            type="checkbox"
            checked={prefs.quiet !== null}
            onChange={(e) => set("quiet", e.target.checked ? { from: "21:00", to: "07:00" } : null)}
          />{" "}
          No alerts at night; what came in waits for the morning digest
        </label>
      </fieldset>
      {prefs.quiet ? (
        <div className="grid-2">
          <Field id="quiet-from" label="From" error={errors.quiet}>
            {(aria) => (
              <input
                {...aria}
                type="time"
                value={prefs.quiet?.from ?? ""}
                onChange={(e) => set("quiet", { from: e.target.value, to: prefs.quiet?.to ?? "07:00" })}
              />
            )}
          </Field>
          <Field id="quiet-to" label="To">
            {(aria) => (
              <input
                {...aria}
                type="time"
                value={prefs.quiet?.to ?? ""}
                onChange={(e) => set("quiet", { from: prefs.quiet?.from ?? "21:00", to: e.target.value })}
              />
            )}
          </Field>
        </div>
      ) : null}
      <fieldset className="checks">
        <legend>Morning digest</legend>
        <label>
          <input type="checkbox" checked={prefs.digest} onChange={(e) => set("digest", e.target.checked)} />{" "}
          An email each morning with the leads still waiting and the follow-ups due
        </label>
      </fieldset>
      {prefs.digest && !prefs.quiet ? (
        <Field id="digestAt" label="At" error={errors.digestAt}>
          {(aria) => (
            <input
              {...aria}
              type="time"
              value={prefs.digestAt}
              onChange={(e) => set("digestAt", e.target.value)}
            />
          )}
        </Field>
      ) : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Saving…" : "Save alert settings"}
        </button>
        <button type="button" onClick={() => void test()}>
          Send me a test alert
        </button>
      </div>
    </form>
  );
}
