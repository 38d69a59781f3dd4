import { GET } from "@/app/open-api/openapi.json/route";

/** The document exactly as `GET /open-api/openapi.json` serves it. */
export async function servedDocument(): Promise<string> {
  const response = await GET();
  if (!response.ok) throw new Error(`GET /open-api/openapi.json answered ${response.status}`);
  return response.text();
}
