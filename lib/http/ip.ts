import { isIPv4, isIPv6 } from "node:net";

/**
 * IP addresses as bytes, for the two places that must judge one: which proxies to believe about a
 * client's address (lib/http/client-address.ts) and which addresses a webhook may reach
 * (lib/webhooks/address.ts). An IPv4-mapped IPv6 address (::ffff:127.0.0.1) is its IPv4 address.
 */
export interface Address {
  family: 4 | 6;
  bytes: Uint8Array;
}

export interface Range {
  address: Address;
  prefix: number;
}

function v4Bytes(text: string): Uint8Array {
  return Uint8Array.from(text.split(".").map(Number));
}

function v6Bytes(text: string): Uint8Array {
  // A dotted IPv4 tail stands for the last two groups.
  let source = text;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(source);
  if (dotted) {
    const b = v4Bytes(dotted[1]!);
    source = `${source.slice(0, dotted.index)}${((b[0]! << 8) | b[1]!).toString(16)}:${((b[2]! << 8) | b[3]!).toString(16)}`;
  }
  const [head = "", tail] = source.split("::");
  const groups = (part: string) => (part === "" ? [] : part.split(":").map((g) => parseInt(g, 16)));
  const before = groups(head);
  const after = tail === undefined ? [] : groups(tail);
  const all = [...before, ...Array<number>(8 - before.length - after.length).fill(0), ...after];
  const bytes = new Uint8Array(16);
  all.forEach((g, i) => {
    bytes[i * 2] = g >> 8;
    bytes[i * 2 + 1] = g & 0xff;
  });
  return bytes;
}

/** The address a text names (brackets and an IPv6 zone allowed), or null when it is not one. */
export function parseAddress(text: string): Address | null {
  const bare = text
    .trim()
    .replace(/^\[(.*)\]$/, "$1")
    .replace(/%.*$/, "");
  if (isIPv4(bare)) return { family: 4, bytes: v4Bytes(bare) };
  if (!isIPv6(bare)) return null;
  const bytes = v6Bytes(bare);
  const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  return mapped ? { family: 4, bytes: bytes.slice(12) } : { family: 6, bytes };
}

/** `ADDRESS/PREFIX` or a lone address (a range of one), or null. */
export function parseRange(text: string): Range | null {
  const [base = "", prefixText, extra] = text.trim().split("/");
  if (extra !== undefined) return null;
  const address = parseAddress(base);
  if (!address) return null;
  const bits = address.bytes.length * 8;
  if (prefixText === undefined) return { address, prefix: bits };
  if (!/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = Number(prefixText);
  return prefix <= bits ? { address, prefix } : null;
}

export function inRange(address: Address, range: Range): boolean {
  if (address.family !== range.address.family) return false;
  let left = range.prefix;
  for (let i = 0; left > 0; i++, left -= 8) {
    const mask = left >= 8 ? 0xff : (0xff << (8 - left)) & 0xff;
    if ((address.bytes[i]! & mask) !== (range.address.bytes[i]! & mask)) return false;
  }
  return true;
}

/** The text form of an address (IPv4 dotted, IPv6 in full hex groups). */
export function formatAddress(address: Address): string {
  if (address.family === 4) return address.bytes.join(".");
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2)
    groups.push(((address.bytes[i]! << 8) | address.bytes[i + 1]!).toString(16));
  return groups.join(":");
}

export type TrustedProxies = { hops: number } | { ranges: Range[] };

/** TRUSTED_PROXIES: a count of hops, or addresses and CIDR ranges separated by commas; null if neither. */
export function parseTrustedProxies(text: string): TrustedProxies | null {
  if (/^\d+$/.test(text.trim())) {
    const hops = Number(text.trim());
    return hops > 0 ? { hops } : null;
  }
  const ranges = text.split(",").map(parseRange);
  return ranges.length > 0 && ranges.every((r) => r !== null) ? { ranges: ranges as Range[] } : null;
}

/** Addresses no webhook may reach: this machine, private networks, link-local, CGNAT, multicast... */
const NON_PUBLIC = [
  "0.0.0.0/8",
  "10.0.0.0/8",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.0.0.0/24",
  "192.168.0.0/16",
  "198.18.0.0/15",
  "224.0.0.0/4",
  "240.0.0.0/4",
  "::/128",
  "::1/128",
  "64:ff9b::/96",
  "64:ff9b:1::/48",
  "100::/64",
  "2002::/16",
  "fc00::/7",
  "fe80::/10",
  "fec0::/10",
  "ff00::/8",
].map((r) => parseRange(r)!);

/**
 * Whether an address is on the public internet. NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an
 * IPv4 address inside, so they are refused whole rather than judged by what they carry.
 */
export function isPublicAddress(address: Address): boolean {
  return !NON_PUBLIC.some((range) => inRange(address, range));
}
