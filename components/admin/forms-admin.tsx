"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Field } from "@/components/ui/field";
import { suggestSlug } from "@/lib/forms/slug";
import { fetchJson, RequestFailed } from "./fetch-json";
import { FormStatus } from "./form-state";

type Created = { data: { slug: string; title: string } };

/** A new form: a title, and an address suggested from it until the admin types one of their own. */
export function NewFormControl() {
  const router = useRouter();
  const [title, setTitle] = useState("");
  const [slug, setSlug] = useState("");
  const [slugTyped, setSlugTyped] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function create() {
    setBusy(true);
    try {
      const { data } = await fetchJson<Created>("/api/admin/forms", {
        method: "POST",
        body: { title, slug },
      });
      router.push(`/admin/forms/${data.slug}`);
    } catch (error) {
      setErrors(error instanceof RequestFailed ? error.fields : {});
      setStatus(
        error instanceof RequestFailed && error.body.errors
          ? "Please correct the fields marked below."
          : "The form could not be created.",
      );
      setBusy(false);
    }
  }

  return (
    <form
      className="card"
      noValidate
      aria-labelledby="new-form-title"
      onSubmit={(e) => {
        e.preventDefault();
        void create();
      }}
    >
      <h2 id="new-form-title">New form</h2>
      <FormStatus status={status} failed />
      <div className="grid-2">
        <Field
          id="new-form-name"
          label="Title"
          hint="What visitors see, e.g. Get a quote"
          error={errors.title}
        >
          {(aria) => (
            <input
              {...aria}
              value={title}
              maxLength={200}
              onChange={(e) => {
                setTitle(e.target.value);
                if (!slugTyped) setSlug(suggestSlug(e.target.value));
              }}
            />
          )}
        </Field>
        <Field
          id="new-form-slug"
          label="Address"
          hint={`/f/${slug || "…"}: lower-case letters, digits and dashes`}
          error={errors.slug}
        >
          {(aria) => (
            <input
              {...aria}
              value={slug}
              maxLength={60}
              autoCapitalize="none"
              spellCheck={false}
              onChange={(e) => {
                setSlug(e.target.value);
                setSlugTyped(e.target.value !== "");
              }}
            />
          )}
        </Field>
      </div>
      <button type="submit" className="primary" disabled={busy}>
        Create form
      </button>
    </form>
  );
}

/** A form's row actions: duplicate it, and archive or restore it. */
export function FormActions({ slug, title, archived }: { slug: string; title: string; archived: boolean }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);

  async function act(run: () => Promise<string>) {
    setBusy(true);
    try {
      setStatus(await run());
      router.refresh();
    } catch (error) {
      setStatus(error instanceof RequestFailed ? error.message : "That did not work; please try again.");
    } finally {
      setBusy(false);
    }
  }

  const duplicate = () =>
    act(async () => {
      const { data } = await fetchJson<Created>("/api/admin/forms", {
        method: "POST",
        body: { duplicate_of: slug },
      });
      return `Copied as /f/${data.slug}.`;
    });
  const archive = (value: boolean) =>
    act(async () => {
      await fetchJson(`/api/admin/forms/${slug}`, { method: "PATCH", body: { archived: value } });
      return value ? `${title} archived.` : `${title} restored.`;
    });

  return (
    <>
      {archived ? null : (
        <button
          type="button"
          disabled={busy}
          onClick={() => void duplicate()}
          aria-label={`Duplicate ${title}`}
          style={{ marginRight: "0.4rem" }}
        >
          Duplicate
        </button>
      )}
      <button
        type="button"
        disabled={busy}
        onClick={() => void archive(!archived)}
        aria-label={`${archived ? "Restore" : "Archive"} ${title}`}
      >
        {archived ? "Restore" : "Archive"}
      </button>
      <span role="status" aria-live="polite" className="muted">
        {status}
      </span>
    </>
  );
}
