import { randomBytes } from "node:crypto";
import { connect as netConnect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";

/**
 * A small SMTP client (RFC 5321) for the portal's own mail: one connection per message, STARTTLS
 * when the server offers it (smtp://) or TLS from the start (smtps://), AUTH PLAIN with the URL's
 * user and password, and a MIME message of a text and an HTML part. The mail libraries weigh
 * half a megabyte in every function of a Vercel build; this is all the portal needs of them.
 */

export interface Envelope {
  /** The From header, display name included. */
  from: string;
  /** Addresses alone. */
  mailFrom: string;
  to: string;
  replyTo?: string | null;
  subject: string;
  text: string;
  html: string;
}

/** A server's refusal, with its reply code (4xx: try again later; 5xx: never). */
export class SmtpError extends Error {
  override name = "SmtpError";
  constructor(
    message: string,
    readonly responseCode: number | null,
  ) {
    super(message);
  }
}

const TIMEOUT_MS = 30_000;

/** Reads replies off a connection: each is its code and its lines, the last without a dash. */
class Replies {
  private buffer = "";
  private waiting: ((reply: { code: number; text: string } | Error) => void) | null = null;
  private failure: Error | null = null;
  constructor(private socket: Socket) {
    this.attach(socket);
  }
  attach(socket: Socket): void {
    this.socket = socket;
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      this.buffer += chunk;
      this.deliver();
    });
    const fail = (error: Error) => {
      this.failure ??= error;
      this.waiting?.(this.failure);
      this.waiting = null;
    };
    socket.on("error", fail);
    socket.on("close", () => fail(new SmtpError("The mail server closed the connection", null)));
    socket.setTimeout(TIMEOUT_MS, () =>
      socket.destroy(new SmtpError("The mail server did not answer", null)),
    );
  }
  /** Stops reading this socket (before it is upgraded to TLS, or closed). */
  detach(): void {
    this.socket.removeAllListeners("data");
    this.socket.removeAllListeners("error");
    this.socket.removeAllListeners("close");
    // Whatever the socket says from now on is not news: an error must not go unhandled.
    this.socket.on("error", () => {});
    this.socket.setTimeout(0);
  }
  private deliver(): void {
    if (!this.waiting) return;
    const lines = this.buffer.split("\r\n");
    for (let i = 0; i < lines.length - 1; i++) {
      const match = /^(\d{3})([ -])/.exec(lines[i]!);
      if (match && match[2] === " ") {
        const text = lines.slice(0, i + 1).join("\n");
        this.buffer = lines.slice(i + 1).join("\r\n");
        const resolve = this.waiting;
        this.waiting = null;
        resolve({ code: Number(match[1]), text });
        return;
      }
    }
  }
  next(): Promise<{ code: number; text: string }> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting = (reply) => (reply instanceof Error ? reject(reply) : resolve(reply));
      this.deliver();
    });
  }
}

/** The header's text, encoded as RFC 2047 asks when it is not plain ASCII. */
function headerText(value: string): string {
  const flat = value.replace(/[\r\n]+/g, " ");
  return /^[\x20-\x7e]*$/.test(flat) ? flat : `=?UTF-8?B?${Buffer.from(flat, "utf8").toString("base64")}?=`;
}

/** An address header: a display name in quotes is encoded on its own, the address kept as it is. */
function addressHeader(value: string): string {
  const match = /^"(.*)"\s*<([^>]+)>$/.exec(value) ?? /^(.*?)\s*<([^>]+)>$/.exec(value);
  if (!match) return value.replace(/[\r\n]/g, "");
  const name = match[1]!.trim();
  return name
    ? `${/^[\x20-\x7e]*$/.test(name) ? `"${name}"` : headerText(name)} <${match[2]}>`
    : `<${match[2]}>`;
}

const base64Lines = (text: string) =>
  Buffer.from(text, "utf8").toString("base64").replace(/.{76}/g, "$&\r\n");

/** The message as sent after DATA: headers, and a text and an HTML alternative in base64. */
export function mimeMessage(envelope: Envelope, at: Date = new Date()): string {
  const boundary = `=_${randomBytes(12).toString("hex")}`;
  const domain = envelope.mailFrom.split("@")[1] ?? "localhost";
  const headers = [
    `From: ${addressHeader(envelope.from)}`,
    `To: ${addressHeader(envelope.to)}`,
    ...(envelope.replyTo ? [`Reply-To: ${addressHeader(envelope.replyTo)}`] : []),
    `Subject: ${headerText(envelope.subject)}`,
    `Date: ${at.toUTCString().replace("GMT", "+0000")}`,
    `Message-ID: <${randomBytes(16).toString("hex")}@${domain}>`,
    "MIME-Version: 1.0",
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
  ];
  const part = (type: string, body: string) =>
    [
      `--${boundary}`,
      `Content-Type: ${type}; charset=utf-8`,
      "Content-Transfer-Encoding: base64",
      "",
      base64Lines(body),
    ].join("\r\n");
  return [
    ...headers,
    "",
    part("text/plain", envelope.text),
    part("text/html", envelope.html),
    `--${boundary}--`,
    "",
  ].join("\r\n");
}

