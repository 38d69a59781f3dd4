import { eq } from "drizzle-orm";
import type { z } from "zod";
import type { SessionUser } from "@/lib/auth/users";
import { getDb } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { refusedHost } from "@/lib/webhooks/address";
import { type AlertPreferences, parsePreferences, type preferencesInput } from "./preferences";

/** A staff member's own alert settings, as their account page shows and saves them. */

export async function userPreferences(userId: string): Promise<AlertPreferences> {
  const db = await getDb();
  const [row] = await db.select({ alerts: users.alerts }).from(users).where(eq(users.id, userId));
  return parsePreferences(row?.alerts);
}

export async function savePreferences(
  user: SessionUser,
  prefs: z.output<typeof preferencesInput>,
): Promise<AlertPreferences> {
  const db = await getDb();
  await db.update(users).set({ alerts: prefs }).where(eq(users.id, user.id));
  return parsePreferences(prefs);
}

/**
 * A push subscription's endpoint as a browser gives it: an https address of a push service. The
 * server posts to it, so an address on this machine or its network is refused as a webhook's is,
 * unless the operator allowed its host (WEBHOOK_ALLOWED_HOSTS).
 */
export function pushEndpoint(value: string, ctx: z.RefinementCtx): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: "custom", message: "Must be the push service's https:// address" });
    return value;
  }
  const refused = url.protocol === "https:" ? refusedHost(url, env().WEBHOOK_ALLOWED_HOSTS) : "Must be https";
  if (refused) ctx.addIssue({ code: "custom", message: refused });
  return url.href;
}
