import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { now } from "@/lib/clock";
import { env } from "@/lib/env";
import { kv } from "@/lib/kv";
import { clientAddress } from "@/lib/http/client-address";
import { appSecret } from "@/lib/secret";
import type { Form } from "./repository";

/** Hidden fields of a rendered form: the signed token and the honeypot people never see. */
export const TOKEN_FIELD = "_token";
export const HONEYPOT_FIELD = "website_url";

export type SpamReason = "honeypot" | "too-fast" | "bad-token" | "turnstile" | "rate-ip";

/** The field Cloudflare's widget adds to the form. */
export const TURNSTILE_FIELD = "cf-turnstile-response";

/**
 * Cloudflare's verdict on the widget's token. When Cloudflare cannot be reached the submission is
 * let through (with a warning): losing a real lead is worse than letting one bot pass.
 */
async function turnstilePassed(raw: Record<string, unknown>, req: Request): Promise<boolean> {
  const { TURNSTILE_SECRET_KEY: secret, TURNSTILE_VERIFY_URL: url } = env();
  if (!secret) return true;
  const response = raw[TURNSTILE_FIELD];
  if (typeof response !== "string" || response === "") return false;
  try {
    const answer = await fetch(url, {
      method: "POST",
      body: new URLSearchParams({ secret, response, remoteip: clientAddress(req) }),
      signal: AbortSignal.timeout(5_000),
    });
    return ((await answer.json()) as { success?: unknown }).success === true;
  } catch {
    console.warn("[intake] Turnstile could not be reached; the submission was let through");
    return true;
  }
}

interface Token {
  /** When the form was rendered, epoch milliseconds. */
  issuedAt: number;
  /** One-time key: a resubmit of the same rendered form gets the first answer. */
  key: string;
}

const sign = async (payload: string) =>
  createHmac("sha256", await appSecret())
    .update(payload)
    .digest("base64url");

/** A token for one rendering of a form: when it was shown and a one-time key, signed. */
export async function issueToken(form: Form): Promise<string> {
  const payload = Buffer.from(
    JSON.stringify({ f: form.id, t: now().getTime(), k: randomBytes(12).toString("base64url") }),
  ).toString("base64url");
  return `${payload}.${await sign(payload)}`;
}

/** The token's contents when it is this form's and its signature holds; null otherwise. */
export async function readToken(form: Form, token: string): Promise<Token | null> {
  const [payload, signature] = token.split(".");
  if (!payload || !signature) return null;
  const expected = Buffer.from(await sign(payload));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const { f, t, k } = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>;
    if (f !== form.id || typeof t !== "number" || typeof k !== "string") return null;
    return { issuedAt: t, key: k };
  } catch {
    return null;
  }
}

/**
 * The server's checks of the submission itself, which a direct POST meets as much as the page does:
 * the honeypot, the signed render time (a person takes a few seconds), and Turnstile when set. A
 * submission without a token (a business's own HTML form) skips only the fill-time check.
 */
export async function inspect(
  form: Form,
  req: Request,
  raw: Record<string, unknown>,
): Promise<{ spam: SpamReason } | { spam: null; token: Token | null }> {
  const honeypot = raw[HONEYPOT_FIELD];
  if (typeof honeypot === "string" && honeypot.trim() !== "") return { spam: "honeypot" };
  let token: Token | null = null;
  const presented = raw[TOKEN_FIELD];
  if (typeof presented === "string" && presented !== "") {
    token = await readToken(form, presented);
    if (!token) return { spam: "bad-token" };
    if (now().getTime() - token.issuedAt < env().INTAKE_MIN_FILL_SECONDS * 1000) return { spam: "too-fast" };
  }
  if (!(await turnstilePassed(raw, req))) return { spam: "turnstile" };
  return { spam: null, token };
}

const hourOf = () => Math.floor(now().getTime() / 3_600_000);

/**
 * Counts a submission against its address's hourly limit, and reads in the same round trip the
 * first answers to earlier copies of it (see answerKeys): whether the address is over its limit,
 * and the answer found under each key (null where none).
 */
export async function countAddressAndFindAnswers(
  form: Form,
  clientHash: string,
  keys: string[],
): Promise<{ overLimit: boolean; answers: (Answer | null)[] }> {
  const counted = await kv().incrAndMget(`intake:ip:${form.id}:${clientHash}:${hourOf()}`, 3600, keys);
  return {
    overLimit: counted.count > env().INTAKE_PER_IP_PER_HOUR,
    answers: counted.values.map((value) => (value === null ? null : (JSON.parse(value) as Answer))),
  };
}

/**
 * Counts a submission against its form's hourly budget: only those that passed the address's
 * limit and the form's rules, so that a flood of junk cannot use up a form's hour. True past it.
 */
export async function overFormBudget(form: Form): Promise<boolean> {
  const count = await kv().incr(`intake:form:${form.id}:${hourOf()}`, 3600);
  return count > env().INTAKE_PER_FORM_PER_HOUR;
}

/** The answer a submission got, kept so that the same submission sent again gets it too. */
export interface Answer {
  submissionId: string;
  /** Waiting in the outbox for Rotor (upstream mode): 202 rather than 201. */
  queued: boolean;
  /** What was sent (contentHash): a key used again with other content is not the same submission. */
  content: string;
}

const DUPLICATE_WINDOW_SECONDS = 600;
const IDEMPOTENCY_SECONDS = 86_400;

const digest = (text: string) => createHash("sha256").update(text).digest("base64url");

/**
 * Where the first answer to a submission is kept, all per form and per client: by its exact content
 * for a few minutes (a double click); by the rendered form's one-time key and the content (the same
 * values sent again; other values, a visitor's correction, are a new submission); and by the
 * caller's Idempotency-Key, whose answer says which content it was first used for.
 */
export function answerKeys(
  form: Form,
  clientHash: string,
  content: string,
  keys: { token: string | null; header: string | null },
): { duplicate: string; once: string | null; idempotency: string | null } {
  return {
    duplicate: `intake:dup:${form.id}:${clientHash}:${content}`,
    once: keys.token ? `intake:once:${form.id}:${keys.token}:${content}` : null,
    idempotency: keys.header ? `intake:idem:${form.id}:${clientHash}:${digest(keys.header)}` : null,
  };
}

export async function keepAnswer(keys: ReturnType<typeof answerKeys>, answer: Answer): Promise<void> {
  const value = JSON.stringify(answer);
  await Promise.all([
    kv().set(keys.duplicate, value, DUPLICATE_WINDOW_SECONDS),
    ...[keys.once, keys.idempotency].flatMap((key) =>
      key ? [kv().set(key, value, IDEMPOTENCY_SECONDS)] : [],
    ),
  ]);
}
