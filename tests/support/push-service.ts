import {
  createDecipheriv,
  createECDH,
  createPublicKey,
  hkdfSync,
  randomBytes,
  randomUUID,
  verify,
} from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { Agent, createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { loopbackCertificate } from "./loopback-tls";

/** One request the push service received, as it came. */
export interface PushRequest {
  path: string;
  /** Node's lower-cased names. */
  headers: IncomingHttpHeaders;
  body: Buffer;
  at: Date;
}

/** A browser's push subscription, as PushSubscription.toJSON() gives it, with the browser's side of the decryption. */
export interface TestSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
  /** The message's text, from an "aes128gcm" body (RFC 8291); throws if the body does not decrypt. */
  decrypt(body: Buffer): string;
}

/** A push service stand-in (RFC 8030) on a loopback HTTPS origin. */
export interface PushService {
  /** https://127.0.0.1:PORT */
  origin: string;
  /** The PEM certificate the service presents: a client trusts it as its `ca` (or through NODE_EXTRA_CA_CERTS). */
  ca: string;
  /** An agent trusting `ca`, for web-push's `agent` option in this process. */
  agent: Agent;
  received: PushRequest[];
  /**
   * From now on, requests to a path (or to an endpoint's path, given the endpoint) answer with
   * `status`; "*" sets it for every path without one of its own. 201 until told.
   */
  answer(pathOrAll: string, status: number): void;
  subscription(): TestSubscription;
  close(): Promise<void>;
}

function hkdf(ikm: Buffer, salt: Buffer, info: Buffer | string, length: number): Buffer {
  return Buffer.from(hkdfSync("sha256", ikm, salt, info, length));
}

function newSubscription(origin: string): TestSubscription {
  const ecdh = createECDH("prime256v1");
  const uaPublic = ecdh.generateKeys();
  const auth = randomBytes(16);
  return {
    endpoint: `${origin}/push/${randomUUID()}`,
    keys: { p256dh: uaPublic.toString("base64url"), auth: auth.toString("base64url") },
    decrypt(body) {
      // RFC 8188 header: salt (16) | rs (uint32) | idlen (1) | keyid, the sender's public key here.
      if (body.length < 21) throw new Error(`Push body of ${body.length} bytes is shorter than its header`);
      const salt = body.subarray(0, 16);
      const rs = body.readUInt32BE(16);
      const idlen = body.readUInt8(20);
      const asPublic = body.subarray(21, 21 + idlen);
      const ciphertext = body.subarray(21 + idlen);
      if (idlen !== 65) throw new Error(`keyid is ${idlen} bytes, not an uncompressed P-256 key`);
      // RFC 8291 §4: a push message is a single record.
      if (ciphertext.length > rs)
        throw new Error(`${ciphertext.length} bytes of records exceed one record (${rs})`);
      const keyInfo = Buffer.concat([Buffer.from("WebPush: info\0"), uaPublic, asPublic]);
      const ikm = hkdf(ecdh.computeSecret(asPublic), auth, keyInfo, 32);
      const cek = hkdf(ikm, salt, "Content-Encoding: aes128gcm\0", 16);
      const nonce = hkdf(ikm, salt, "Content-Encoding: nonce\0", 12);
      const decipher = createDecipheriv("aes-128-gcm", cek, nonce);
      decipher.setAuthTag(ciphertext.subarray(-16));
      const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, -16)), decipher.final()]);
      // The last (only) record ends with the delimiter 2, then any zero padding.
      let end = padded.length - 1;
      while (end >= 0 && padded[end] === 0) end--;
      if (padded[end] !== 2) throw new Error("The record does not end with the last-record delimiter (2)");
      return padded.subarray(0, end).toString("utf8");
    },
  };
}

/**
 * Starts a push service stand-in. HTTPS, as web-push reaches every endpoint with https.request
 * whatever its scheme: with its own certificate for 127.0.0.1, which clients must be told to trust.
 */
