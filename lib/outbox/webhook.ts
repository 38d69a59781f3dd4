import { eq } from "drizzle-orm";
import { now } from "@/lib/clock";
import { getDb } from "@/lib/db/client";
import { type OutboxRow, webhookEndpoints } from "@/lib/db/schema";
import { companyProfile, portalOrigin } from "@/lib/company/profile";
import { recordAttempt } from "@/lib/webhooks/breaker";
import { chatBody } from "@/lib/webhooks/chat";
import { payloadLead } from "@/lib/webhooks/event";
import { postWebhook } from "@/lib/webhooks/send";
import type { DeliveryOutcome } from "./outcome";

/** Attempts at one webhook delivery before it is parked as failed. */
export const WEBHOOK_MAX_ATTEMPTS = 12;

/**
 * One attempt at a webhook delivery: posted to its endpoint (lib/webhooks/send.ts) unless an admin
 * turned that off, and counted by the endpoint's breaker (lib/webhooks/breaker.ts), whose pause the
 * next attempt waits for.
 */
export async function deliverWebhook(item: OutboxRow): Promise<DeliveryOutcome> {
  const db = await getDb();
  const [endpoint] = await db
    .select()
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.id, item.endpointId!));
  if (!endpoint?.active) return { result: "failed", status: null, error: "The endpoint is turned off" };
  let message: string | undefined;
  if (endpoint.format !== "json") {
    const profile = await companyProfile(item.companyId);
    message = chatBody(endpoint.format, payloadLead(item.payload), profile.name, portalOrigin(profile));
  }
  const sent = await postWebhook(endpoint, item, undefined, message);
  const pausedUntil = await recordAttempt(endpoint.id, sent.ok);
  if (sent.ok) return { result: "delivered", status: sent.status };
  if (item.attempts >= WEBHOOK_MAX_ATTEMPTS) {
    return {
      result: "failed",
      status: null,
      error: `${sent.error}; gave up after ${item.attempts} attempts`,
    };
  }
  return {
    result: "retry",
    status: null,
    error: sent.error,
    retryAfterMs: pausedUntil ? pausedUntil.getTime() - now().getTime() : undefined,
  };
}
