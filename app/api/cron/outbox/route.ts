import { createHash, timingSafeEqual } from "node:crypto";
import { jsonResponse } from "@/lib/api/respond";
import { scheduleDigests } from "@/lib/alerts/digest";
import { env } from "@/lib/env";
import { purgeOldSpam } from "@/lib/forms/review";
import { drainOutbox } from "@/lib/outbox/worker";

export const maxDuration = 60;

const digest = (text: string) => createHash("sha256").update(text).digest();

/** Whether the request carries `Authorization: Bearer CRON_SECRET`, as Vercel Cron sends it. */
function authorised(req: Request): boolean {
  const secret = env().CRON_SECRET;
  const given = req.headers.get("authorization");
  if (!secret || !given) return false;
  return timingSafeEqual(digest(given), digest(`Bearer ${secret}`));
}

/**
 * Vercel Cron (vercel.json) delivers what the outbox holds (Rotor submissions, webhooks, alerts),
 * queues each user's next morning digest, and purges spam past its retention.
 */
export async function GET(req: Request): Promise<Response> {
  if (!authorised(req)) {
    return jsonResponse(
      { status: "error", message: "Unauthorized", error_code: "AUTHENTICATION_REQUIRED" },
      401,
    );
  }
  const report = await drainOutbox({ budgetMs: 30_000, prune: true });
  const purgedSpam = await purgeOldSpam();
  const digests = await scheduleDigests();
  return jsonResponse({ status: "success", ...report, digests_queued: digests, purged_spam: purgedSpam });
}
