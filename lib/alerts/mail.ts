import { env } from "@/lib/env";
import type { Sent } from "./sent";

/**
 * Sending one email: through an SMTP server (SMTP_URL, lib/alerts/smtp.ts), through Resend's API
 * (RESEND_API_KEY, as on Vercel), or, on a developer's machine with neither, into the terminal and
 * the admin's Mail page (lib/alerts/dev-mail.ts reads what the outbox kept). The outbox calls it
 * (lib/outbox/notify.ts) and retries what a server refused for now.
 */

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  replyTo?: string | null;
  /** A name shown before MAIL_FROM's address: the business's, on what its customers receive. */
  fromName?: string | null;
}

export type MailSent = Sent;

export type MailTransport = "smtp" | "resend" | "dev";

/** How email goes out here, or null when it cannot (production with neither setting). */
export function mailTransport(): MailTransport | null {
  const settings = env();
  if (settings.SMTP_URL) return "smtp";
  if (settings.RESEND_API_KEY) return "resend";
  return settings.NODE_ENV === "development" ? "dev" : null;
}

/** MAIL_FROM's address alone (`leads@example.com` of `Leads <leads@example.com>`), or null. */
export function mailFromAddress(): string | null {
  const from = env().MAIL_FROM;
  return from ? (/<([^>]+)>/.exec(from)?.[1] ?? from) : null;
}
