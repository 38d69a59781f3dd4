import { openApiDocument } from "@/lib/api/openapi";
import { jsonResponse } from "@/lib/api/respond";

export const dynamic = "force-static";

export async function GET(): Promise<Response> {
  return jsonResponse(openApiDocument(), 200, { "cache-control": "public, max-age=300" });
}
