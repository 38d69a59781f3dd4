import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A stand-in for Vercel Blob's API, as its SDK (@vercel/blob) calls it: PUT /?pathname= stores a
 * body (a random suffix added, as asked), GET of the URL it gave answers the bytes to the bearer of
 * the token only, and POST /delete removes URLs. It keeps what it was asked, to check.
 */
export async function startBlobStandIn(token: string) {
  const blobs = new Map<string, { bytes: Buffer; contentType: string; access: string }>();
  const deleted: string[] = [];
  const read = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", base);
    if (req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(403, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: "forbidden", message: "Access denied" } }));
      return;
    }
    if (req.method === "PUT" && url.pathname === "/") {
      const pathname = url.searchParams.get("pathname") ?? "";
      const suffix = req.headers["x-add-random-suffix"] === "1" ? `-${randomBytes(8).toString("hex")}` : "";
      const stored = pathname.replace(/(\.[^./]*)?$/, (ext) => `${suffix}${ext}`);
      const blobUrl = `${base}/store/${stored}`;
      blobs.set(blobUrl, {
        bytes: await read(req),
        contentType: String(req.headers["x-content-type"] ?? "application/octet-stream"),
        access: String(req.headers["x-vercel-blob-access"] ?? ""),
      });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ url: blobUrl, downloadUrl: `${blobUrl}?download=1`, pathname: stored }));
      return;
    }
    if (req.method === "POST" && url.pathname === "/delete") {
      const { urls } = JSON.parse((await read(req)).toString()) as { urls: string[] };
      for (const gone of urls) {
        blobs.delete(gone);
        deleted.push(gone);
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
      return;
    }
    const blob = req.method === "GET" ? blobs.get(`${base}${url.pathname}`) : undefined;
    if (!blob) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": blob.contentType }).end(blob.bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    blobs,
    deleted,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
