import { X509Certificate, generateKeyPairSync, randomBytes, sign } from "node:crypto";

// The DER of the three object identifiers a loopback certificate names.
const ECDSA_WITH_SHA256 = Buffer.from("06082a8648ce3d040302", "hex"); // 1.2.840.10045.4.3.2
const COMMON_NAME = Buffer.from("0603550403", "hex"); // 2.5.4.3
const SUBJECT_ALT_NAME = Buffer.from("0603551d11", "hex"); // 2.5.29.17

function der(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  const n = body.length;
  // A certificate is far below 64 KiB: at most two length bytes.
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return Buffer.concat([Buffer.from([tag, ...length]), body]);
}

const sequence = (...items: Buffer[]) => der(0x30, ...items);

function utcTime(date: Date): Buffer {
  // YYMMDDHHMMSSZ, from 2026-01-27T12:34:56.789Z
  return der(0x17, Buffer.from(`${date.toISOString().replace(/[-:T]/g, "").slice(2, 14)}Z`));
}

/**
 * A fresh key and a certificate for 127.0.0.1 signed by that key, valid for a day, in PEM: what a
 * test's HTTPS stand-in serves, and what its clients trust as their only `ca`. Built here with
 * node:crypto rather than the openssl command, which slim CI images lack.
 */
export function loopbackCertificate(): { key: string; cert: string } {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const serial = randomBytes(8);
  // Positive and minimally encoded, as DER wants an INTEGER.
  serial[0] = (serial[0]! & 0x3f) | 0x40;
  const name = sequence(der(0x31, sequence(COMMON_NAME, der(0x0c, Buffer.from("127.0.0.1")))));
  const now = Date.now();
  const tbs = sequence(
    der(0xa0, der(0x02, Buffer.from([2]))), // X.509 v3, for the extension
    der(0x02, serial),
    sequence(ECDSA_WITH_SHA256),
    name,
    sequence(utcTime(new Date(now - 3_600_000)), utcTime(new Date(now + 86_400_000))),
    name,
    publicKey.export({ type: "spki", format: "der" }),
    // TLS clients match an IP address only against the subjectAltName's iPAddress entries.
    der(
      0xa3,
      sequence(sequence(SUBJECT_ALT_NAME, der(0x04, sequence(der(0x87, Buffer.from([127, 0, 0, 1])))))),
    ),
  );
  const signature = sign("sha256", tbs, privateKey);
  const cert = sequence(tbs, sequence(ECDSA_WITH_SHA256), der(0x03, Buffer.from([0]), signature));
  return {
    key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    cert: new X509Certificate(cert).toString(),
  };
}
