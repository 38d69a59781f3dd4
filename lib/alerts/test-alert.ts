import type { SessionUser } from "@/lib/auth/users";
import { now } from "@/lib/clock";
import { companyProfile, portalOrigin } from "@/lib/company/profile";
import { fail } from "@/lib/errors";
import { type QueuedMessage, queueMessages } from "./fan-out";
import { mailTransport } from "./mail";
import { alertEmail, type AlertFacts, alertPush, alertSms } from "./message";
import { userSubscriptions } from "./push";
import { smsEnabled } from "./sms";
import { userPreferences } from "./staff";

/**
 * "Send me a test alert": the alert a lead would bring, to the user alone, on each channel they
 * turned on, through the outbox like a real one (so Deliveries shows what came of it).
 */
export async function sendTestAlert(user: SessionUser): Promise<string[]> {
  const [prefs, profile, devices] = await Promise.all([
    userPreferences(user.id),
    companyProfile(user.companyId),
    userSubscriptions(user.id),
  ]);
  const origin = portalOrigin(profile);
  const facts: AlertFacts = {
    leadId: "test",
    created: true,
    name: "Test Customer",
    service: "A test alert",
    message: "This is what an alert looks like. Nothing needs doing.",
    town: null,
    phone: profile.phone,
    form: null,
    leadUrl: `${origin}/admin/leads`,
    business: profile.name,
    color: profile.color,
  };
  const key = `test:${user.id}:${now().getTime()}`;
  const base = { userId: user.id, leadId: null };
  const messages: QueuedMessage[] = [];
  const sent: string[] = [];
  if (prefs.email && mailTransport()) {
    messages.push({
      kind: "email",
      key: `${key}:email`,
      payload: { purpose: "alert", message: alertEmail(facts, user.email) },
      ...base,
    });
    sent.push("by email");
  }
  if (prefs.sms && prefs.smsPhone && smsEnabled()) {
    messages.push({
      kind: "sms",
      key: `${key}:sms`,
      payload: { purpose: "alert", to: prefs.smsPhone, body: alertSms(facts) },
      ...base,
    });
    sent.push("by text");
  }
  if (prefs.push) {
    for (const device of devices) {
      messages.push({
        kind: "push",
        key: `${key}:push:${device.id}`,
        payload: {
          purpose: "alert",
          endpoint: device.endpoint,
          origin,
          notification: { ...alertPush(facts), tag: key },
        },
        ...base,
      });
    }
    if (devices.length > 0) sent.push(`to ${devices.length} device${devices.length === 1 ? "" : "s"}`);
  }
  if (messages.length === 0) {
    throw fail.conflict("Nothing to send: turn on email, a text number or push on a device first");
  }
  await queueMessages(user.companyId, messages);
  return sent;
}
