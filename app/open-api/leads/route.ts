import { withApiKey, otherMethods } from "@/lib/api/with-api-key";
import { readJsonAs } from "@/lib/http/body";
import { jsonResponse } from "@/lib/api/respond";
import { leadListJson, listsVersionKey, parseListQuery, upsertForApi } from "@/lib/leads";
import { leadInputSchema } from "@/lib/leads/schema";

export const POST = withApiKey("leads:write", async ({ req, key }) => {
  const { body, created } = await upsertForApi(key.companyId, await readJsonAs(req, leadInputSchema), {
    canRead: key.scopes.includes("leads:read"),
    keyId: key.id,
  });
  return jsonResponse(body, created ? 201 : 200);
});

export const GET = withApiKey(
  "leads:read",
  async ({ req, key, read: [listsVersion] }) => {
    const query = parseListQuery(new URL(req.url).searchParams);
    const { body, hit } = await leadListJson({ companyId: key.companyId }, query, { listsVersion });
    return jsonResponse(body, 200, { "x-cache": hit ? "HIT" : "MISS" });
  },
  // The company's lists version comes with the daily count: a list this instance holds a copy of
  // is then served without another call to KV.
  { alsoRead: (key) => [listsVersionKey(key.companyId)] },
);

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET", "POST"]);
