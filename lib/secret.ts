import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { appSecrets } from "@/lib/db/schema";
import { env } from "@/lib/env";

let cached: Promise<string> | undefined;

/**
 * The secret that signs form tokens: AUTH_SECRET, or one generated on first use and kept in the
 * database, so that every instance sharing it signs and checks alike and restarts keep it.
 */
export function appSecret(): Promise<string> {
  cached ??= load().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

async function load(): Promise<string> {
  const configured = env().AUTH_SECRET;
  if (configured) return configured;
  const db = await getDb();
  await db
    .insert(appSecrets)
    .values({ name: "signing", value: randomBytes(32).toString("base64url") })
    .onConflictDoNothing();
  const [row] = await db.select().from(appSecrets).where(eq(appSecrets.name, "signing"));
  return row!.value;
}
