import { randomUUID } from "node:crypto";
import type { FieldError } from "@/lib/errors";
import { isDatabaseUnavailable } from "@/lib/db/unavailable";
import {
  type Answer,
  answerKeys,
  countAndFindAnswer,
  countSpam,
  inspect,
  issueToken,
  keepAnswer,
  TOKEN_FIELD,
} from "./guard";
import { readSubmission } from "./http";
import type { Form } from "./repository";
import { submitForm, type SubmittedValues, submittedValues, validate } from "./submit";

/** What came of a visitor's submission, for the intake route to render as JSON or as a page. */
export type IntakeOutcome =
  /** Kept (or answered before, or spam answered as if kept: a bot learns nothing). */
  | { kind: "accepted"; answer: Answer }
  /** The form's rules refused it: the messages, what was typed, and the token the page continues with. */
  | { kind: "invalid"; errors: FieldError[]; again: FormAgain }
  /** The database is out of reach: what was typed, to show back for sending again in a moment. */
  | { kind: "unavailable"; again: FormAgain; cause: unknown };

/** What the form page needs to be shown again as the visitor left it. */
export interface FormAgain {
  raw: Record<string, unknown>;
  values: SubmittedValues;
  token: string;
}

/** The signed token the submitted form carried, if any. */
function presentedToken(raw: Record<string, unknown>): string | null {
  const presented = raw[TOKEN_FIELD];
  return typeof presented === "string" && presented !== "" ? presented : null;
}

/**
 * Receives one submission: reads it, stops spam (answered as if accepted, and counted), gives a
 * resubmission (same one-time key or Idempotency-Key, or the same payload within minutes) the first
 * answer, and otherwise submits it. A body that cannot be read throws (an ApiError with its status).
 */
export async function receiveSubmission(form: Form, req: Request): Promise<IntakeOutcome> {
  let raw: Record<string, unknown> | undefined;
  let values: SubmittedValues | undefined;
  try {
    raw = await readSubmission(req);
    values = submittedValues(form, raw);
    const inspected = await inspect(form, req, raw);
    const header = req.headers.get("idempotency-key")?.slice(0, 200) ?? null;
    const token = inspected.spam ? null : inspected.token;
    const keys = answerKeys(form, values, token?.key ?? header);
    // The hourly limits and an earlier answer are asked of KV together, in one round trip.
    const { limited, first } = inspected.spam
      ? { limited: null, first: null }
      : await countAndFindAnswer(form, req, keys);
    const spam = inspected.spam ?? limited;
    // Sent back too fast but not valid: show the errors as to anyone (a person pressing Send on an
    // empty form at once); only a complete submission that fast is treated as a bot's.
    const tooFastButInvalid = spam === "too-fast" && validate(form, values).length > 0;
    if (spam && !tooFastButInvalid) {
      await countSpam(form);
      return { kind: "accepted", answer: { leadId: randomUUID(), created: true } };
    }
    if (first) return { kind: "accepted", answer: first };

    // The write makes the company's lists stale before it returns (lib/leads/upsert.ts).
    const result = await submitForm(form, raw, values);
    if (result.ok) {
      const answer = { leadId: result.leadId, created: result.created };
      await keepAnswer(keys, answer);
      return { kind: "accepted", answer };
    }
    // The same rendering continues, its render time and one-time key with it (a forged token was
    // answered as spam above).
    const carried = presentedToken(raw) ?? (await issueToken(form));
    return { kind: "invalid", errors: result.errors, again: { raw, values: result.values, token: carried } };
  } catch (error) {
    if (raw && values && isDatabaseUnavailable(error)) {
      return { kind: "unavailable", again: { raw, values, token: presentedToken(raw) ?? "" }, cause: error };
    }
    throw error;
  }
}
