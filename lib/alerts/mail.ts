import type { Transporter } from "nodemailer";
import { env } from "@/lib/env";
import { answeredWith, type Sent } from "./sent";

/**
 * Sending one email: through an SMTP server (SMTP_URL, with nodemailer), through Resend's API
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

/** MAIL_FROM, with the given display name instead of its own when one is given. */
function fromAddress(name: string | null | undefined): string {
  const from = env().MAIL_FROM ?? "Lead portal <leads@localhost>";
  if (!name) return from;
  return `"${name.replace(/["\\\r\n]/g, "")}" <${mailFromAddress() ?? "leads@localhost"}>`;
}

const holder = globalThis as typeof globalThis & {
  __leadPortalSmtp?: { url: string; transporter: Promise<Transporter> };
};

/**
 * What the SMTP connection does unless SMTP_URL's own query says otherwise: a pool (alerts come in
 * bursts), and timeouts well within an outbox item's lease, so that a mail server that stops
 * answering fails the attempt (to be retried) before another worker may take the item over.
 */
const SMTP_DEFAULTS: Record<string, string> = {
  pool: "true",
  maxConnections: "8",
  connectionTimeout: "10000",
  greetingTimeout: "10000",
  socketTimeout: "30000",
};

/** One pooled connection set per SMTP_URL for the process. */
function smtpTransporter(url: string): Promise<Transporter> {
  if (holder.__leadPortalSmtp?.url !== url) {
    const configured = new URL(url);
    for (const [name, value] of Object.entries(SMTP_DEFAULTS)) {
      if (!configured.searchParams.has(name)) configured.searchParams.set(name, value);
    }
    const transporter = import("nodemailer").then((nodemailer) =>
      nodemailer.createTransport(configured.href),
    );
    holder.__leadPortalSmtp = { url, transporter };
  }
  return holder.__leadPortalSmtp.transporter;
}

async function viaSmtp(message: MailMessage, url: string): Promise<MailSent> {
  try {
    const transporter = await smtpTransporter(url);
    await transporter.sendMail({
      from: fromAddress(message.fromName),
      to: message.to,
      replyTo: message.replyTo ?? undefined,
      subject: message.subject,
      text: message.text,
      html: message.html,
    });
    return { ok: true, status: 250 };
  } catch (error) {
    const code = (error as { responseCode?: number }).responseCode;
    if (typeof code === "number") {
      // 5xx is the server's final word on this message; 4xx asks to try again later.
      return {
        ok: false,
        permanent: code >= 500,
        status: code,
        error: `The mail server refused it (${code})`,
      };
    }
    const reason = (error as { code?: string }).code ?? (error instanceof Error ? error.name : "error");
    return {
      ok: false,
      permanent: false,
      status: null,
      error: `The mail server could not be reached (${reason})`,
    };
  }
}

async function viaResend(message: MailMessage, key: string, idempotencyKey: string): Promise<MailSent> {
  const settings = env();
  let response: Response;
  try {
    response = await fetch(new URL("/emails", settings.RESEND_API_URL), {
      method: "POST",
      headers: {
        authorization: `Bearer ${key}`,
        "content-type": "application/json",
        // A retry after a lost answer is not a second email.
        "idempotency-key": idempotencyKey,
      },
      body: JSON.stringify({
        from: fromAddress(message.fromName),
        to: [message.to],
        subject: message.subject,
        text: message.text,
        html: message.html,
        ...(message.replyTo ? { reply_to: message.replyTo } : {}),
      }),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    return {
      ok: false,
      permanent: false,
      status: null,
      error: `Resend could not be reached (${error instanceof Error ? error.name : "error"})`,
    };
  }
  await response.body?.cancel();
  if (response.ok) return { ok: true, status: response.status };
  return answeredWith("Resend", response.status);
}

/** Sends one message; `key` names it once for all its attempts. */
export async function sendMail(message: MailMessage, key: string): Promise<MailSent> {
  const settings = env();
  switch (mailTransport()) {
    case "smtp":
      return viaSmtp(message, settings.SMTP_URL!);
    case "resend":
      return viaResend(message, settings.RESEND_API_KEY!, key);
    case "dev":
      // A developer's own machine, by design: the message is shown where they are looking.
      console.info(`\n[mail] To: ${message.to}\n[mail] Subject: ${message.subject}\n${message.text}\n`);
      return { ok: true, status: null };
    default:
      return {
        ok: false,
        permanent: true,
        status: null,
        error: "Email is not set up (SMTP_URL or RESEND_API_KEY)",
      };
  }
}
