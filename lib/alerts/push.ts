import { createECDH, hkdfSync } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { pushSubscriptions, type PushSubscriptionRow } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { appSecret } from "@/lib/secret";

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

/** What a device shows: a title, a line, and the page a tap opens. Never more personal data. */
export interface PushPayload {
  title: string;
  body: string;
  url: string;
  tag: string;
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