export async function startPushService(): Promise<PushService> {
  const { key, cert } = loopbackCertificate();
  const received: PushRequest[] = [];
  const statuses = new Map<string, number>();
  const server = createServer({ key, cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = req.url ?? "/";
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks), at: new Date() });
      const status = statuses.get(path) ?? statuses.get("*") ?? 201;
      // RFC 8030 §5: a created message is a resource of its own.
      const headers = status === 201 ? { location: `/message/${randomUUID()}` } : {};
      res.writeHead(status, headers).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const agent = new Agent({ ca: cert });
  return {
    origin,
    ca: cert,
    agent,
    received,
    answer: (pathOrAll, status) => {
      statuses.set(pathOrAll.startsWith("https://") ? new URL(pathOrAll).pathname : pathOrAll, status);
    },
    subscription: () => newSubscription(origin),
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function base64urlJson(part: string, what: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // Said below, with the part's name.
  }
  throw new Error(`VAPID JWT ${what} is not a base64url JSON object`);
}

/**
 * Checks a push request's VAPID authorization (RFC 8292) for its endpoint: `vapid t=<JWT>, k=<key>`,
 * the JWT signed with ES256 by k, for the endpoint's origin, expiring within the next 24 hours,
 * naming a contact. Returns the contact and the key; throws saying what is wrong.
 */
export function verifyVapid(
  headers: IncomingHttpHeaders,
  endpoint: string,
): { subject: string; publicKey: string } {
  const authorization = headers.authorization;
  const scheme = /^vapid\s+(.*)$/i.exec(authorization ?? "");
  if (!scheme) throw new Error(`Authorization is not "vapid t=…, k=…": ${authorization ?? "(none)"}`);
  const params = new Map(
    scheme[1]!.split(",").map((param) => {
      const at = param.indexOf("=");
      return [param.slice(0, at).trim().toLowerCase(), param.slice(at + 1).trim()];
    }),
  );
  const token = params.get("t");
  const k = params.get("k");
  if (!token || !k) throw new Error(`VAPID authorization lacks t= or k=: ${authorization}`);

  const point = Buffer.from(k, "base64url");
  if (point.length !== 65 || point[0] !== 4) {
    throw new Error("VAPID k is not an uncompressed P-256 public key (65 bytes from 0x04)");
  }
  const publicKey = createPublicKey({
    key: {
      kty: "EC",
      crv: "P-256",
      x: point.subarray(1, 33).toString("base64url"),
      y: point.subarray(33).toString("base64url"),
    },
    format: "jwk",
  });

  const parts = token.split(".");
  if (parts.length !== 3) throw new Error("VAPID t is not a JWT of three parts");
  const [encodedHeader, encodedClaims, encodedSignature] = parts as [string, string, string];
  const header = base64urlJson(encodedHeader, "header");
  if (header.alg !== "ES256") throw new Error(`VAPID JWT alg is ${String(header.alg)}, not ES256`);
  const signed = verify(
    "sha256",
    Buffer.from(`${encodedHeader}.${encodedClaims}`),
    { key: publicKey, dsaEncoding: "ieee-p1363" },
    Buffer.from(encodedSignature, "base64url"),
  );
  if (!signed) throw new Error("VAPID JWT signature does not verify against k");

  const claims = base64urlJson(encodedClaims, "claims");
  const audience = new URL(endpoint).origin;
  if (claims.aud !== audience) throw new Error(`VAPID aud is ${String(claims.aud)}, not ${audience}`);
  const nowSeconds = Date.now() / 1000;
  if (typeof claims.exp !== "number" || claims.exp <= nowSeconds) {
    throw new Error(`VAPID exp ${String(claims.exp)} is not in the future`);
  }
  if (claims.exp > nowSeconds + 24 * 3600) throw new Error(`VAPID exp ${claims.exp} is more than 24 h ahead`);
  if (typeof claims.sub !== "string" || claims.sub === "")
    throw new Error("VAPID JWT names no sub (contact)");
  return { subject: claims.sub, publicKey: k };
}
