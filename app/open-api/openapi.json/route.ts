import { otherMethods } from "@/lib/api/with-api-key";
import { openApiDocument } from "@/lib/api/openapi";
import { jsonResponse } from "@/lib/api/respond";

export async function GET(): Promise<Response> {
  return jsonResponse(openApiDocument(), 200, { "cache-control": "public, max-age=300" });
}

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET"]);
