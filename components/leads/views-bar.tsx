"use client";

import Link from "next/link";
import { type FormEvent, useState } from "react";
import { fetchJson, RequestFailed } from "@/components/admin/fetch-json";
import { Field } from "@/components/ui/field";
import { viewQueryString } from "@/lib/leads/list-keys";
import type { View } from "@/lib/leads/views";
import "./triage.css";

/**
 * The list's views: the built-in ones, then the user's own, each a link to its query, the current
 * one marked. A query that is no view yet can be saved under a name; a saved view can be removed
 * (the list stays, so it can be saved again at once).
 */
export function ViewsBar({
  builtIn,
  saved: initial,
  query,
  pathname,
  onOpen,
}: {
  builtIn: View[];
  saved: View[];
  /** The list's current query string. */
  query: string;
  pathname: string;
  /** Before a view opens: a search still being typed must not follow it there. */
  onOpen: () => void;
}) {
  const [saved, setSaved] = useState(initial);
  const [naming, setNaming] = useState(false);
  const [status, setStatus] = useState("");
  const current = viewQueryString(query);
  const views = [...builtIn, ...saved];
  const here = views.find((v) => v.query === current);
  const href = (v: View) => (v.query ? `${pathname}?${v.query}` : pathname);

  async function remove(view: View) {
    try {
      const { views: left } = await fetchJson<{ views: View[] }>(`/api/admin/leads?view=${view.id}`, {
        method: "DELETE",
      });
      setSaved(left);
      setStatus(`Removed the view “${view.name}”.`);
    } catch (failed) {
      setStatus(failed instanceof RequestFailed ? failed.message : "The view could not be removed.");
    }
  }

  return (
    <div className="views-bar">
      <nav className="views" aria-label="Views">
        <ul>
          {views.map((v) => (
            <li key={v.id ?? v.name} className={v.id ? "saved" : undefined}>
              <Link
                href={href(v)}
                aria-current={v === here ? "page" : undefined}
                onClick={() => {
                  onOpen();
                  setNaming(false);
                }}
              >
                {v.name}
              </Link>
            </li>
          ))}
        </ul>
        {!here && !naming ? (
          <button type="button" onClick={() => setNaming(true)}>
            Save view
          </button>
        ) : null}
        {here?.id ? (
          <button type="button" onClick={() => remove(here)} aria-label={`Remove the view “${here.name}”`}>
            Remove view
          </button>
        ) : null}
      </nav>
      {naming && !here ? (
        <SaveView
          query={current}
          onSaved={(view, views) => {
            setSaved(views);
            setNaming(false);
            setStatus(`Saved the view “${view.name}”.`);
          }}
          onCancel={() => setNaming(false)}
        />
      ) : null}
      <p className="sr-only" aria-live="polite">
        {status}
      </p>
    </div>
  );
}

/** The name for a new view, typed in place. */
function SaveView({
  query,
  onSaved,
  onCancel,
}: {
  query: string;
  onSaved: (view: View, views: View[]) => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function save(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { data, views } = await fetchJson<{ data: View; views: View[] }>("/api/admin/leads", {
        method: "PUT",
        body: { name, query },
      });
      onSaved(data, views);
    } catch (failed) {
      setError(
        failed instanceof RequestFailed
          ? (failed.fields.name ?? failed.fields.query ?? failed.message)
          : "The view could not be saved.",
      );
      setBusy(false);
    }
  }

  return (
    <form className="save-view" onSubmit={save}>
      <Field id="view-name" label="Name of this view" error={error}>
        {(aria) => (
          <input
            {...aria}
            value={name}
            maxLength={60}
            autoFocus
            onChange={(e) => setName(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Escape") onCancel();
            }}
          />
        )}
      </Field>
      <button type="submit" className="primary" disabled={busy}>
        {busy ? "Saving…" : "Save"}
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
      <span className="sr-only" aria-live="assertive">
        {error}
      </span>
    </form>
  );
}
