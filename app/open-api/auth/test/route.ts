import { withApiKey, otherMethods } from "@/lib/api/with-api-key";
import { API_VERSION, jsonResponse } from "@/lib/api/respond";
import { now } from "@/lib/clock";

export const GET = withApiKey(null, async ({ key }) =>
  jsonResponse({
    status: "success",
    message: "Authentication successful",
    authenticated: true,
    company_id: key.companyId,
    user_id: null,
    auth_method: "api_key",
    rotor_api_version: API_VERSION,
    scopes: key.scopes,
    timestamp: now().toISOString(),
  }),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET"]);
