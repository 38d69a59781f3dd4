import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { now } from "@/lib/clock";
import { getDb } from "@/lib/db/client";
import { forms } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { kv } from "@/lib/kv";
import { clientAddress, hashedClientAddress } from "@/lib/http/client-address";
import { appSecret } from "@/lib/secret";
import type { Form } from "./repository";
import type { SubmittedValues } from "./submit";

/** Hidden fields of a rendered form: the signed token and the honeypot people never see. */
export const TOKEN_FIELD = "_token";
export const HONEYPOT_FIELD = "website_url";

export type SpamReason = "honeypot" | "too-fast" | "bad-token" | "turnstile" | "rate-ip" | "rate-form";

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

/**
 * Counts a submission against the hourly limits per address and per form, and finds the first
 * answer to an earlier copy of it (see answerKeys): the limit it exceeds, if any, and that answer.
 * Two calls to KV at once, the per-address count bringing the earlier answers with it.
 */
export async function countAndFindAnswer(
  form: Form,
  req: Request,
  keys: string[],
): Promise<{ limited: SpamReason | null; first: Answer | null }> {
  const hour = Math.floor(now().getTime() / 3_600_000);
  const address = await hashedClientAddress(req);
  const [perAddress, perForm] = await Promise.all([
    kv().incrAndMget(`intake:ip:${form.id}:${address}:${hour}`, 3600, keys),
    kv().incr(`intake:form:${form.id}:${hour}`, 3600),
  ]);
  const { INTAKE_PER_IP_PER_HOUR, INTAKE_PER_FORM_PER_HOUR } = env();
  const limited =
    perAddress.count > INTAKE_PER_IP_PER_HOUR
      ? "rate-ip"
      : perForm > INTAKE_PER_FORM_PER_HOUR
        ? "rate-form"
        : null;
  const earlier = perAddress.values.find((value) => value !== null);
  return { limited, first: earlier ? (JSON.parse(earlier) as Answer) : null };
}

export async function countSpam(form: Form): Promise<void> {
  const db = await getDb();
  await db
    .update(forms)
    .set({ spamCount: sql`${forms.spamCount} + 1` })
    .where(eq(forms.id, form.id));
}

export interface Answer {
  /** Null while the submission waits in the outbox for Rotor (upstream mode). */
  leadId: string | null;
  created: boolean | null;
}

const DUPLICATE_WINDOW_SECONDS = 600;
const IDEMPOTENCY_SECONDS = 86_400;

/** Where the first answer to a submission is kept: by its one-time key, and by its exact payload. */
export function answerKeys(form: Form, values: SubmittedValues, oneTimeKey: string | null): string[] {
  const payload = createHash("sha256")
    .update(JSON.stringify(Object.entries(values).sort(([a], [b]) => a.localeCompare(b))))
    .digest("base64url");
  const keys = [`intake:dup:${form.id}:${payload}`];
  if (oneTimeKey) keys.push(`intake:once:${form.id}:${oneTimeKey}`);
  return keys;
}

export async function keepAnswer(keys: string[], answer: Answer): Promise<void> {
  const [duplicate, ...once] = keys;
  const value = JSON.stringify(answer);
  await Promise.all([
    kv().set(duplicate!, value, DUPLICATE_WINDOW_SECONDS),
    ...once.map((key) => kv().set(key, value, IDEMPOTENCY_SECONDS)),
  ]);
}
