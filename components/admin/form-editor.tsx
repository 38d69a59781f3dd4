"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { DEFAULT_REPLY_TEMPLATE, PLACEHOLDERS } from "@/lib/alerts/reply-template";
import { fetchJson } from "./fetch-json";
import { failure, FormStatus, splitList } from "./form-state";
import { CopyButton } from "@/components/ui/copy-button";
import { Field } from "@/components/ui/field";
import { embedSnippet } from "@/lib/forms/embed-snippet";
import { FORM_FIELDS, type FormFieldName } from "@/lib/forms/schema";
import type { FormContent } from "@/lib/forms/repository";
import type { Stage } from "@/lib/leads/pipeline";
import { StageSelect } from "@/components/leads/stage-select";
import { FormPreview } from "./form-preview";
import "./form-workspace.css";
import { fromDraft, type QuestionDraft, QuestionsEditor, toDraft } from "./questions-editor";

const DEFAULT_LABELS: Record<FormFieldName, string> = {
  name: "Name",
  email: "Email",
  phone: "Phone",
  address_street1: "Street address",
  address_street2: "Street address, line 2",
  address_city: "City",
  address_state: "State",
  address_zip: "ZIP code",
  address_country: "Country",
  service_type: "Service",
  follow_up_date: "Preferred date",
  notes: "How can we help?",
};

interface FieldRow {
  name: FormFieldName;
  shown: boolean;
  label: string;
  required: boolean;
  choices: string;
}

