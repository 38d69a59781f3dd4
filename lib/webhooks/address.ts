import type { LookupAddress } from "node:dns";
import { lookup as systemLookup } from "node:dns/promises";
import type { LookupFunction } from "node:net";
import { env } from "@/lib/env";
import { type Address, isPublicAddress, parseAddress } from "@/lib/http/ip";

/**
 * Where a webhook may go. An endpoint's address is set by an admin, so without these rules any
 * admin could make the server post to itself or to its private network (a database's HTTP port, a
 * cloud's metadata service at 169.254.169.254), and read from the delivery log what answered. Only
 * public addresses are reached, judged when the connection is made, on the addresses it is made to:
 * a name that resolves to a public address when the endpoint is added and to a private one later
 * (DNS rebinding) is refused then. The operator lets an internal receiver through by naming its host
 * in WEBHOOK_ALLOWED_HOSTS.
 */

/** All the addresses a host name resolves to. */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export interface AddressPolicy {
  /** Host names and literal addresses reached whatever they are (WEBHOOK_ALLOWED_HOSTS). */
  allowedHosts: readonly string[];
  resolve: Resolver;
}

const resolveWithSystem: Resolver = (hostname) => systemLookup(hostname, { all: true, verbatim: true });

/** The settings' policy; tests replace the resolver to stand for a DNS they cannot reach. */
export function addressPolicy(overrides: Partial<AddressPolicy> = {}): AddressPolicy {
  return { allowedHosts: env().WEBHOOK_ALLOWED_HOSTS, resolve: resolveWithSystem, ...overrides };
}

/** What a connection to a refused address fails with. */
export class AddressNotAllowedError extends Error {
  override name = "AddressNotAllowedError";
  constructor() {
    super("The address is not allowed");
  }
}

/** A URL's host as WEBHOOK_ALLOWED_HOSTS spells it: lower case, no brackets, no final dot. */
export function bareHost(hostname: string): string {
  return hostname
    .toLowerCase()
    .replace(/^\[(.*)\]$/, "$1")
    .replace(/\.$/, "");
}

const sameAddress = (a: Address, b: Address) =>
  a.family === b.family && a.bytes.every((byte, i) => byte === b.bytes[i]);

/**
 * Whether the operator allowed this host: by its name, or, for a literal address, by the same
 * address in any spelling (the URL parser writes ::ffff:127.0.0.1 as ::ffff:7f00:1).
 */
export function hostAllowed(hostname: string, allowedHosts: readonly string[]): boolean {
  const host = bareHost(hostname);
  const literal = parseAddress(host);
  return allowedHosts.some((entry) => {
    const name = entry.replace(/\.$/, "");
    if (name === host) return true;
    const address = literal && parseAddress(name);
    return address ? sameAddress(address, literal) : false;
  });
}

/** `localhost` and its subdomains are this machine whatever DNS says (RFC 6761). */
const isLocalhost = (host: string) => host === "localhost" || host.endsWith(".localhost");

/**
 * Why an endpoint's URL is refused when an admin adds it, or null: its host is a literal address
 * that is not public, or localhost, and the operator did not allow it. Other names are judged on
 * every connection, since what they resolve to may change.
 */
export function refusedHost(url: URL, allowedHosts: readonly string[]): string | null {
  if (hostAllowed(url.hostname, allowedHosts)) return null;
  const host = bareHost(url.hostname);
  const literal = parseAddress(host);
  if ((literal && !isPublicAddress(literal)) || isLocalhost(host)) {
    return "Must be a public address: loopback, private, link-local and similar addresses are refused (an internal receiver needs its host in WEBHOOK_ALLOWED_HOSTS)";
  }
  return null;
}

function isPublic(text: string): boolean {
  const address = parseAddress(text);
  return address !== null && isPublicAddress(address);
}

/**
 * A `lookup` for node:net that resolves the name and refuses the connection unless every address
 * it resolves to is public: the check and the connection use the same answer, so nothing can change
 * in between. (A literal address is not looked up: the caller judges it.)
 */
export function publicOnlyLookup(resolve: Resolver): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (found) => {
        const family = options.family === "IPv4" ? 4 : options.family === "IPv6" ? 6 : options.family;
        const usable = family === 4 || family === 6 ? found.filter((a) => a.family === family) : found;
        if (found.some((a) => !isPublic(a.address))) {
          callback(new AddressNotAllowedError(), "", 0);
        } else if (usable.length === 0) {
          callback(Object.assign(new Error(`No address for the host`), { code: "ENOTFOUND" }), "", 0);
        } else if (options.all) {
          callback(null, usable);
        } else {
          callback(null, usable[0]!.address, usable[0]!.family);
        }
      },
      (error: NodeJS.ErrnoException) => callback(error, "", 0),
    );
  };
}
