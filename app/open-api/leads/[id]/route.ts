import { withApiKey, methodNotAllowed } from "@/lib/api/handler";
import { jsonResponse } from "@/lib/api/respond";
import { getLead } from "@/lib/leads";

export const GET = withApiKey<{ id: string }>("leads:read", async ({ key, params }) => {
  return jsonResponse({ data: await getLead(key.companyId, params.id), status: "success" });
});

export const POST = methodNotAllowed(["GET"]);
export const PUT = POST;
export const PATCH = POST;
export const DELETE = POST;
