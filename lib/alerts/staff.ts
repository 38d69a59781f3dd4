import { eq } from "drizzle-orm";
import type { z } from "zod";
import type { SessionUser } from "@/lib/auth/users";
import { getDb } from "@/lib/db/client";
import { pushSubscriptions, type Role, users } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { refusedHost } from "@/lib/webhooks/address";
import { type AlertPreferences, parsePreferences, type preferencesInput } from "./preferences";

/**
 * Staff as alerts see them: each one's choices and push devices; and a staff member's own alert
 * settings, as their account page shows and saves them.
 */

export interface AlertStaff {
  id: string;
  role: Role;
  email: string;
  prefs: AlertPreferences;
  devices: { id: string; endpoint: string }[];
}

/** The company's staff as an alert needs them: read for each alert, so none added is missed. */
export async function alertStaff(companyId: string): Promise<AlertStaff[]> {
  const db = await getDb();
  const [people, devices] = await Promise.all([
    db
      .select({ id: users.id, role: users.role, email: users.email, alerts: users.alerts })
      .from(users)
      .where(eq(users.companyId, companyId)),
    db
      .select({
        id: pushSubscriptions.id,
        userId: pushSubscriptions.userId,
        endpoint: pushSubscriptions.endpoint,
      })
      .from(pushSubscriptions)
      .where(eq(pushSubscriptions.companyId, companyId)),
  ]);
  return people.map((p) => ({
    id: p.id,
    role: p.role,
    email: p.email,
    prefs: parsePreferences(p.alerts),
    devices: devices.filter((d) => d.userId === p.id).map(({ id, endpoint }) => ({ id, endpoint })),
  }));
}

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
