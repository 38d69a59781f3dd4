import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { and, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { errors } from "@/lib/api/errors";
import { parseOrThrow } from "@/lib/api/body";
import { getDb } from "@/lib/db/client";
import { type OutboxRow, webhookEndpoints, type WebhookEndpointRow } from "@/lib/db/schema";
import { now } from "@/lib/clock";
import type { ApiLead } from "@/lib/leads/schema";
import { toApiLead } from "@/lib/leads/serialize";
import { rowFromJson } from "@/lib/leads/upsert";
import { kickOutbox } from "@/lib/outbox/kick";
import { endpointsChanged } from "./active";

/**
 * Webhooks: each company's endpoints receive every created or updated lead as
 * `{"id", "type": "lead.created"|"lead.updated", "created_at", "data": lead}`, signed in the header
 * `X-Portal-Signature: t=UNIX_SECONDS,v1=HEX` where HEX is HMAC-SHA256 of `UNIX_SECONDS.BODY` with
 * the endpoint's secret. Deliveries wait in the outbox (lib/outbox) and are retried with backoff.
 */
export const SIGNATURE_HEADER = "x-portal-signature";
const SECRET_PREFIX = "whsec_";
export const WEBHOOK_MAX_ATTEMPTS = 12;

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
  const at = options.at ?? Math.floor(Date.now() / 1000);
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
  });
}

/**
 * Queues an event for each active endpoint of the company (upstream mode: the lead is Rotor's; with
 * the local database lead_upsert does this in the write's own transaction).
 */
export async function queueLeadEvent(companyId: string, lead: ApiLead, created: boolean): Promise<void> {
  const db = await getDb();
  const { rows } = (await db.execute(sql`
    insert into outbox (company_id, kind, sequence, endpoint_id, event, payload, lead_id)
    select ${companyId}::uuid, 'webhook', e.id::text || ':' || ${lead.id}, e.id,
      ${created ? "lead.created" : "lead.updated"}, ${JSON.stringify({ api_lead: lead })}::jsonb, ${lead.id}
    from webhook_endpoints e where e.company_id = ${companyId}::uuid and e.active
    returning id`)) as unknown as { rows: unknown[] };
  if (rows.length > 0) kickOutbox();
}

/** Posts one delivery; any answer but a 2xx (or no answer within 10 s) is a failure to retry. */
export async function postWebhook(
  endpoint: Pick<WebhookEndpointRow, "url" | "secret">,
  item: Pick<OutboxRow, "id" | "event" | "createdAt" | "payload" | "sequence">,
): Promise<{ ok: boolean; status: number | null; error?: string }> {
  const body = webhookBody(item);
  const timestamp = Math.floor(now().getTime() / 1000);
  try {
    const response = await fetch(endpoint.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "lead-intake-portal-webhooks",
        "x-portal-event": item.event ?? "",
        "x-portal-delivery": String(item.id),
        [SIGNATURE_HEADER]: signPayload(endpoint.secret, timestamp, body),
      },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(10_000),
    });
    await response.arrayBuffer().catch(() => undefined);
    if (response.ok) return { ok: true, status: response.status };
    return { ok: false, status: response.status, error: `The endpoint answered ${response.status}` };
  } catch (error) {
    const timedOut = error instanceof Error && error.name === "TimeoutError";
    return {
      ok: false,
      status: null,
      error: timedOut ? "No answer within 10 s" : "The endpoint could not be reached",
    };
  }
}

export const endpointInputSchema = z.object({
  url: z
    .string({ error: "Must be a URL" })
    .trim()
    .max(2000, { error: "Must be at most 2000 characters" })
    .refine((v) => /^https?:\/\/[^\s]+$/.test(v) && URL.canParse(v), {
      error: "Must be an http:// or https:// address",
    }),
});

export type EndpointView = Omit<WebhookEndpointRow, "secret" | "companyId"> & { secretHint: string };

const view = (row: WebhookEndpointRow): EndpointView => ({
  id: row.id,
  url: row.url,
  active: row.active,
  failureStreak: row.failureStreak,
  pausedUntil: row.pausedUntil,
  createdAt: row.createdAt,
  secretHint: `${row.secret.slice(0, SECRET_PREFIX.length + 4)}…`,
});

export async function listEndpoints(companyId: string): Promise<EndpointView[]> {
  const db = await getDb();
  const rows = await db
    .select()
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.companyId, companyId))
    .orderBy(desc(webhookEndpoints.createdAt));
  return rows.map(view);
}

/** A new endpoint; its signing secret is in the answer, the one time it is shown. */
export async function createEndpoint(
  companyId: string,
  body: unknown,
): Promise<{ endpoint: EndpointView; secret: string }> {
  const { url } = parseOrThrow(endpointInputSchema, body);
  const secret = SECRET_PREFIX + randomBytes(24).toString("base64url");
  const db = await getDb();
  const [row] = await db.insert(webhookEndpoints).values({ companyId, url, secret }).returning();
  endpointsChanged(companyId);
  return { endpoint: view(row!), secret };
}

export const endpointUpdateSchema = z.object({ active: z.boolean({ error: "Must be true or false" }) });

export async function updateEndpoint(companyId: string, id: string, body: unknown): Promise<EndpointView> {
  const { active } = parseOrThrow(endpointUpdateSchema, body);
  if (!z.guid().safeParse(id).success) throw errors.notFound();
  const db = await getDb();
  const [row] = await db
    .update(webhookEndpoints)
    .set({ active })
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.companyId, companyId)))
    .returning();
  if (!row) throw errors.notFound();
  endpointsChanged(companyId);
  return view(row);
}

/** Removes an endpoint and, with it, its deliveries. */
export async function deleteEndpoint(companyId: string, id: string): Promise<void> {
  if (!z.guid().safeParse(id).success) throw errors.notFound();
  const db = await getDb();
  const rows = await db
    .delete(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.companyId, companyId)))
    .returning({ id: webhookEndpoints.id });
  if (rows.length === 0) throw errors.notFound();
  endpointsChanged(companyId);
}
