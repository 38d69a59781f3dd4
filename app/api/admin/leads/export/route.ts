import { withSession } from "@/lib/api/with-session";
import { now } from "@/lib/clock";
import { scopeOf } from "@/lib/leads/admin";
import { parseAdminListQuery } from "@/lib/leads/admin-query";
import { leadStore } from "@/lib/leads/store";

// Vercel gives routes of one configuration one function: this (the default limit, stated) puts
// the admin's API in a function of its own, beside the public one (README, "Deploy on Vercel").
export const maxDuration = 300;

/** Every lead of the current filter (page, page size and order ignored) as CSV, streamed. */
export const GET = withSession({}, async ({ req, user }) => {
  const query = await parseAdminListQuery(user, new URL(req.url).searchParams);
  const csv = (await leadStore(user.companyId)).export(scopeOf(user), query);
  const name = `leads-${now().toISOString().slice(0, 10)}.csv`;
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${name}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
});
