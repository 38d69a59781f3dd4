import type { FieldError } from "@/lib/errors";
import { fail } from "@/lib/errors";
import { isDatabaseUnavailable } from "@/lib/db/unavailable";
import { hashedClientAddress } from "@/lib/http/client-address";
import {
  type Answer,
  answerKeys,
  countAddressAndFindAnswers,
  inspect,
  issueToken,
  keepAnswer,
  overFormBudget,
  TOKEN_FIELD,
} from "./guard";
import { keptAnswers } from "./answers";
import { readSubmission } from "./http";
import { checkPhotos, keepingPhotos, withPhotoCheck } from "./photos";
import type { Form } from "./repository";
import { submitForm, type SubmittedValues, submittedValues, validate } from "./submit";
import { contentHash, keepSubmission, submissionRecord } from "./submission-record";

/** What came of a visitor's submission, for the intake route to render as JSON or as a page. */
export type IntakeOutcome =
  /**
   * Kept: a lead made or reached, held for review, waiting for Rotor, or spam (answered alike: a
   * bot learns nothing, and nobody learns whether a person was already known).
   */
  | { kind: "accepted"; answer: Answer; outsideArea: boolean }
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
 * Receives one submission and keeps it, whatever it is (lib/forms/submission-record.ts):
 * - spam (honeypot, forged token, sent too fast, Turnstile failed, past its address's hourly
 *   limit) is kept as spam with its reason, and answered as if accepted;
 * - one the form's rules refuse is kept as such, and the visitor gets the form back with the
 *   messages (a 400 for JSON);
 * - the same submission sent again (same content, by the same client, within minutes or under the
 *   same one-time key or Idempotency-Key) gets the first answer; an Idempotency-Key sent again with
 *   other content is a 422;
 * - past the form's hourly budget, it is held for review;
 * - otherwise it goes to the store, which makes or fills a lead in the same transaction.
 * A body that cannot be read throws (a DomainError).
 */
export async function receiveSubmission(form: Form, req: Request): Promise<IntakeOutcome> {
  let raw: Record<string, unknown> | undefined;
  let values: SubmittedValues | undefined;
  try {
    const sent = await readSubmission(req);
    raw = sent.fields;
    values = submittedValues(form, raw);
    const record = submissionRecord(form, raw, await hashedClientAddress(req));
    const content = contentHash(record);
    const photos = await checkPhotos(form, sent.photos);
    const checked = validate(form, values, raw);
    const { errors, input } = withPhotoCheck(checked, photos);
    const { outsideArea } = checked;
    record.answers = keptAnswers(checked.answers);
    const inspected = await inspect(form, req, raw);
    const header = req.headers.get("idempotency-key")?.slice(0, 200) || null;
    const token = inspected.spam ? null : inspected.token;
    const keys = answerKeys(form, record.client_hash, content, { token: token?.key ?? null, header });
    const asked = [keys.duplicate, keys.once, keys.idempotency].filter((k) => k !== null);
    // The address's hourly count and any earlier answer, in one round trip.
    const { overLimit, answers } = await countAddressAndFindAnswers(form, record.client_hash, asked);
    const earlier = Object.fromEntries(asked.map((key, i) => [key, answers[i]]));
    const byKey = keys.idempotency ? earlier[keys.idempotency] : null;
    if (byKey && byKey.content !== content) throw fail.keyReused();
    const first = byKey ?? earlier[keys.duplicate] ?? (keys.once ? earlier[keys.once] : null);
    if (first) return { kind: "accepted", answer: first, outsideArea };

    const spam = inspected.spam ?? (overLimit ? "rate-ip" : null);
    // Sent back too fast but not valid: show the errors as to anyone (a person pressing Send on an
    // empty form at once); only a complete submission that fast is treated as a bot's.
    if (spam && !(spam === "too-fast" && errors.length > 0)) {
      // The record keeps the photos' names, not the photos: a bot's uploads take no storage.
      await keepSubmission(form, record, { status: "spam", reason: spam });
      // Not kept as an answer: a person caught by mistake (too fast) who sends it again gets through.
      return { kind: "accepted", answer: { submissionId: record.id, queued: false, content }, outsideArea };
    }
    if (!input) {
      await keepSubmission(form, record, { status: "invalid", errors });
      // The same rendering continues, its render time and one-time key with it (a forged token was
      // answered as spam above).
      const carried = presentedToken(raw) ?? (await issueToken(form));
      return { kind: "invalid", errors, again: { raw, values, token: carried } };
    }
    if (await overFormBudget(form)) {
      await keepingPhotos(form, record.id, photos.photos, () =>
        keepSubmission(form, record, { status: "held", reason: "rate-form" }),
      );
      return accepted(keys, { submissionId: record.id, queued: false, content }, outsideArea);
    }
    // The write makes the company's lists stale before it returns (lib/leads/upsert.ts).
    const { queued } = await keepingPhotos(form, record.id, photos.photos, () =>
      submitForm(form, raw!, record, input),
    );
    return accepted(keys, { submissionId: record.id, queued, content }, outsideArea);
  } catch (error) {
    if (raw && values && isDatabaseUnavailable(error)) {
      return { kind: "unavailable", again: { raw, values, token: presentedToken(raw) ?? "" }, cause: error };
    }
    throw error;
  }
}

async function accepted(
  keys: ReturnType<typeof answerKeys>,
  answer: Answer,
  outsideArea: boolean,
): Promise<IntakeOutcome> {
  await keepAnswer(keys, answer);
  return { kind: "accepted", answer, outsideArea };
}
