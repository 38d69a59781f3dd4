import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { clientAddressUnder, stampPeer } from "@/lib/http/client-address";
import { isPublicAddress, parseAddress } from "@/lib/http/ip";

/** A request as the server hands it to a route: from `peer`, with the headers the client sent. */
function request(peer: string | undefined, headers: Record<string, string> = {}): Request {
  const all: Record<string, string> = { ...headers };
  if (peer !== undefined) stampPeer(all, peer);
  return new Request("http://127.0.0.1/api/intake/quote", { headers: all });
}

const settings = (values: Record<string, string> = {}) => parseEnv(values);

describe("the client's address", () => {
  it("is the connection's when no proxy is trusted, whatever X-Forwarded-For claims", () => {
    for (const forged of ["198.51.100.1", "198.51.100.1, 198.51.100.2", "not an address"]) {
      expect(clientAddressUnder(request("203.0.113.7", { "x-forwarded-for": forged }), settings())).toBe(
        "203.0.113.7",
      );
    }
    expect(clientAddressUnder(request("::ffff:203.0.113.7"), settings())).toBe("203.0.113.7");
  });

  it("is unknown when the server did not stamp the connection, and a stamp sent by a client is not believed", () => {
    expect(clientAddressUnder(request(undefined, { "x-forwarded-for": "198.51.100.1" }), settings())).toBe(
      "unknown",
    );
    const forged = request(undefined, { "x-portal-peer": "0123456789abcdef 198.51.100.1" });
    expect(clientAddressUnder(forged, settings())).toBe("unknown");
  });

  it("with a count of trusted proxies, is that many hops back, and never further than the header goes", () => {
    const two = settings({ TRUSTED_PROXIES: "2" });
    const via = (xff: string) => request("10.0.0.2", { "x-forwarded-for": xff });
    expect(clientAddressUnder(via("198.51.100.9, 203.0.113.7, 10.0.0.1"), two)).toBe("203.0.113.7");
    expect(clientAddressUnder(via("10.0.0.1"), two)).toBe("10.0.0.1");
    expect(clientAddressUnder(request("10.0.0.2"), two)).toBe("10.0.0.2");
    // An entry that is not an address ends the walk at the last hop that was one.
    expect(clientAddressUnder(via("203.0.113.7, garbage"), two)).toBe("10.0.0.2");
  });

  it("with trusted ranges, walks back past every trusted proxy and stops at the first other address", () => {
    const ranges = settings({ TRUSTED_PROXIES: "10.0.0.0/8, 2001:db8::/32" });
    const via = (peer: string, xff: string) => request(peer, { "x-forwarded-for": xff });
    expect(clientAddressUnder(via("10.0.0.2", "198.51.100.9, 203.0.113.7, 10.1.1.1"), ranges)).toBe(
      "203.0.113.7",
    );
    expect(clientAddressUnder(via("2001:db8::1", "203.0.113.7"), ranges)).toBe("203.0.113.7");
    // A connection from outside the ranges is the client, whatever it claims.
    expect(clientAddressUnder(via("203.0.113.50", "198.51.100.9"), ranges)).toBe("203.0.113.50");
  });

  it("on Vercel, is the platform's own header", () => {
    const vercel = { ...settings(), VERCEL: "1" };
    const req = request("10.0.0.2", {
      "x-vercel-forwarded-for": "203.0.113.7",
      "x-forwarded-for": "198.51.100.1",
    });
    expect(clientAddressUnder(req, vercel)).toBe("203.0.113.7");
    expect(clientAddressUnder(request("10.0.0.2", { "x-real-ip": "2001:db8::7" }), vercel)).toBe(
      "2001:db8:0:0:0:0:0:7",
    );
    expect(clientAddressUnder(request("10.0.0.2", { "x-vercel-forwarded-for": "nonsense" }), vercel)).toBe(
      "unknown",
    );
  });
});

describe("addresses", () => {
  it("reads IPv4, IPv6, IPv4-mapped IPv6 and bracketed forms, and nothing else", () => {
    expect(parseAddress("[::ffff:127.0.0.1]")).toEqual({ family: 4, bytes: Uint8Array.from([127, 0, 0, 1]) });
    expect(parseAddress("::ffff:7f00:1")).toEqual({ family: 4, bytes: Uint8Array.from([127, 0, 0, 1]) });
    expect(parseAddress("fe80::1%eth0")?.family).toBe(6);
    for (const bad of ["", "localhost", "1.2.3", "1.2.3.4.5", "999.1.1.1", "::g"])
      expect(parseAddress(bad)).toBeNull();
  });

  it("tells public addresses from loopback, private, link-local, CGNAT, unique-local and multicast ones", () => {
    const judge = (text: string) => isPublicAddress(parseAddress(text)!);
    for (const inside of [
      "127.0.0.1",
      "0.0.0.0",
      "10.1.2.3",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.1.1",
      "169.254.169.254",
      "100.100.100.200",
      "224.0.0.1",
      "255.255.255.255",
      "::1",
      "::",
      "::ffff:127.0.0.1",
      "::ffff:10.0.0.1",
      "fd00::1",
      "fc00::1",
      "fe80::1",
      "ff02::1",
      "64:ff9b::7f00:1",
      "2002:7f00:1::",
    ]) {
      expect(judge(inside), inside).toBe(false);
    }
    for (const outside of ["8.8.8.8", "172.32.0.1", "100.128.0.1", "203.0.113.7", "2606:4700::1111"]) {
      expect(judge(outside), outside).toBe(true);
    }
  });
});
