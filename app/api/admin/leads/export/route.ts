import { withSession } from "@/lib/api/admin-handler";
import { fail } from "@/lib/errors";
import { isUpstream } from "@/lib/rotor/upstream";
import { now } from "@/lib/clock";
import { parseListQuery } from "@/lib/leads";
import { scopeOf } from "@/lib/leads/admin";
import { exportCsv } from "@/lib/leads/export";

/** Every lead of the current filter (page and page size ignored) as CSV, streamed. */
export const GET = withSession({}, async ({ req, user }) => {
  const query = parseListQuery(new URL(req.url).searchParams);
  if (await isUpstream(user.companyId)) throw fail.notUpstream("Exporting");
  const name = `leads-${now().toISOString().slice(0, 10)}.csv`;
  return new Response(exportCsv(scopeOf(user), query), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${name}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
});
