import { composeDigest } from "@/lib/alerts/digest";
import { fanOutAlert } from "@/lib/alerts/fan-out";
import type { MailMessage } from "@/lib/alerts/mail";
import { dropSubscription, type PushPayload, userSubscriptions } from "@/lib/alerts/push";
import { sendMail } from "@/lib/alerts/send-mail";
import { sendPush } from "@/lib/alerts/send-push";
import type { Sent } from "@/lib/alerts/sent";
import { sendSms } from "@/lib/alerts/sms";
import { now } from "@/lib/clock";
import type { OutboxRow } from "@/lib/db/schema";
import { leaseFrom } from "./leases";
import type { DeliveryOutcome } from "./outcome";

/**
 * The outbox's deliveries for alerts (lib/alerts): an alert becomes its messages, and each email,
 * text, push and digest is sent, retried while the other side says "later" and given up when it
 * says "never" or after MESSAGE_MAX_ATTEMPTS.
 */

const MESSAGE_MAX_ATTEMPTS = 8;

function outcomeOf(item: OutboxRow, sent: Sent): DeliveryOutcome {
  if (sent.ok) return { result: "delivered", status: sent.status };
  if (sent.permanent) return { result: "failed", status: sent.status, error: sent.error };
  if (item.attempts >= MESSAGE_MAX_ATTEMPTS) {
    return {
      result: "failed",
      status: sent.status,
      error: `${sent.error}; gave up after ${item.attempts} attempts`,
    };
  }
  return { result: "retry", status: sent.status, error: sent.error };
}

/**
 * An alert becomes its messages, queued held for this worker, which sends them at once (`then`):
 * no claim stands between a lead and its alert.
 */
export async function deliverAlert(item: OutboxRow): Promise<DeliveryOutcome> {
  return { result: "delivered", status: null, then: await fanOutAlert(item, leaseFrom(now())) };
}

export async function deliverEmail(item: OutboxRow): Promise<DeliveryOutcome> {
  const { message } = item.payload as { message: MailMessage };
  return outcomeOf(item, await sendMail(message, item.dedupeKey ?? `outbox-${item.id}`));
}

export async function deliverSms(item: OutboxRow): Promise<DeliveryOutcome> {
  const { to, body } = item.payload as { to: string; body: string };
  return outcomeOf(item, await sendSms(to, body));
}

export async function deliverPush(item: OutboxRow): Promise<DeliveryOutcome> {
  const { endpoint, origin, notification } = item.payload as {
    endpoint: string;
    origin: string;
    notification: PushPayload;
  };
  const device = (await userSubscriptions(item.userId!)).find((d) => d.endpoint === endpoint);
  if (!device) return { result: "failed", status: null, error: "The device turned alerts off" };
  const sent = await sendPush(device, notification, origin);
  if (!sent.ok && sent.gone) await dropSubscription(endpoint);
  return outcomeOf(item, sent);
}

export async function deliverDigest(item: OutboxRow): Promise<DeliveryOutcome> {
  const digest = await composeDigest(item);
  if (!digest.sent) return { result: "delivered", status: null };
  return outcomeOf(item, await sendMail(digest.message, item.dedupeKey ?? `outbox-${item.id}`));
}
