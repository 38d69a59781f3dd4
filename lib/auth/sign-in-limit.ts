import { createHash } from "node:crypto";
import { now } from "@/lib/clock";
import { env } from "@/lib/env";
import { hashedClientAddress } from "@/lib/http/client-address";
import { kv } from "@/lib/kv";
import { appSecret } from "@/lib/secret";

const WINDOW_SECONDS = 15 * 60;
/** A client may try several addresses (a shared office), but not endlessly. */
const PER_CLIENT_FACTOR = 5;

/**
 * Counts a sign-in attempt, per email address and per client, in 15-minute windows shared by every
 * instance through KV. False once either is over its limit. Both keys are hashes: neither an email
 * address nor a client address is kept.
 */
export async function signInAllowed(email: string, req: Request): Promise<boolean> {
  const window = Math.floor(now().getTime() / 1000 / WINDOW_SECONDS);
  const limit = env().SIGN_IN_ATTEMPTS_PER_15_MINUTES;
  const account = createHash("sha256")
    .update(`${await appSecret()}:${email.trim().toLowerCase()}`)
    .digest("base64url");
  const [byAccount, byClient] = await Promise.all([
    kv().incr(`signin:email:${account}:${window}`, WINDOW_SECONDS),
    kv().incr(`signin:client:${await hashedClientAddress(req)}:${window}`, WINDOW_SECONDS),
  ]);
  return byAccount <= limit && byClient <= limit * PER_CLIENT_FACTOR;
}
