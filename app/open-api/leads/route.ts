import { withApiKey, otherMethods } from "@/lib/api/handler";
import { readJsonObject } from "@/lib/api/body";
import { jsonResponse } from "@/lib/api/respond";
import { leadListJson, parseListQuery, upsertFromBody } from "@/lib/leads";

export const POST = withApiKey("leads:write", async ({ req, key }) => {
  const { body, created } = await upsertFromBody(key.companyId, await readJsonObject(req));
  return jsonResponse(body, created ? 201 : 200);
});

export const GET = withApiKey("leads:read", async ({ req, key }) => {
  const query = parseListQuery(new URL(req.url).searchParams);
  const { body, hit } = await leadListJson({ companyId: key.companyId }, query);
  return jsonResponse(body, 200, { "x-cache": hit ? "HIT" : "MISS" });
});

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET", "POST"]);
