"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { fetchJson, RequestFailed } from "./fetch-json";
import { DateTime } from "@/components/ui/date-time";
import { Field } from "@/components/ui/field";
import { SecretOnce } from "@/components/ui/secret-once";
import type { listCompanyKeys } from "@/lib/auth/api-keys";
import { SCOPES, type Scope } from "@/lib/auth/scopes";

type KeyRow = Awaited<ReturnType<typeof listCompanyKeys>>[number];

export function ApiKeys({ keys, defaultLimit }: { keys: KeyRow[]; defaultLimit: number }) {
  const router = useRouter();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<Scope[]>([...SCOPES]);
  const [limit, setLimit] = useState(String(defaultLimit));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<{ key: string; name: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function create() {
    setBusy(true);
    try {
      const { data } = await fetchJson<{ data: { key: string } }>("/api/admin/api-keys", {
        method: "POST",
        body: { name, scopes, daily_limit: /^\d+$/.test(limit) ? Number(limit) : limit },
      });
      setCreated({ key: data.key, name });
      setErrors({});
      setName("");
      router.refresh();
    } catch (error) {
      setErrors(error instanceof RequestFailed ? error.fields : { name: "The key could not be created." });
    } finally {
      setBusy(false);
    }
  }

  async function revoke(row: KeyRow) {
    if (!window.confirm(`Revoke "${row.name}"? Software using it stops working at once.`)) return;
    await fetchJson(`/api/admin/api-keys/${row.id}`, { method: "DELETE" });
    router.refresh();
  }

  return (
    <>
      {created ? (
        <SecretOnce
          title={`Key “${created.name}” created.`}
          secret={created.key}
          testId="new-key"
          onDone={() => setCreated(null)}
        >
          Copy it now: it is shown this once, and only its hash is kept.
        </SecretOnce>
      ) : null}
      <form
        className="card"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <h2>New key</h2>
        <div className="grid-2">
          <Field id="key-name" label="Name" hint="Where it is used, e.g. Zapier" error={errors.name}>
            {(aria) => <input {...aria} value={name} onChange={(e) => setName(e.target.value)} />}
          </Field>
          <Field id="key-limit" label="Requests per day" error={errors.daily_limit}>
            {(aria) => (
              <input {...aria} value={limit} inputMode="numeric" onChange={(e) => setLimit(e.target.value)} />
            )}
          </Field>
        </div>
        <fieldset
          aria-describedby={errors.scopes ? "scopes-error" : undefined}
          style={{ border: 0, padding: 0, margin: "0 0 0.8rem" }}
        >
          <legend>Scopes</legend>
          {SCOPES.map((scope) => (
            <label key={scope} style={{ marginRight: "1rem", fontWeight: 400 }}>
              <input
                type="checkbox"
                checked={scopes.includes(scope)}
                onChange={(e) =>
                  setScopes((s) => (e.target.checked ? [...s, scope] : s.filter((x) => x !== scope)))
                }
              />{" "}
              {scope}
            </label>
          ))}
          {errors.scopes ? (
            <p className="form-error" id="scopes-error">
              {errors.scopes}
            </p>
          ) : null}
        </fieldset>
        <button type="submit" className="primary" disabled={busy}>
          Create key
        </button>
      </form>
      <h2>Keys</h2>
      {keys.length === 0 ? (
        <p className="muted">No keys yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="data cards">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key</th>
                <th scope="col">Scopes</th>
                <th scope="col">Today</th>
                <th scope="col">Last used</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <tr key={k.id}>
                  <td className="title">{k.name}</td>
                  <td data-label="Key">
                    <code>{k.prefix}…</code>
                  </td>
                  <td data-label="Scopes">{k.scopes.join(", ")}</td>
                  <td data-label="Today">
                    {k.requestsToday} / {k.dailyLimit}
                  </td>
                  <td data-label="Last used">
                    <DateTime value={k.lastUsedAt} fallback="never" />
                  </td>
                  <td data-label="Created">
                    <DateTime value={k.createdAt} />
                  </td>
                  <td className="actions">
                    {k.revokedAt ? (
                      <span className="muted">
                        revoked <DateTime value={k.revokedAt} />
                      </span>
                    ) : (
                      <button type="button" className="danger" onClick={() => void revoke(k)}>
                        Revoke
                      </button>
                    )}
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
