import type { CompanyProfile } from "@/lib/company/profile";
import { fieldText, withKnownNames } from "@/lib/forms/aliases";
import { formatPhone, telHref } from "@/lib/leads/phone";
import type { MailMessage } from "./mail";
import type { PushPayload } from "./push";

/**
 * What an alert says of a lead, and how each channel writes it. Every channel carries the same few
 * facts: the name, the service asked for, the message, the town, a one-tap call link and the lead's
 * page in the admin; never more personal data than that.
 */
export interface AlertFacts {
  leadId: string;
  /** A new lead, or a known person's new submission. */
  created: boolean;
  name: string;
  service: string | null;
  message: string | null;
  town: string | null;
  /** E.164 (with ;ext= when given), or null. */
  phone: string | null;
  form: string | null;
  leadUrl: string;
  business: string;
  color: string | null;
}

/** The lead's fields an alert reads. */
export interface LeadLike {
  id: string;
  name: string | null;
  phone: string | null;
  serviceType: string | null;
  addressCity: string | null;
  notes: string | null;
}

const text = (value: unknown): string | null => fieldText(value)?.trim() || null;

/**
 * The facts of one alert: what the submission said where there is one (the words of this request,
 * not what the lead held before), the lead's own fields otherwise.
 */
export function alertFacts(input: {
  lead: LeadLike;
  submissionFields: Record<string, unknown> | null;
  created: boolean;
  form: string | null;
  profile: CompanyProfile;
  origin: string;
}): AlertFacts {
  const sent = input.submissionFields ? withKnownNames(input.submissionFields) : {};
  return {
    leadId: input.lead.id,
    created: input.created,
    name: text(sent.name) ?? input.lead.name ?? "Someone",
    service: text(sent.service_type) ?? input.lead.serviceType,
    message: input.submissionFields ? text(sent.notes) : input.lead.notes,
    town: text(sent.address_city) ?? input.lead.addressCity,
    phone: input.lead.phone,
    form: input.form,
    leadUrl: `${input.origin}/admin/leads/${input.lead.id}`,
    business: input.profile.name,
    color: input.profile.color,
  };
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function clip(value: string, length: number): string {
  const flat = value.replace(/\s+/g, " ").trim();
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
}

const headline = (f: AlertFacts) => (f.created ? `New lead: ${f.name}` : `${f.name} sent another request`);
const detail = (f: AlertFacts) => [f.service, f.town].filter(Boolean).join(" · ");

export function alertEmail(f: AlertFacts, to: string): MailMessage {
  const phone = f.phone ? formatPhone(f.phone) : null;
  const subject = [headline(f), f.service].filter(Boolean).join(" — ");
  const lines = [
    headline(f),
    detail(f),
    f.message ? `\n“${f.message}”\n` : "",
    phone ? `Call: ${phone} (${telHref(f.phone!)})` : "No phone number given.",
    `Open the lead: ${f.leadUrl}`,
    f.form ? `\nFrom the form “${f.form}”.` : "",
  ];
  const accent = f.color ?? "#0f766e";
  const button = (href: string, label: string) =>
    `<a href="${escapeHtml(href)}" style="display:inline-block;padding:12px 20px;margin:4px 8px 4px 0;border-radius:6px;background:${accent};color:#fff;text-decoration:none;font-weight:600">${escapeHtml(label)}</a>`;
  const html = [
    `<div style="font-family:system-ui,sans-serif;max-width:560px;color:#111">`,
    `<p style="margin:0 0 4px;color:#555">${escapeHtml(f.business)}</p>`,
    `<h1 style="font-size:20px;margin:0 0 4px">${escapeHtml(headline(f))}</h1>`,
    detail(f) ? `<p style="margin:0 0 12px;color:#333">${escapeHtml(detail(f))}</p>` : "",
    f.message
      ? `<blockquote style="margin:0 0 16px;padding:8px 12px;border-left:4px solid ${accent};background:#f6f6f6">${escapeHtml(f.message)}</blockquote>`
      : "",
    `<p>`,
    phone ? button(telHref(f.phone!), `Call ${phone}`) : "",
    button(f.leadUrl, "Open the lead"),
    `</p>`,
    f.form ? `<p style="color:#555;font-size:13px">From the form “${escapeHtml(f.form)}”.</p>` : "",
    `</div>`,
  ].join("");
  return { to, subject, text: lines.filter((l) => l !== "").join("\n"), html };
}

/** A text to a member of staff: short, one link to call and one to the lead. */
export function alertSms(f: AlertFacts): string {
  const parts = [headline(f), detail(f), f.message ? `“${clip(f.message, 100)}”` : ""].filter(Boolean);
  const call = f.phone ? ` Call ${formatPhone(f.phone)}.` : "";
  return `${parts.join(", ")}.${call} ${f.leadUrl}`;
}

export function alertPush(f: AlertFacts): PushPayload & { call: string | null } {
  const body = [detail(f), f.message ? clip(f.message, 120) : ""].filter(Boolean).join(" — ");
  return {
    title: headline(f),
    body: body || "Open the lead to see the details.",
    url: f.leadUrl,
    tag: `lead-${f.leadId}`,
    call: f.phone ? telHref(f.phone) : null,
  };
}
