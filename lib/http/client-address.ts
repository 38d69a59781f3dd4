import { createHash, randomBytes } from "node:crypto";
import { type Env, env } from "@/lib/env";
import { appSecret } from "@/lib/secret";
import { type Address, formatAddress, inRange, parseAddress, type TrustedProxies } from "./ip";

/**
 * The address of the connection a request came in on. A route handler only sees headers, so the
 * server stamps the socket's address on each request (instrumentation.ts) under a header that
 * carries this process's own token: a client sending the header itself cannot know the token, and
 * a request the stamp missed (one arriving before start-up finished) has no peer rather than a forged one.
 */
const PEER_HEADER = "x-portal-peer";
const TOKEN = Symbol.for("lead-intake-portal.peer-token");

function peerToken(): string {
  const holder = globalThis as { [TOKEN]?: string };
  holder[TOKEN] ??= randomBytes(16).toString("hex");
  return holder[TOKEN];
}

/** Records the connection's address on an incoming request's headers, replacing any sent. */
export function stampPeer(
  headers: Record<string, string | string[] | undefined>,
  address: string | undefined,
) {
  headers[PEER_HEADER] = `${peerToken()} ${address ?? ""}`;
}

function peerAddress(req: Request): Address | null {
  const [token, address] = (req.headers.get(PEER_HEADER) ?? "").split(" ");
  return token === peerToken() && address ? parseAddress(address) : null;
}

/**
 * Walks X-Forwarded-For from the nearest hop outwards, past the proxies the operator trusts: each
 * trusted proxy appends the address it was reached from, so the first entry not sent by a trusted
 * proxy is the client. Entries before it are the client's own claims, and an entry that is not an
 * address ends the walk at the last one that was.
 */
function throughProxies(peer: Address, forwarded: string | null, trusted: TrustedProxies): Address {
  const entries = (forwarded ?? "").split(",").filter((e) => e.trim() !== "");
  let current = peer;
  for (let hop = 0; ; hop++) {
    const believed = "hops" in trusted ? hop < trusted.hops : trusted.ranges.some((r) => inRange(current, r));
    const next = believed ? entries.pop() : undefined;
    const parsed = next === undefined ? null : parseAddress(next);
    if (!parsed) return current;
    current = parsed;
  }
}

/**
 * The client's address: the connection's, unless TRUSTED_PROXIES names the proxies in front; on
 * Vercel the platform's own header, which it sets and a client cannot. "unknown" when none can be
 * told (all such requests then share their limits). Only ever kept hashed.
 */
export function clientAddress(req: Request): string {
  return clientAddressUnder(req, env());
}

/** clientAddress under the given settings. */
export function clientAddressUnder(req: Request, settings: Pick<Env, "VERCEL" | "TRUSTED_PROXIES">): string {
  if (settings.VERCEL) {
    const platform = parseAddress(
      req.headers.get("x-vercel-forwarded-for")?.split(",")[0] ?? req.headers.get("x-real-ip") ?? "",
    );
    return platform ? formatAddress(platform) : "unknown";
  }
  const peer = peerAddress(req);
  if (!peer) return "unknown";
  const client = settings.TRUSTED_PROXIES
    ? throughProxies(peer, req.headers.get("x-forwarded-for"), settings.TRUSTED_PROXIES)
    : peer;
  return formatAddress(client);
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
