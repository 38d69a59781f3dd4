import { createHash, randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { now } from "@/lib/clock";
import { getDb } from "@/lib/db/client";
import type { SubmissionStatus } from "@/lib/db/schema";
import type { FieldError } from "@/lib/errors";
import { expandFragments } from "@/lib/db/functions/fragments";
import { cleanUrl, PAGE_FIELD, REFERRER_FIELD } from "./context";
import type { Answer } from "./answers";
import type { Form } from "./repository";

// The same statement as the upsert functions' (lib/db/functions/fragments.ts).
const KEEP_SUBMISSIONS = expandFragments("{{keep_submissions written}}");

/** Fields of the portal's own making that a record leaves out: the signed token and Turnstile's. */
const NOT_KEPT = new Set(["_token", "cf-turnstile-response"]);

const UTM = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"] as const;
const CLICK_IDS = ["gclid", "gbraid", "wbraid", "fbclid", "msclkid", "ttclid", "li_fat_id"] as const;

/**
 * A submission as the submissions table keeps it, in its column names (lead_upsert inserts it as
 * it is, adding what became of it). Built before anything else is decided about the submission.
 */
export type SubmissionRecord = {
  id: string;
  form_id: string;
  received_at: string;
  fields: Record<string, unknown>;
  client_hash: string;
  page: string | null;
  referrer: string | null;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  utm_term: string | null;
  utm_content: string | null;
  click_ids: Record<string, string> | null;
  /** The answers to the form's questions (lib/forms/answers.ts), once checked. */
  answers?: Answer[] | null;
};

/** The NUL character, and halves of a UTF-16 pair without their other half. */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * A value as the database's text and JSON can hold it: the NUL character and broken UTF-16 become
 * U+FFFD (the replacement character) in names and values alike; the rest is kept as sent.
 */
function storable(value: unknown): unknown {
  if (typeof value === "string") return value.replace(UNSTORABLE, "\ufffd");
  if (Array.isArray(value)) return value.map(storable);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([name, v]) => [storable(name), storable(v)]));
  }
  return value;
}

const short = (value: unknown, max: number) =>
  typeof value === "string" && value.trim() !== "" ? value.trim().slice(0, max) : null;

/** Everything the submission carried, where it came from (page, referrer, campaign, ad clicks). */
export function submissionRecord(
  form: Form,
  raw: Record<string, unknown>,
  clientHash: string,
): SubmissionRecord {
  const sent = storable(raw) as Record<string, unknown>;
  const fields = Object.fromEntries(Object.entries(sent).filter(([name]) => !NOT_KEPT.has(name)));
  const page = cleanUrl(sent[PAGE_FIELD]) ?? null;
  const params = page ? new URL(page).searchParams : new URLSearchParams();
  // The page's address first; a business's own form may post them as fields instead.
  const pick = (name: string, max: number) => short(params.get(name), max) ?? short(sent[name], max);
  const clicks = Object.fromEntries(
    CLICK_IDS.flatMap((name) => {
      const value = pick(name, 200);
      return value ? [[name, value]] : [];
    }),
  );
  const utm = Object.fromEntries(UTM.map((name) => [name, pick(name, 200)])) as Record<
    (typeof UTM)[number],
    string | null
  >;
  return {
    id: randomUUID(),
    form_id: form.id,
    received_at: now().toISOString(),
    fields,
    client_hash: clientHash,
    page,
    referrer: cleanUrl(sent[REFERRER_FIELD]) ?? null,
    ...utm,
    click_ids: Object.keys(clicks).length > 0 ? clicks : null,
  };
}

/** A digest of what was sent (the portal's own hidden fields aside): the same values, the same digest. */
export function contentHash(record: SubmissionRecord): string {
  const entries = Object.entries(record.fields)
    .filter(([name]) => name !== PAGE_FIELD && name !== REFERRER_FIELD)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash("sha256").update(JSON.stringify(entries)).digest("base64url");
}

/**
 * Keeps a submission that does not become a lead now: spam (and why), held past the form's hourly
 * budget, or refused by the form's rules (with its messages). Spam also counts on the form.
 */
export async function keepSubmission(
  form: Form,
  record: SubmissionRecord,
  outcome: {
    status: Extract<SubmissionStatus, "spam" | "held" | "invalid">;
    reason?: string;
    errors?: FieldError[];
  },
): Promise<void> {
  const submission = { ...record, spam_reason: outcome.reason ?? null, errors: outcome.errors ?? null };
  const db = await getDb();
  await db.execute(sql`
    with written as (
      select ${form.companyId}::uuid as company_id, null::uuid as lead_id, ${outcome.status}::text as status,
        ${JSON.stringify({ submission })}::jsonb as write
    ), kept as (${sql.raw(KEEP_SUBMISSIONS)})
    update forms set spam_count = spam_count + 1
    where id = ${form.id} and ${outcome.status === "spam"}
  `);
}
