import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { now } from "@/lib/clock";
import type { OutboxRow } from "@/lib/db/schema";
import type { ApiLead } from "@/lib/leads/schema";
import { toApiLead } from "@/lib/leads/serialize";
import { rowFromJson } from "@/lib/leads/upsert";

/**
 * What a delivery carries: `{"id", "type", "created_at", "data": lead}` where type is
 * lead.created, lead.updated, lead.merged (with `merged_id`) or lead.unmerged (with `survivor_id`),
 * signed in the header `X-Portal-Signature: t=UNIX_SECONDS,v1=HEX` where HEX is HMAC-SHA256 of
 * `UNIX_SECONDS.BODY` with the endpoint's secret.
 */
export const SIGNATURE_HEADER = "x-portal-signature";

export function signPayload(secret: string, timestamp: number, body: string): string {
  const mac = createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
  return `t=${timestamp},v1=${mac}`;
}

/** What a receiver does: checks the signature and that it is recent (five minutes by default). */
export function verifySignature(
  secret: string,
  header: string | null,
  body: string,
  options: { toleranceSeconds?: number; at?: number } = {},
): boolean {
  const parts = Object.fromEntries((header ?? "").split(",").map((p) => p.trim().split("=", 2)));
  const timestamp = Number(parts.t);
  if (!Number.isSafeInteger(timestamp) || typeof parts.v1 !== "string") return false;
  const at = options.at ?? Math.floor(now().getTime() / 1000);
  if (Math.abs(at - timestamp) > (options.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signPayload(secret, timestamp, body).split("v1=")[1]!, "hex");
  const given = Buffer.from(parts.v1, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The lead an outbox item carries: Rotor's, as it answered, or a local row as lead_upsert wrote it. */
export function payloadLead(payload: unknown): ApiLead {
  const value = payload as { api_lead?: ApiLead };
  return value.api_lead ?? toApiLead(rowFromJson(payload as Record<string, unknown>));
}

/**
 * What an event says beside the lead: `lead.merged` the id of the lead that joined it and is gone
 * (`merged_id`), `lead.unmerged` the lead it had joined (`survivor_id`); an event a form's
 * submission caused, its answers to the form's own questions (`answers`: [{key, label, value}]).
 */
function eventExtras(payload: unknown): Record<string, unknown> {
  const value = payload as { merged_id?: unknown; survivor_id?: unknown; answers?: unknown };
  const extras: Record<string, unknown> = {};
  if (typeof value.merged_id === "string") extras.merged_id = value.merged_id;
  if (typeof value.survivor_id === "string") extras.survivor_id = value.survivor_id;
  if (Array.isArray(value.answers)) extras.answers = value.answers;
  return extras;
}

/**
 * The event's id is derived from what it says, so a replay, which is a new delivery of the same
 * event, carries the same id and a receiver can tell it has seen it.
 */
export function webhookBody(item: Pick<OutboxRow, "event" | "createdAt" | "payload" | "sequence">): string {
  const digest = createHash("sha256")
    .update(`${item.sequence}\n${item.event}\n${JSON.stringify(item.payload)}`)
    .digest("hex");
  return JSON.stringify({
    id: `evt_${digest.slice(0, 24)}`,
    type: item.event,
    created_at: item.createdAt.toISOString(),
    data: payloadLead(item.payload),
    ...eventExtras(item.payload),
  });
}
