import { withSession } from "@/lib/api/admin-handler";
import { jsonResponse } from "@/lib/api/respond";
import { leadListJson, parseListQuery } from "@/lib/leads";
import { scopeOf } from "@/lib/leads/admin";

/** The admin's list: the API's envelope, cached per company, member and query; ?refresh=1 skips the cache. */
export const GET = withSession({}, async ({ req, user }) => {
  const params = new URL(req.url).searchParams;
  const { body, hit } = await leadListJson(scopeOf(user), parseListQuery(params), {
    refresh: params.get("refresh") === "1",
  });
  return jsonResponse(body, 200, { "x-cache": hit ? "HIT" : "MISS" });
});
