import { withApiKey, otherMethods } from "@/lib/api/with-api-key";
import { jsonResponse } from "@/lib/api/respond";
import { getLeadBody } from "@/lib/leads";

export const GET = withApiKey<{ id: string }>("leads:read", async ({ key, params }) => {
  return jsonResponse(await getLeadBody(key.companyId, params.id));
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET"]);
