import { withSession } from "@/lib/api/with-session";
import { jsonResponse } from "@/lib/api/respond";
import { leadListJson, parseListQuery } from "@/lib/leads";
import { readJsonAs } from "@/lib/http/body";
import { leadCreateSchema, scopeOf } from "@/lib/leads/admin";
import { leadStore } from "@/lib/leads/store";
import { checkNewLead } from "@/lib/leads/staff-rules";

/** The admin's list: the API's envelope, cached per company, member and query; ?refresh=1 skips the cache. */
export const GET = withSession({}, async ({ req, user }) => {
  const params = new URL(req.url).searchParams;
  const { body, hit } = await leadListJson(scopeOf(user), parseListQuery(params), {
    refresh: params.get("refresh") === "1",
  });
  return jsonResponse(body, 200, { "x-cache": hit ? "HIT" : "MISS" });
});

/** A lead typed in by staff; 201 when new, 200 when it matched (and updated) an existing lead. */
export const POST = withSession({}, async ({ req, user }) => {
  const input = await readJsonAs(req, leadCreateSchema);
  await checkNewLead(user.companyId, input);
  const { created, lead } = await (await leadStore(user.companyId)).create(user, input);
  return jsonResponse(
    {
      data: lead,
      created,
      message: created ? "Lead created" : "This person was already a lead; the details were added to it",
      status: "success",
    },
    created ? 201 : 200,
  );
});
