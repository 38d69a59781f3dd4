"use client";

import { useRouter } from "next/navigation";
import { Fragment, useState } from "react";
import type { z } from "zod";
import { DateTime } from "@/components/ui/date-time";
import { Field } from "@/components/ui/field";
import { SecretOnce } from "@/components/ui/secret-once";
import type { EndpointView, endpointUpdateSchema } from "@/lib/webhooks";
import type { WebhookFormat } from "@/lib/db/schema";
import { fetchJson, RequestFailed } from "./fetch-json";

type EndpointChange = z.input<typeof endpointUpdateSchema>;

/** The changes an endpoint offers: Resume while its failures pause it, and Turn off or Turn on. */
function changesOf(endpoint: EndpointView): { label: string; body: EndpointChange }[] {
  const toggle = { label: endpoint.active ? "Turn off" : "Turn on", body: { active: !endpoint.active } };
  return endpoint.active && endpoint.pausedUntil
    ? [{ label: "Resume", body: { paused: false } }, toggle]
    : [toggle];
}

/**
 * The company's webhook endpoints: add one (its secret shown once), turn one off or on, resume one
 * its failures paused, remove one. An endpoint's pausedUntil is given only while its pause lasts.
 */
const FORMAT_LABELS: Record<WebhookFormat, string> = {
  json: "Signed JSON events",
  slack: "Slack",
  discord: "Discord",
  teams: "Microsoft Teams",
};

export function WebhookEndpoints({ endpoints }: { endpoints: EndpointView[] }) {
  const router = useRouter();
  const [url, setUrl] = useState("");
  const [format, setFormat] = useState<WebhookFormat>("json");
  const [error, setError] = useState<string | undefined>();
  const [secret, setSecret] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  /** Every change to an endpoint, and its removal: one request, then the page's data again. */
  async function send(endpoint: EndpointView, init: { method: "PATCH" | "DELETE"; body?: EndpointChange }) {
    setBusy(true);
    try {
      await fetchJson(`/api/admin/webhooks/${endpoint.id}`, init);
      router.refresh();
    } finally {
      setBusy(false);
    }
  }

  async function create() {
    setBusy(true);
    try {
      const created = await fetchJson<{ secret: string }>("/api/admin/webhooks", {
        method: "POST",
        body: { url, format },
      });
      setSecret(created.secret);
      setError(undefined);
      setUrl("");
      router.refresh();
    } catch (failure) {
      setError(
        failure instanceof RequestFailed ? (failure.fields.url ?? failure.message) : "It could not be added.",
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      {secret ? (
        <SecretOnce
          title="Endpoint added."
          secret={secret}
          testId="webhook-secret"
          onDone={() => setSecret(null)}
        >
          Its signing secret is shown this once: keep it where the receiver checks signatures.
        </SecretOnce>
      ) : null}
      <form
        className="card"
        style={{ marginBottom: "1rem" }}
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <div className="grid-2">
          <Field
            id="webhook-url"
            label="Endpoint URL"
            hint={
              format === "json"
                ? "https://… receiving a POST per lead event"
                : `The incoming webhook's address that ${FORMAT_LABELS[format]} gave you`
            }
            error={error}
          >
            {(aria) => <input {...aria} type="url" value={url} onChange={(e) => setUrl(e.target.value)} />}
          </Field>
          <Field
            id="webhook-format"
            label="Sends"
            hint={
              format === "json" ? undefined : "A message per new lead, with a call link and the lead's page"
            }
          >
            {(aria) => (
              <select {...aria} value={format} onChange={(e) => setFormat(e.target.value as WebhookFormat)}>
                {Object.entries(FORMAT_LABELS).map(([value, label]) => (
                  <option key={value} value={value}>
                    {value === "json" ? label : `A message in ${label}`}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <button type="submit" className="primary" disabled={busy}>
          Add endpoint
        </button>
      </form>
      {endpoints.length === 0 ? (
        <p className="muted">No endpoints yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="data cards">
            <thead>
              <tr>
                <th scope="col">URL</th>
                <th scope="col">Sends</th>
                <th scope="col">Secret</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {endpoints.map((e) => (
                <tr key={e.id}>
                  <td className="title">
                    <code>{e.url}</code>
                  </td>
                  <td data-label="Sends">{e.format === "json" ? "Signed JSON" : FORMAT_LABELS[e.format]}</td>
                  <td data-label="Secret">
                    <code>{e.secretHint}</code>
                  </td>
                  <td data-label="State">
                    {!e.active ? (
                      "Off"
                    ) : e.pausedUntil ? (
                      <>
                        Paused after {e.failureStreak} failed attempts in a row, until{" "}
                        <DateTime value={e.pausedUntil} />
                      </>
                    ) : (
                      "On"
                    )}
                  </td>
                  <td className="actions" style={{ whiteSpace: "nowrap" }}>
                    {changesOf(e).map(({ label, body }) => (
                      <Fragment key={label}>
                        <button
                          type="button"
                          disabled={busy}
                          onClick={() => void send(e, { method: "PATCH", body })}
                        >
                          {label}
                        </button>{" "}
                      </Fragment>
                    ))}
                    <button
                      type="button"
                      className="danger"
                      disabled={busy}
                      onClick={() => {
                        if (window.confirm(`Remove ${e.url} and its delivery log?`)) {
                          void send(e, { method: "DELETE" });
                        }
                      }}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** Sends a failed item again, or a delivered webhook once more. */
export function ReplayButton({ id, label }: { id: number; label: string }) {
  const router = useRouter();
  const [state, setState] = useState<"idle" | "busy" | "done" | "error">("idle");
  return (
    <>
      <button
        type="button"
        disabled={state === "busy" || state === "done"}
        onClick={async () => {
          setState("busy");
          try {
            await fetchJson(`/api/admin/outbox/${id}/replay`, { method: "POST" });
            setState("done");
            router.refresh();
          } catch {
            setState("error");
          }
        }}
      >
        {state === "done" ? "Queued" : label}
      </button>
      {state === "error" ? (
        <span className="form-error" role="alert">
          {" "}
          Could not queue it.
        </span>
      ) : null}
    </>
  );
}