interface Session {
  url: string;
  socket: Socket;
  replies: Replies;
  command(line: string, codes: number[], what?: string): Promise<{ code: number; text: string }>;
  idle?: ReturnType<typeof setTimeout>;
}

/** Connections left open between messages, per URL: alerts come in bursts. */
const MAX_IDLE = 8;
const IDLE_MS = 10_000;
const holder = globalThis as typeof globalThis & { __leadPortalSmtpIdle?: Map<string, Session[]> };
const idle: Map<string, Session[]> = (holder.__leadPortalSmtpIdle ??= new Map());

function close(session: Session): void {
  clearTimeout(session.idle);
  session.replies.detach();
  session.socket.end();
  session.socket.destroy();
}

/** A connection through its greeting, EHLO, STARTTLS when offered, and AUTH when the URL has a user. */
async function open(url: string): Promise<Session> {
  const server = new URL(url);
  const secure = server.protocol === "smtps:";
  const host = server.hostname;
  const port = Number(server.port) || (secure ? 465 : 587);
  const session = { url } as Session;
  session.socket = await new Promise((resolve, reject) => {
    const opened = secure
      ? tlsConnect({ host, port, servername: host }, () => resolve(opened))
      : netConnect({ host, port }, () => resolve(opened));
    opened.once("error", reject);
  });
  session.replies = new Replies(session.socket);
  const expect = async (codes: number[], what: string) => {
    const reply = await session.replies.next();
    if (!codes.includes(reply.code)) throw new SmtpError(`${what}: ${reply.text}`, reply.code);
    return reply;
  };
  session.command = async (line, codes, what = line.split(" ")[0]!) => {
    session.socket.write(`${line}\r\n`);
    return expect(codes, what);
  };
  try {
    await expect([220], "greeting");
    const name = "lead-portal.localhost";
    const hello = await session.command(`EHLO ${name}`, [250]);
    if (!secure && /\bSTARTTLS\b/i.test(hello.text)) {
      await session.command("STARTTLS", [220]);
      session.replies.detach();
      const plain = session.socket;
      session.socket = await new Promise((resolve, reject) => {
        const upgraded = tlsConnect({ socket: plain, servername: host }, () => resolve(upgraded));
        upgraded.once("error", reject);
      });
      session.replies.attach(session.socket);
      await session.command(`EHLO ${name}`, [250]);
    }
    if (server.username) {
      const user = decodeURIComponent(server.username);
      const pass = decodeURIComponent(server.password);
      await session.command(
        `AUTH PLAIN ${Buffer.from(`\0${user}\0${pass}`).toString("base64")}`,
        [235],
        "AUTH",
      );
    }
    return session;
  } catch (error) {
    close(session);
    throw error;
  }
}

async function deliver(session: Session, envelope: Envelope): Promise<void> {
  await session.command(`MAIL FROM:<${envelope.mailFrom}>`, [250], "MAIL FROM");
  await session.command(`RCPT TO:<${envelope.to.replace(/^.*<([^>]+)>$/, "$1")}>`, [250, 251], "RCPT TO");
  await session.command("DATA", [354]);
  // A line of a base64 body or of a header never starts with a dot: nothing to stuff.
  session.socket.write(mimeMessage(envelope));
  await session.command(".", [250], "the message");
}

/**
 * Sends one message through the server of an smtp:// or smtps:// URL, on a connection left open by
 * an earlier message when there is one (a server may have closed it meanwhile: then on a new one).
 */
export async function sendSmtp(url: string, envelope: Envelope): Promise<void> {
  const waiting = idle.get(url) ?? [];
  let session = waiting.pop();
  if (session) clearTimeout(session.idle);
  let reused = session !== undefined;
  session ??= await open(url);
  try {
    await deliver(session, envelope);
  } catch (error) {
    close(session);
    // A kept connection the server had closed: once more, on a fresh one.
    if (!reused || (error instanceof SmtpError && error.responseCode !== null)) throw error;
    reused = false;
    session = await open(url);
    try {
      await deliver(session, envelope);
    } catch (again) {
      close(session);
      throw again;
    }
  }
  if (waiting.length >= MAX_IDLE) return close(session);
  const kept = session;
  kept.idle = setTimeout(() => {
    idle.set(
      url,
      (idle.get(url) ?? []).filter((s) => s !== kept),
    );
    close(kept);
  }, IDLE_MS);
  kept.idle.unref?.();
  waiting.push(kept);
  idle.set(url, waiting);
}
