import { z } from "zod";
import type { CompanyProfile } from "@/lib/company/profile";
import { replyPromise } from "@/lib/company/reply-promise";
import { fieldText, withKnownNames } from "@/lib/forms/aliases";
import { formatPhone } from "@/lib/leads/phone";
import type { MailMessage } from "./mail";
import { escapeHtml } from "./message";

/**
 * A form's automatic answer to the visitor, by email and/or text: a short template with the
 * business's name, the visitor's first name and the business hours, which says, outside those
 * hours, when they will hear back. Sent once per submission (lib/alerts/fan-out.ts), only to an
 * address or number the visitor gave.
 */

export const autoReplySchema = z.object({
  email: z.boolean(),
  sms: z.boolean(),
  template: z.string().trim().min(1, "Write the message").max(600),
});
export type AutoReply = z.infer<typeof autoReplySchema>;

/** A form's stored auto-reply, or null when it has none (or it cannot be read). */
export function parseAutoReply(value: unknown): AutoReply | null {
  const parsed = autoReplySchema.safeParse(value);
  return parsed.success && (parsed.data.email || parsed.data.sms) ? parsed.data : null;
}

/**
 * The visitor's first name as an answer may use it: the first word they typed, if it is a name
 * (letters, with an apostrophe, hyphen or dot), else "there". Anyone may type anything in a form,
 * and the answer goes out under the business's name: a link or a sentence is never echoed.
 */
export function firstNameOf(typed: string | undefined): string {
  const word = typed?.trim().split(/\s+/)[0] ?? "";
  return /^\p{L}[\p{L}\p{M}'’.-]{0,29}$/u.test(word) ? word : "there";
}

/** The template with its placeholders written out for this visitor, at this moment. */
export function replyText(
  template: string,
  fields: Record<string, unknown>,
  profile: CompanyProfile,
  at: Date,
): string {
  const sent = withKnownNames(fields);
  const firstName = firstNameOf(fieldText(sent.name));
  const { hours, nextOpen, sentence } = replyPromise(profile, at);
  const phone = profile.phone ? formatPhone(profile.phone) : "";
  const values: Record<string, string> = {
    "{first_name}": firstName,
    "{business}": profile.name,
    "{phone}": phone,
    "{hours}": hours,
    "{reply_within}": profile.replyWithin,
    "{next_open}": nextOpen,
    "{reply}": sentence,
    "{call}": phone ? `Call ${phone} if it is urgent.` : "",
  };
  return template
    .replace(/\{[a-z_]+\}/g, (name) => values[name] ?? name)
    .replace(/[ \t]+/g, " ")
    .trim();
}

export function replyEmail(body: string, to: string, profile: CompanyProfile): MailMessage {
  const accent = profile.color ?? "#0f766e";
  // An uploaded logo (a data: URL) is not shown: mail programs block those; an https one is.
  const logo = profile.logo?.startsWith("https://")
    ? `<p style="margin:0 0 8px"><img src="${escapeHtml(profile.logo)}" alt="${escapeHtml(profile.name)}" height="40"></p>`
    : "";
  const paragraphs = body
    .split(/\n{2,}/)
    .map((p) => `<p style="margin:0 0 12px">${escapeHtml(p).replace(/\n/g, "<br>")}</p>`)
    .join("");
  return {
    to,
    subject: `We got your request — ${profile.name}`,
    text: `${body}\n\n— ${profile.name}`,
    html: `<div style="font-family:system-ui,sans-serif;max-width:560px;color:#111">${logo}<p style="margin:0 0 16px;font-weight:700;color:${accent}">${escapeHtml(profile.name)}</p>${paragraphs}<p style="margin:16px 0 0;color:#555">— ${escapeHtml(profile.name)}</p></div>`,
    replyTo: profile.replyTo,
    fromName: profile.name,
  };
}

/** A text to a visitor: the business named first, and how to stop further texts. */
export function replySms(body: string, profile: CompanyProfile): string {
  return `${profile.name}: ${body} Reply STOP to opt out.`;
}
