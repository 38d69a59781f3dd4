import type { FieldError } from "@/lib/errors";
import { fieldErrors } from "@/lib/validation";
import { type LeadInput, leadInputSchema } from "@/lib/leads/schema";
import { leadStore } from "@/lib/leads/store";
import {
  cleanUrl,
  contextTags,
  PAGE_FIELD,
  REFERRER_FIELD,
  sourceDetail,
  type VisitContext,
} from "./context";
import { fieldText, withKnownNames } from "./aliases";
import type { Form } from "./repository";
import { type Answer, outsideServiceArea, readAnswers } from "./answers";
import { FORM_FIELDS } from "./schema";
import type { SubmissionRecord } from "./submission-record";

/** What a visitor typed, field by field, as text: what the form shows back beside any error. */
export type SubmittedValues = Record<string, string>;

const CONSENT = "consent";

/** The page and referrer the form page carried in its hidden fields. */
export function visitContext(raw: Record<string, unknown>): VisitContext {
  return { page: cleanUrl(raw[PAGE_FIELD]), referrer: cleanUrl(raw[REFERRER_FIELD]) };
}

/**
 * The visitor's values as text: the form's fields and consent, and any other lead field the
 * submission gave (a business's own form may send an address the portal's form does not show),
 * other forms' names for them understood (lib/forms/aliases.ts). Everything else stays in the
 * submission's record only.
 */
export function submittedValues(form: Form, raw: Record<string, unknown>): SubmittedValues {
  const known = withKnownNames(raw);
  const values: SubmittedValues = {};
  const names = new Set<string>([
    ...form.settings.fields.map((f) => f.name),
    ...FORM_FIELDS.filter((name) => known[name] !== undefined),
  ]);
  for (const name of names) {
    const value = fieldText(known[name]);
    if (value !== undefined) values[name] = value;
  }
  if (form.settings.consent) {
    const consent = known[CONSENT];
    if (typeof consent === "boolean") values[CONSENT] = consent ? "on" : "";
    else if (typeof consent === "string") values[CONSENT] = consent;
  }
  return values;
}

/** What a submission comes to once checked: its messages, or the API's input; its answers. */
export interface Checked {
  errors: FieldError[];
  input?: LeadInput;
  /** The answers to the form's questions and preferred time, as the submission keeps them. */
  answers: Answer[];
  /** Whether its address lies outside the form's service area. */
  outsideArea: boolean;
}

/**
 * The form's own rules (required fields, one of phone or email, choices, consent, its questions),
 * then the API's: the messages for what breaks them, and the API's input when nothing does. An
 * answer a question copies onto a lead field fills it where the visitor left it empty.
 */
export function validate(form: Form, values: SubmittedValues, raw: Record<string, unknown>): Checked {
  const errors = new Map<string, string>();
  const given = (name: string) => (values[name] ?? "").trim() !== "";
  for (const field of form.settings.fields) {
    if (field.required && !given(field.name))
      errors.set(field.name, `Please enter your ${field.label.toLowerCase()}`);
    if (field.choices && given(field.name) && !field.choices.includes(values[field.name]!.trim())) {
      errors.set(field.name, "Please choose one of the options");
    }
  }
  const { oneOf, consent } = form.settings;
  if (oneOf.length > 0 && !oneOf.some(given)) {
    const message =
      oneOf.length > 1 ? "Please enter a phone number or an email address" : "Please fill this in";
    for (const name of oneOf) if (!errors.has(name)) errors.set(name, message);
  }
  if (consent?.required && !given(CONSENT)) errors.set(CONSENT, "Please tick the box to continue");
  const asked = readAnswers(form, raw);
  for (const { field, message } of asked.errors) errors.set(field, message);

  const lead = leadFields(values);
  for (const [field, text] of Object.entries(asked.copies)) if (!given(field)) lead[field] = text;
  const parsed = leadInputSchema.safeParse(lead);
  if (!parsed.success) {
    for (const { field, message } of fieldErrors(parsed.error))
      if (!errors.has(field)) errors.set(field, message);
  }
  const list = [...errors].map(([field, message]) => ({ field, message }));
  const outsideArea = outsideServiceArea(form.settings, lead.address_zip);
  const checked = { errors: list, answers: asked.answers, outsideArea };
  return list.length === 0 && parsed.success ? { ...checked, input: parsed.data } : checked;
}

function leadFields(values: SubmittedValues): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([name]) => name !== CONSENT));
}

/**
 * Hands a visitor's validated submission to the store with its record: a new person becomes
 * a lead as through the API, with the form's tags, the visit's UTM tags and the service area's tag
 * when the address lies outside it, and its source (with
 * the page, referrer and ad click id) and stage; a known person's lead is only filled where it
 * holds nothing, the rest proposed (lib/db/functions/lead_upsert.sql). Where the leads live
 * decides how it gets there (lib/leads/store).
 */
export async function submitForm(
  form: Form,
  raw: Record<string, unknown>,
  record: SubmissionRecord,
  input: LeadInput,
): Promise<{ queued: boolean }> {
  const context = visitContext(raw);
  const area = form.settings.serviceArea;
  const outside = area && outsideServiceArea(form.settings, input.address_zip ?? undefined) ? [area.tag] : [];
  const tags = [...form.defaultTags, ...contextTags(context), ...outside];
  const defaults = { source: sourceDetail(form.defaultSource, context), stage: form.defaultStage };
  const store = await leadStore(form.companyId);
  // queued: waiting in the outbox for Rotor (upstream mode).
  return store.submit(form.companyId, { input, tags, defaults, record });
}
