import { randomBytes } from "node:crypto";
import { and, count, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { fail } from "@/lib/errors";
import { getDb } from "@/lib/db/client";
import {
  WEBHOOK_FORMATS,
  webhookEndpoints,
  type WebhookEndpointRow,
  type WebhookFormat,
} from "@/lib/db/schema";
import { env } from "@/lib/env";
import { refusedHost } from "./address";
import { resumeEndpoint } from "./breaker";

/**
 * Webhooks: each company's endpoints receive every created or updated lead (lib/webhooks/event.ts),
 * posted to public addresses only (address.ts, send.ts). The events are queued in the outbox with
 * the write (lib/db/functions/fragments.ts, queue_lead_events) and delivered by its worker
 * (lib/outbox/webhook.ts), retried with backoff; an endpoint that keeps failing is paused
 * (breaker.ts).
 */
export { payloadLead, SIGNATURE_HEADER, signPayload, verifySignature, webhookBody } from "./event";
export { postWebhook } from "./send";

const SECRET_PREFIX = "whsec_";

/** An endpoint's URL: http(s), and not a literal address the server may not reach (address.ts). */
export const endpointInputSchema = z.object({
  url: z
    .string({ error: "Must be a URL" })
    .trim()
    .max(2000, { error: "Must be at most 2000 characters" })
    .refine((v) => /^https?:\/\/[^\s]+$/.test(v) && URL.canParse(v), {
      error: "Must be an http:// or https:// address",
    })
    .superRefine((v, ctx) => {
      if (!URL.canParse(v)) return;
      const refused = refusedHost(new URL(v), env().WEBHOOK_ALLOWED_HOSTS);
      if (refused) ctx.addIssue({ code: "custom", message: refused });
    }),
  /** The signed JSON event (json), or a readable message for a chat app's incoming webhook. */
  format: z.enum(WEBHOOK_FORMATS, { error: "Must be json, slack, discord or teams" }).default("json"),
});

export type EndpointView = Omit<WebhookEndpointRow, "secret" | "companyId"> & { secretHint: string };

const view = (row: WebhookEndpointRow): EndpointView => ({
  id: row.id,
  url: row.url,
  active: row.active,
  format: row.format,
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
  { url, format = "json" }: Omit<z.output<typeof endpointInputSchema>, "format"> & { format?: WebhookFormat },
): Promise<{ endpoint: EndpointView; secret: string }> {
  const secret = SECRET_PREFIX + randomBytes(24).toString("base64url");
  const limit = env().WEBHOOK_ENDPOINTS_PER_COMPANY;
  const db = await getDb();
  const row = await db.transaction(async (tx) => {
    // One addition per company at a time, so that two at once cannot both pass the count.
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtextextended(${`webhook endpoints ${companyId}`}, 0))`,
    );
    const [held] = await tx
      .select({ n: count() })
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.companyId, companyId));
    if (Number(held?.n ?? 0) >= limit) {
      throw fail.conflict(
        `A company may have at most ${limit} webhook endpoints: remove one before adding another`,
      );
    }
    const [added] = await tx.insert(webhookEndpoints).values({ companyId, url, secret, format }).returning();
    return added!;
  });
  return { endpoint: view(row), secret };
}

/** Turns an endpoint off or on (`active`), or resumes one its failures paused (`paused: false`). */
export const endpointUpdateSchema = z
  .object({
    active: z.boolean({ error: "Must be true or false" }).optional(),
    paused: z
      .literal(false, { error: "Must be false: an endpoint is paused by its failures, not by hand" })
      .optional(),
  })
  .refine((v) => v.active !== undefined || v.paused !== undefined, {
    error: "Give active, or paused: false",
    path: ["body"],
  });

export async function updateEndpoint(
  companyId: string,
  id: string,
  { active, paused }: z.output<typeof endpointUpdateSchema>,
): Promise<EndpointView> {
  if (!z.guid().safeParse(id).success) throw fail.notFound();
  const mine = and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.companyId, companyId));
  const db = await getDb();
  if (paused === false) await resumeEndpoint(companyId, id);
  const [row] =
    active === undefined
      ? await db.select().from(webhookEndpoints).where(mine)
      : await db.update(webhookEndpoints).set({ active }).where(mine).returning();
  if (!row) throw fail.notFound();
  return view(row);
}

/** Removes an endpoint and, with it, its deliveries. */
export async function deleteEndpoint(companyId: string, id: string): Promise<void> {
  if (!z.guid().safeParse(id).success) throw fail.notFound();
  const db = await getDb();
  const rows = await db
    .delete(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.companyId, companyId)))
    .returning({ id: webhookEndpoints.id });
  if (rows.length === 0) throw fail.notFound();
}
