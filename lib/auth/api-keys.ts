import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { apiKeys, companies } from "@/lib/db/schema";
import { now } from "@/lib/clock";
import { kv } from "@/lib/kv";
import type { Scope } from "./scopes";

const KEY_PREFIX = "lip_";
const KEY_SHAPE = /^lip_[A-Za-z0-9_-]{43}$/;
const SHOWN_PREFIX_LENGTH = 12;

export interface AuthenticatedKey {
  id: string;
  companyId: string;
  scopes: string[];
  dailyLimit: number;
}

/** The KV key counting a key's requests on the UTC day of `at` (lib/api/rate-limit.ts counts them). */
export function dailyCountKey(keyId: string, at: Date): string {
  return `ratelimit:apikey:${keyId}:${at.toISOString().slice(0, 10)}`;
}

/**
 * Keys carry 256 random bits, so a fast SHA-256 is enough to store them safely (a slow password
 * hash is for guessable secrets) and lets every request find its key with one indexed lookup.
 */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export async function createApiKey(options: {
  companyId: string;
  name: string;
  scopes: Scope[];
  dailyLimit: number;
}): Promise<{ id: string; key: string; prefix: string }> {
  const key = KEY_PREFIX + randomBytes(32).toString("base64url");
  const prefix = key.slice(0, SHOWN_PREFIX_LENGTH);
  const db = await getDb();
  const [row] = await db
    .insert(apiKeys)
    .values({
      companyId: options.companyId,
      name: options.name,
      prefix,
      keyHash: hashApiKey(key),
      scopes: options.scopes,
      dailyLimit: options.dailyLimit,
      createdAt: now(),
    })
    .returning({ id: apiKeys.id });
  return { id: row!.id, key, prefix };
}

/** The active key behind a presented secret, or null for a malformed, unknown or revoked one. */
export async function authenticateApiKey(presented: string): Promise<AuthenticatedKey | null> {
  if (!KEY_SHAPE.test(presented)) return null;
  const db = await getDb();
  const [row] = await db
    .select({
      id: apiKeys.id,
      companyId: apiKeys.companyId,
      scopes: apiKeys.scopes,
      dailyLimit: apiKeys.dailyLimit,
    })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, hashApiKey(presented)), isNull(apiKeys.revokedAt)))
    .limit(1);
  if (row) noteKeyUse(row.id);
  return row ?? null;
}

/**
 * Keys' last use, for the admin: written at most once a minute per key and process, and without
 * waiting for it, so that an API request costs no extra write.
 */
const LAST_USE_PRECISION_MS = 60_000;
const lastUseWritten = new Map<string, number>();

function noteKeyUse(id: string): void {
  const at = now();
  if (at.getTime() - (lastUseWritten.get(id) ?? 0) < LAST_USE_PRECISION_MS) return;
  if (lastUseWritten.size >= 10_000) lastUseWritten.clear();
  lastUseWritten.set(id, at.getTime());
  void getDb()
    .then((db) => db.update(apiKeys).set({ lastUsedAt: at }).where(eq(apiKeys.id, id)))
    // Bookkeeping only: a failed write leaves the previous time, and the next use tries again.
    .catch(() => lastUseWritten.delete(id));
}

/** A company's keys for the admin, with their last use and today's request count. */
export async function listCompanyKeys(companyId: string) {
  const db = await getDb();
  const rows = await db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      scopes: apiKeys.scopes,
      dailyLimit: apiKeys.dailyLimit,
      createdAt: apiKeys.createdAt,
      revokedAt: apiKeys.revokedAt,
      lastUsedAt: apiKeys.lastUsedAt,
    })
    .from(apiKeys)
    .where(eq(apiKeys.companyId, companyId))
    .orderBy(desc(apiKeys.createdAt));
  const counts = rows.length > 0 ? await kv().mget(rows.map((r) => dailyCountKey(r.id, now()))) : [];
  return rows.map((row, i) => ({ ...row, requestsToday: Number(counts[i] ?? 0) }));
}

export async function listApiKeys() {
  const db = await getDb();
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      scopes: apiKeys.scopes,
      dailyLimit: apiKeys.dailyLimit,
      company: companies.slug,
      createdAt: apiKeys.createdAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .innerJoin(companies, eq(companies.id, apiKeys.companyId))
    .orderBy(desc(apiKeys.createdAt));
}

/** Revokes a key (of the given company only, when one is given); false when no active key has that id. */
export async function revokeApiKey(id: string, companyId?: string): Promise<boolean> {
  if (!z.guid().safeParse(id).success) return false;
  const db = await getDb();
  const rows = await db
    .update(apiKeys)
    .set({ revokedAt: now() })
    .where(
      and(
        eq(apiKeys.id, id),
        isNull(apiKeys.revokedAt),
        companyId ? eq(apiKeys.companyId, companyId) : undefined,
      ),
    )
    .returning({ id: apiKeys.id });
  return rows.length > 0;
}
