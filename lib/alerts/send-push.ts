import { Agent } from "node:https";
import type { PushSubscriptionRow } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { addressPolicy, hostAllowed, publicOnlyLookup, refusedHost } from "@/lib/webhooks/address";
import { mailFromAddress } from "./mail";
import { type PushPayload, vapidKeys } from "./push";
import { answeredWith, type Sent } from "./sent";

/**
 * Sending one push (lib/alerts/push.ts keeps the keys and the devices): apart from them, so that
 * only the outbox's worker, which sends, carries the push library.
 */

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

/** Who the push services may contact about this sender (VAPID's subject). */
function vapidSubject(origin: string): string {
  const address = mailFromAddress();
  if (address) return `mailto:${address}`;
  return origin.startsWith("https://") ? origin : "mailto:alerts@lead-portal.invalid";
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
