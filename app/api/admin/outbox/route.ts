import { withSession } from "@/lib/api/with-session";
import { queryObject } from "@/lib/http/body";
import { parseOrThrow } from "@/lib/validation";
import { jsonResponse } from "@/lib/api/respond";
import { listOutbox, outboxCounts, outboxQuerySchema } from "@/lib/outbox/log";

// Vercel gives routes of one configuration one function: this (the default limit, stated) puts
// the admin's API in a function of its own, beside the public one (README, "Deploy on Vercel").
export const maxDuration = 300;

/** The delivery log (Rotor submissions and webhooks), newest first, 50 a page; ?status=&kind=&page=. */
export const GET = withSession({ adminOnly: true }, async ({ req, user }) => {
  const params = new URL(req.url).searchParams;
  const query = parseOrThrow(outboxQuerySchema, queryObject(params, ["status", "kind", "page"]));
  const [{ entries, hasMore }, counts] = await Promise.all([
    listOutbox(user.companyId, query),
    outboxCounts(user.companyId),
  ]);
  return jsonResponse({ data: entries, has_more: hasMore, page: query.page, counts, status: "success" });
});
