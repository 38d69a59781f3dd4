import { createECDH, hkdfSync } from "node:crypto";
import { Agent } from "node:https";
import { and, eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { pushSubscriptions, type PushSubscriptionRow } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { appSecret } from "@/lib/secret";
import { addressPolicy, hostAllowed, publicOnlyLookup, refusedHost } from "@/lib/webhooks/address";
import { mailFromAddress } from "./mail";
import { answeredWith, type Sent } from "./sent";

/**
 * Web push to staff devices (RFC 8030, payloads encrypted per RFC 8291, signed with VAPID per RFC
 * 8292) through the web-push library. The VAPID key pair is VAPID_PUBLIC_KEY/VAPID_PRIVATE_KEY, or
 * derived from the auth secret, so it is kept as that secret is and never changes under a device
 * that subscribed with it.
 */

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

let derived: Promise<VapidKeys> | undefined;
let publicOnly: Agent | undefined;

/**
 * How a push is posted: to public addresses only, judged on the addresses connected to (as a
 * webhook is), unless the operator allowed the push service's host.
 */
function agentFor(endpoint: string): Agent | undefined {
  const policy = addressPolicy();
  if (hostAllowed(new URL(endpoint).hostname, policy.allowedHosts)) return undefined;
  publicOnly ??= new Agent({ keepAlive: true, lookup: publicOnlyLookup(policy.resolve) });
  return publicOnly;
}

export function vapidKeys(): Promise<VapidKeys> {
  const settings = env();
  if (settings.VAPID_PUBLIC_KEY && settings.VAPID_PRIVATE_KEY) {
    return Promise.resolve({ publicKey: settings.VAPID_PUBLIC_KEY, privateKey: settings.VAPID_PRIVATE_KEY });
  }
  derived ??= appSecret().then((secret) => {
    const ecdh = createECDH("prime256v1");
    // A P-256 scalar from the secret; HKDF's output is below the group order but for a chance
    // of about 2^-32, which setPrivateKey would refuse loudly rather than sign with.
    ecdh.setPrivateKey(Buffer.from(hkdfSync("sha256", secret, "lead-portal", "vapid-p256", 32)));
    return {
      publicKey: ecdh.getPublicKey().toString("base64url"),
      privateKey: ecdh.getPrivateKey().toString("base64url"),
    };
  });
  return derived;
}

/** Who the push services may contact about this sender (VAPID's subject). */
function vapidSubject(origin: string): string {
  const address = mailFromAddress();
  if (address) return `mailto:${address}`;
  return origin.startsWith("https://") ? origin : "mailto:alerts@lead-portal.invalid";
}

/** What a device shows: a title, a line, and the page a tap opens. Never more personal data. */
export interface PushPayload {
  title: string;
  body: string;
  url: string;
  tag: string;
}

/** A push's answer; `gone` when the device's subscription no longer exists. */
export type PushSent = Sent & { gone?: boolean };

export async function sendPush(
  subscription: Pick<PushSubscriptionRow, "endpoint" | "p256dh" | "auth">,
  payload: PushPayload,
  origin: string,
): Promise<PushSent> {
  // A literal address is connected to without a lookup, so it is judged here, on every attempt (an
  // endpoint saved while its host was allowed may be no longer).
  if (refusedHost(new URL(subscription.endpoint), env().WEBHOOK_ALLOWED_HOSTS)) {
    return { ok: false, permanent: true, status: null, error: "The push service's address is not allowed" };
  }
  const { default: webpush } = await import("web-push");
  const keys = await vapidKeys();
  try {
    const answer = await webpush.sendNotification(
      { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
      JSON.stringify(payload),
      {
        vapidDetails: { subject: vapidSubject(origin), ...keys },
        // A lead alert is worth little a day later.
        TTL: 86_400,
        urgency: "high",
        timeout: 10_000,
        agent: agentFor(subscription.endpoint),
      },
    );
    return { ok: true, status: answer.statusCode };
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode ?? null;
    if (status === 404 || status === 410) {
      return {
        ok: false,
        permanent: true,
        gone: true,
        status,
        error: "The device turned alerts off (subscription gone)",
      };
    }
    if (status !== null) return answeredWith("The push service", status);
    return { ok: false, permanent: false, status: null, error: "The push service could not be reached" };
  }
}

export async function userSubscriptions(userId: string): Promise<PushSubscriptionRow[]> {
  const db = await getDb();
  return db.select().from(pushSubscriptions).where(eq(pushSubscriptions.userId, userId));
}

/** A device's subscription, kept for its user (a device that subscribes again replaces its own). */
export async function saveSubscription(
  user: { id: string; companyId: string },
  subscription: { endpoint: string; p256dh: string; auth: string; label: string | null },
): Promise<void> {
  const db = await getDb();
  await db
    .insert(pushSubscriptions)
    .values({ companyId: user.companyId, userId: user.id, ...subscription })
    .onConflictDoUpdate({
      target: pushSubscriptions.endpoint,
      set: { userId: user.id, companyId: user.companyId, ...subscription },
    });
}

export async function removeSubscription(userId: string, endpoint: string): Promise<boolean> {
  const db = await getDb();
  const gone = await db
    .delete(pushSubscriptions)
    .where(and(eq(pushSubscriptions.userId, userId), eq(pushSubscriptions.endpoint, endpoint)))
    .returning({ id: pushSubscriptions.id });
  return gone.length > 0;
}

/** A subscription the push service says is gone (404/410): nothing is sent to it again. */
export async function dropSubscription(endpoint: string): Promise<void> {
  const db = await getDb();
  await db.delete(pushSubscriptions).where(eq(pushSubscriptions.endpoint, endpoint));
}
