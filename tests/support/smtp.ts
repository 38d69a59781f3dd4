import type { AddressInfo } from "node:net";
import { type AddressObject, type Headers as MailHeaders, simpleParser } from "mailparser";
import { SMTPServer, type SMTPServerError } from "smtp-server";

/** A message the server accepted, as mailparser reads it, with the SMTP envelope it came in. */
export interface ReceivedMail {
  /** The From header as written, display name included: `Lead Portal <noreply@example.com>`. */
  from: string;
  /** The addresses of the To header(s). */
  to: string[];
  subject: string;
  text: string;
  html: string | null;
  headers: MailHeaders;
  /** The Reply-To header as written, as `from`. */
  replyTo: string | null;
  envelopeFrom: string;
  envelopeTo: string[];
}

function addresses(header: AddressObject | AddressObject[] | undefined): string[] {
  return [header ?? []]
    .flat()
    .flatMap((object) => object.value.flatMap((entry) => entry.group ?? [entry]))
    .flatMap((entry) => (entry.address ? [entry.address] : []));
}

/**
 * A real SMTP server on 127.0.0.1 without TLS, that parses and keeps what it accepts. With a user
 * (or password) it requires AUTH with exactly those, in plain text; without, it offers no AUTH.
 */
export async function startSmtp(options: { user?: string; pass?: string } = {}): Promise<{
  /** smtp://[user:pass@]127.0.0.1:PORT, for nodemailer.createTransport */
  url: string;
  mails: ReceivedMail[];
  /** The next `count` messages are refused at the end of DATA with `code` (421 temporary, 550 permanent…). */
  refuse(code: number, count?: number): void;
  /**
   * The first mail, already received or yet to come, that matches (any mail without a predicate);
   * rejects naming what did arrive if none does within timeoutMs.
   */
  waitForMail(predicate?: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}> {
  const needsAuth = options.user !== undefined || options.pass !== undefined;
  const mails: ReceivedMail[] = [];
  const refusals: number[] = [];
  const waiters = new Set<(mail: ReceivedMail) => void>();
  const server = new SMTPServer({
    disabledCommands: needsAuth ? ["STARTTLS"] : ["STARTTLS", "AUTH"],
    allowInsecureAuth: true,
    logger: false,
    // close() would otherwise give a client's idle connection 30 s to leave; 0 means that default.
    closeTimeout: 1,
    onAuth(auth, _session, callback) {
      if (auth.username === (options.user ?? "") && auth.password === (options.pass ?? "")) {
        return callback(null, { user: auth.username });
      }
      callback(Object.assign(new Error("Invalid username or password"), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      const refusal = refusals.shift();
      if (refusal !== undefined) {
        // smtp-server answers only once the message has been read to its end.
        stream.on("end", () => {
          const error: SMTPServerError = new Error(`Refused by the test (${refusal})`);
          error.responseCode = refusal;
          callback(error);
        });
        stream.resume();
        return;
      }
      simpleParser(stream).then(
        (parsed) => {
          const { mailFrom, rcptTo } = session.envelope;
          const mail: ReceivedMail = {
            from: parsed.from?.text ?? "",
            to: addresses(parsed.to),
            subject: parsed.subject ?? "",
            text: parsed.text ?? "",
            html: parsed.html || null,
            headers: parsed.headers,
            replyTo: parsed.replyTo?.text ?? null,
            envelopeFrom: mailFrom ? mailFrom.address : "",
            envelopeTo: rcptTo.map((rcpt) => rcpt.address),
          };
          mails.push(mail);
          for (const waiter of waiters) waiter(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  const credentials = needsAuth
    ? `${encodeURIComponent(options.user ?? "")}:${encodeURIComponent(options.pass ?? "")}@`
    : "";
  return {
    url: `smtp://${credentials}127.0.0.1:${port}`,
    mails,
    refuse: (code, count = 1) => {
      for (let i = 0; i < count; i++) refusals.push(code);
    },
    waitForMail: (predicate = () => true, timeoutMs = 10_000) => {
      const arrived = mails.find(predicate);
      if (arrived) return Promise.resolve(arrived);
      return new Promise<ReceivedMail>((resolve, reject) => {
        const waiter = (mail: ReceivedMail) => {
          if (!predicate(mail)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(mail);
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          const subjects = mails.map((mail) => JSON.stringify(mail.subject)).join(", ") || "none";
          reject(new Error(`No matching mail arrived within ${timeoutMs} ms (received: ${subjects})`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The server `startSmtp` starts. */
export type SmtpStandIn = Awaited<ReturnType<typeof startSmtp>>;
