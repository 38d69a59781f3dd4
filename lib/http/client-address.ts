import { createHash } from "node:crypto";
import { env } from "@/lib/env";
import { appSecret } from "@/lib/secret";

/**
 * The client's address as the proxies in front of the app report it; only ever kept hashed. Each
 * proxy appends the address it was reached from to X-Forwarded-For, after whatever the client sent,
 * so with PROXY_HOPS proxies the client's address is that many entries from the end; entries before
 * it are the client's own claims. Vercel sets the header to the client's address alone (one hop).
 */
export function clientAddress(req: Request): string {
  const entries = req.headers.get("x-forwarded-for")?.split(",") ?? [];
  const forwarded = entries[Math.max(0, entries.length - env().PROXY_HOPS)]?.trim();
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
