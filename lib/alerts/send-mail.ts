import { env } from "@/lib/env";
import { type MailMessage, type MailSent, mailFromAddress, mailTransport } from "./mail";
import { answeredWith, unreachable } from "./sent";
import { SmtpError, sendSmtp } from "./smtp";

/** Sending one email, the way lib/alerts/mail.ts says it goes here. */

/** MAIL_FROM, with the given display name instead of its own when one is given. */
function fromAddress(name: string | null | undefined): string {
  const from = env().MAIL_FROM ?? "Lead portal <leads@localhost>";
  if (!name) return from;
  return `"${name.replace(/["\\\r\n]/g, "")}" <${mailFromAddress() ?? "leads@localhost"}>`;
}

async function viaSmtp(message: MailMessage, url: string): Promise<MailSent> {
  try {
    await sendSmtp(url, {
      from: fromAddress(message.fromName),
      mailFrom: mailFromAddress() ?? "leads@localhost",
      to: message.to,
      replyTo: message.replyTo,
      subject: message.subject,
      text: message.text,
      html: message.html,
    });
    return { ok: true, status: 250 };
  } catch (error) {
    const code = error instanceof SmtpError ? error.responseCode : null;
    if (code !== null) {
      // 5xx is the server's final word on this message; 4xx asks to try again later.
      return {
        ok: false,
        permanent: code >= 500,
        status: code,
        error: `The mail server refused it (${code})`,
      };
    }
    const reason = (error as { code?: string }).code ?? (error instanceof Error ? error.message : "error");
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
    return unreachable("Resend", error);
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
