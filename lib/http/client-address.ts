import { createHash } from "node:crypto";
import { appSecret } from "@/lib/secret";

/** The client's address as the platform's proxy reports it; only ever kept hashed. */
export function clientAddress(req: Request): string {
  const forwarded = req.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || req.headers.get("x-real-ip") || "unknown";
}

/**
 * The client's address, hashed with the app's secret: enough to count requests per address, and
 * never an address itself in KV or in logs.
 */
export async function hashedClientAddress(req: Request): Promise<string> {
  return createHash("sha256")
    .update(`${await appSecret()}:${clientAddress(req)}`)
    .digest("base64url");
}
