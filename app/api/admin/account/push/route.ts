import { z } from "zod";
import { withSession } from "@/lib/api/with-session";
import { jsonResponse } from "@/lib/api/respond";
import { pushEndpoint } from "@/lib/alerts/staff";
import { removeSubscription, saveSubscription } from "@/lib/alerts/push";
import { readJsonAs } from "@/lib/http/body";

// Vercel gives routes of one configuration one function: this (the default limit, stated) puts
// the admin's API in a function of its own, beside the public one (README, "Deploy on Vercel").
export const maxDuration = 300;

const key = z
  .string()
  .regex(/^[A-Za-z0-9_-]+={0,2}$/, "Must be base64url")
  .max(200);
const subscriptionSchema = z.object({
  endpoint: z
    .string()
    .max(2000)
    .transform((v, ctx) => pushEndpoint(v, ctx)),
  keys: z.object({ p256dh: key, auth: key }),
  label: z.string().trim().max(100).nullable().optional(),
});
const removalSchema = z.object({ endpoint: z.string().max(2000) });

/** Turns push alerts on for this device (the browser's subscription). */
export const POST = withSession({}, async ({ req, user }) => {
  const input = await readJsonAs(req, subscriptionSchema);
  await saveSubscription(user, {
    endpoint: input.endpoint,
    p256dh: input.keys.p256dh,
    auth: input.keys.auth,
    label: input.label ?? null,
  });
  return jsonResponse({ message: "Alerts are on for this device", status: "success" }, 201);
});

/** Turns them off for this device. */
export const DELETE = withSession({}, async ({ req, user }) => {
  const { endpoint } = await readJsonAs(req, removalSchema);
  const removed = await removeSubscription(user.id, endpoint);
  return jsonResponse({
    message: removed ? "Alerts are off for this device" : "This device had no alerts",
    status: "success",
  });
});