export function FormEditor({
  form,
  portal,
  stages,
}: {
  form: FormContent;
  portal: string;
  /** The pipeline, for the stage of the form's new leads. */
  stages: Stage[];
}) {
  const router = useRouter();
  const [title, setTitle] = useState(form.title);
  const [intro, setIntro] = useState(form.intro ?? "");
  const [rows, setRows] = useState<FieldRow[]>(() => {
    const shown = form.settings.fields.map((f) => ({
      name: f.name,
      shown: true,
      label: f.label,
      required: f.required,
      choices: (f.choices ?? []).join("\n"),
    }));
    const hidden = FORM_FIELDS.filter((name) => !shown.some((f) => f.name === name)).map((name) => ({
      name,
      shown: false,
      label: DEFAULT_LABELS[name],
      required: false,
      choices: "",
    }));
    return [...shown, ...hidden];
  });
  const [questions, setQuestions] = useState<QuestionDraft[]>(() => form.settings.questions.map(toDraft));
  const [preferredTime, setPreferredTime] = useState(form.settings.preferredTime);
  const [areaZips, setAreaZips] = useState((form.settings.serviceArea?.zips ?? []).join(", "));
  const [areaTag, setAreaTag] = useState(form.settings.serviceArea?.tag ?? "outside-service-area");
  const [photos, setPhotos] = useState(form.settings.photos !== null);
  const [photosLabel, setPhotosLabel] = useState(form.settings.photos?.label ?? "Photos of the job");
  const [photosRequired, setPhotosRequired] = useState(form.settings.photos?.required ?? false);
  const [oneOf, setOneOf] = useState(form.settings.oneOf);
  const [consent, setConsent] = useState(form.settings.consent?.text ?? "");
  const [source, setSource] = useState(form.defaultSource ?? "");
  const [stage, setStage] = useState(form.defaultStage ?? "");
  const [tags, setTags] = useState(form.defaultTags.join(", "));
  const [origins, setOrigins] = useState(form.allowedOrigins.join("\n"));
  const [thanks, setThanks] = useState(form.thankYouMessage ?? "");
  const [redirect, setRedirect] = useState(form.redirectUrl ?? "");
  const reply = form.autoReply as { email?: boolean; sms?: boolean; template?: string } | null;
  const [replyEmail, setReplyEmail] = useState(Boolean(reply?.email));
  const [replySms, setReplySms] = useState(Boolean(reply?.sms));
  const [replyTemplate, setReplyTemplate] = useState(reply?.template ?? DEFAULT_REPLY_TEMPLATE);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const setRow = (index: number, change: Partial<FieldRow>) =>
    setRows((current) => current.map((row, i) => (i === index ? { ...row, ...change } : row)));

  /** The form as edited, in the body PATCH takes (and the preview draws). */
  function draft() {
    const zips = splitList(areaZips, /[\s,;]+/);
    return {
      title,
      intro,
      settings: {
        fields: rows
          .filter((r) => r.shown)
          .map((r) => ({
            name: r.name,
            label: r.label,
            required: r.required,
            ...(r.name === "service_type" ? { choices: splitList(r.choices, "\n") } : {}),
          })),
        questions: questions.map(fromDraft),
        preferredTime,
        serviceArea: zips.length > 0 ? { zips, tag: areaTag.trim() || "outside-service-area" } : null,
        photos: photos ? { label: photosLabel, help: null, required: photosRequired } : null,
        oneOf,
        consent: consent.trim() ? { text: consent, required: true } : null,
      },
      default_source: source,
      default_stage: stage,
      default_tags: splitList(tags),
      allowed_origins: splitList(origins, /\s+/),
      thank_you_message: thanks,
      redirect_url: redirect,
      auto_reply:
        replyEmail || replySms ? { email: replyEmail, sms: replySms, template: replyTemplate } : null,
    };
  }

  async function save() {
    setBusy(true);
    try {
      await fetchJson(`/api/admin/forms/${form.slug}`, { method: "PATCH", body: draft() });
      setQuestions((current) => current.map((q) => ({ ...q, fresh: false })));
      setErrors({});
      setStatus("Saved. The form shows the change within a few seconds.");
      router.refresh();
    } catch (error) {
      const failed = failure(error, "The form could not be saved.");
      setErrors(failed.fields);
      setStatus(failed.status);
    } finally {
      setBusy(false);
    }
  }

  const snippet = embedSnippet(portal, form.slug, title);

  return (
    <div className="form-workspace">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <section className="card" aria-labelledby="embed-title" style={{ marginBottom: "1rem" }}>
          <h2 id="embed-title">Embed on your website</h2>
          <p>Paste this where the form should appear. Add your site to the allowed origins below.</p>
          <pre className="snippet" data-testid="embed-snippet">
            {snippet}
          </pre>
          <CopyButton text={snippet} label="Copy snippet" />{" "}
          <a href={`/f/${form.slug}`} target="_blank" rel="noreferrer">
            Open the form
          </a>
        </section>
        <FormStatus status={status} failed={Object.keys(errors).length > 0} />
        <div className="grid-2">
          <Field id="title" label="Title" error={errors.title}>
            {(aria) => <input {...aria} value={title} onChange={(e) => setTitle(e.target.value)} />}
          </Field>
          <Field id="intro" label="Introduction" error={errors.intro}>
            {(aria) => (
              <textarea {...aria} value={intro} rows={2} onChange={(e) => setIntro(e.target.value)} />
            )}
          </Field>
        </div>
        <h2>Fields</h2>
        {errors.settings ? <p className="form-error">{errors.settings}</p> : null}
        <div className="table-wrap">
          <table className="data cards">
            <thead>
              <tr>
                <th scope="col">Show</th>
                <th scope="col">Label</th>
                <th scope="col">Required</th>
                <th scope="col">Choices (service only, one per line)</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row, i) => (
                <tr key={row.name}>
                  <td className="title">
                    <label style={{ fontWeight: 400 }}>
                      <input
                        type="checkbox"
                        checked={row.shown}
                        onChange={(e) => setRow(i, { shown: e.target.checked })}
                      />{" "}
                      <code>{row.name}</code>
                    </label>
                  </td>
                  <td data-label="Label">
                    <input
                      aria-label={`Label of ${row.name}`}
                      value={row.label}
                      disabled={!row.shown}
                      onChange={(e) => setRow(i, { label: e.target.value })}
                    />
                  </td>
                  <td data-label="Required">
                    <input
                      type="checkbox"
                      aria-label={`${row.name} required`}
                      checked={row.required}
                      disabled={!row.shown}
                      onChange={(e) => setRow(i, { required: e.target.checked })}
                    />
                  </td>
                  <td data-label="Choices">
                    {row.name === "service_type" ? (
                      <textarea
                        aria-label="Service choices"
                        rows={3}
                        value={row.choices}
                        disabled={!row.shown}
                        onChange={(e) => setRow(i, { choices: e.target.value })}
                      />
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <fieldset style={{ border: 0, padding: 0, margin: "0.8rem 0" }}>
          <legend>A visitor must give at least one of</legend>
          {(["phone", "email"] as const).map((name) => (
            <label key={name} style={{ marginRight: "1rem", fontWeight: 400 }}>
              <input
                type="checkbox"
                checked={oneOf.includes(name)}
                onChange={(e) =>
                  setOneOf((v) => (e.target.checked ? [...v, name] : v.filter((x) => x !== name)))
                }
              />{" "}
              {name}
            </label>
          ))}
        </fieldset>
        <h2>Your own questions</h2>
        <p className="muted">
          Asked after the fields above. A question can wait for another’s answer: it shows only then, even
          without JavaScript.
        </p>
        <QuestionsEditor questions={questions} onChange={setQuestions} />
        <h2>Time, place and photos</h2>
        <fieldset className="checks">
          <legend className="sr-only">Ask for</legend>
          <label>
            <input
              type="checkbox"
              checked={preferredTime}
              onChange={(e) => setPreferredTime(e.target.checked)}
            />{" "}
            Ask for a preferred date and time of day (morning, afternoon, evening)
          </label>
          <label>
            <input type="checkbox" checked={photos} onChange={(e) => setPhotos(e.target.checked)} /> Take up
            to 5 photos
          </label>
        </fieldset>
        {photos ? (
          <div className="grid-2">
            <Field id="photos_label" label="Photos label">
              {(aria) => (
                <input {...aria} value={photosLabel} onChange={(e) => setPhotosLabel(e.target.value)} />
              )}
            </Field>
            <label className="inline-check">
              <input
                type="checkbox"
                checked={photosRequired}
                onChange={(e) => setPhotosRequired(e.target.checked)}
              />{" "}
              Photos required
            </label>
          </div>
        ) : null}
        <div className="grid-2">
          <Field
            id="service_area"
            label="Service area (ZIP codes)"
            hint="Codes or their beginnings, such as 554, 55073. An address outside is still kept, tagged, and the visitor told. Empty: everywhere."
          >
            {(aria) => (
              <textarea {...aria} rows={2} value={areaZips} onChange={(e) => setAreaZips(e.target.value)} />
            )}
          </Field>
          <Field id="service_area_tag" label="Tag for addresses outside it">
            {(aria) => <input {...aria} value={areaTag} onChange={(e) => setAreaTag(e.target.value)} />}
          </Field>
        </div>
        <Field
          id="consent"
          label="Consent checkbox text"
          hint="Leave empty for no consent checkbox"
          error={errors.consent}
        >
          {(aria) => (
            <textarea {...aria} value={consent} rows={2} onChange={(e) => setConsent(e.target.value)} />
          )}
        </Field>
        <h2>New leads from this form</h2>
        <div className="grid-2">
          <Field id="default_source" label="Source" error={errors.default_source}>
            {(aria) => <input {...aria} value={source} onChange={(e) => setSource(e.target.value)} />}
          </Field>
          <Field id="default_stage" label="Stage" error={errors.default_stage}>
            {(aria) => (
              <StageSelect
                {...aria}
                stages={stages}
                empty={`The first stage (${stages.find((s) => s.kind === "open")?.name ?? "none"})`}
                value={stage}
                onChange={(e) => setStage(e.target.value)}
              />
            )}
          </Field>
          <Field id="default_tags" label="Tags" hint="Separated by commas" error={errors.default_tags}>
            {(aria) => <input {...aria} value={tags} onChange={(e) => setTags(e.target.value)} />}
          </Field>
        </div>
        <h2>Where it may appear, and after sending</h2>
        <Field
          id="allowed_origins"
          label="Allowed origins"
          hint="Sites that may embed the form and post to it, one per line, such as https://www.example.com"
          error={errors.allowed_origins}
        >
          {(aria) => (
            <textarea {...aria} value={origins} rows={3} onChange={(e) => setOrigins(e.target.value)} />
          )}
        </Field>
        <div className="grid-2">
          <Field id="thank_you_message" label="Thank-you message" error={errors.thank_you_message}>
            {(aria) => (
              <textarea {...aria} value={thanks} rows={2} onChange={(e) => setThanks(e.target.value)} />
            )}
          </Field>
          <Field id="redirect_url" label="Or a thank-you page of your own (URL)" error={errors.redirect_url}>
            {(aria) => (
              <input {...aria} value={redirect} type="url" onChange={(e) => setRedirect(e.target.value)} />
            )}
          </Field>
        </div>
        <h2>Answer the visitor at once</h2>
        <p className="muted">
          Sent once per submission, only to the address or number the visitor gave (a text only with their
          consent when the form asks for it, never to a number that replied STOP). Your hours and time zone
          are in <Link href="/admin/settings">Settings</Link>.
        </p>
        <fieldset className="checks">
          <legend className="sr-only">Auto-reply by</legend>
          <label>
            <input type="checkbox" checked={replyEmail} onChange={(e) => setReplyEmail(e.target.checked)} />{" "}
            By email
          </label>
          <label>
            <input type="checkbox" checked={replySms} onChange={(e) => setReplySms(e.target.checked)} /> By
            text message
          </label>
        </fieldset>
        <Field
          id="auto_reply"
          label="Auto-reply"
          hint={`Placeholders: ${Object.entries(PLACEHOLDERS)
            .map(([name, meaning]) => `${name} ${meaning}`)
            .join("; ")}.`}
          error={errors.auto_reply}
        >
          {(aria) => (
            <textarea
              {...aria}
              value={replyTemplate}
              rows={3}
              disabled={!replyEmail && !replySms}
              onChange={(e) => setReplyTemplate(e.target.value)}
            />
          )}
        </Field>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Saving…" : "Save form"}
        </button>
      </form>
      <FormPreview slug={form.slug} draft={draft()} />
    </div>
  );
}
