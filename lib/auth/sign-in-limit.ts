import { createHash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { now } from "@/lib/clock";
import { env } from "@/lib/env";
import { hashedClientAddress } from "@/lib/http/client-address";
import { kv } from "@/lib/kv";
import { appSecret } from "@/lib/secret";

const WINDOW_SECONDS = 15 * 60;
/** A client may try several addresses (a shared office), but not endlessly. */
const PER_CLIENT_FACTOR = 5;
/** Each attempt past the limit waits this much longer than the one before, up to MAX_DELAY_MS. */
const DELAY_STEP_MS = 500;
const MAX_DELAY_MS = 10_000;

/**
 * How long the given attempt (1 for the first of the window) of one account from one client waits
 * before it is answered: nothing up to the limit, then half a second more each time, up to 10 s.
 */
export function signInDelayMs(attempt: number, limit: number): number {
  return attempt <= limit ? 0 : Math.min(MAX_DELAY_MS, (attempt - limit) * DELAY_STEP_MS);
}

/**
 * Counts a sign-in attempt in 15-minute windows shared by every instance through KV, and waits
 * before it goes on when it must. Attempts are counted per account and client together: past
 * SIGN_IN_ATTEMPTS_PER_15_MINUTES they are slowed, never refused, so someone guessing a
 * password elsewhere neither locks its owner out nor slows them down (the owner's device has a
 * count of its own), and the owner's own mistyping only costs them time. Each client is also
 * counted across accounts: past five times the limit it is refused (false) until the window ends,
 * however many addresses it tries. Both keys are hashes: neither an email address nor a client
 * address is kept.
 */
export async function throttleSignIn(email: string, req: Request): Promise<boolean> {
  const window = Math.floor(now().getTime() / 1000 / WINDOW_SECONDS);
  const limit = env().SIGN_IN_ATTEMPTS_PER_15_MINUTES;
  const client = await hashedClientAddress(req);
  const pair = createHash("sha256")
    .update(`${await appSecret()}:${email.trim().toLowerCase()}:${client}`)
    .digest("base64url");
  const [byPair, byClient] = await Promise.all([
    kv().incr(`signin:pair:${pair}:${window}`, WINDOW_SECONDS),
    kv().incr(`signin:client:${client}:${window}`, WINDOW_SECONDS),
  ]);
  if (byClient > limit * PER_CLIENT_FACTOR) return false;
  const delay = signInDelayMs(byPair, limit);
  if (delay > 0) await sleep(delay);
  return true;
}
