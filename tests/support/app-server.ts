/**
 * One app process for tests that need several: a plain Node HTTP server in front of the app's own
 * route handlers (the ones Next.js serves), configured by the environment it is started with.
 * Prints "listening PORT" once ready.
 */
import { createServer } from "node:http";
import { Readable } from "node:stream";
import { NextRequest } from "next/server";
import * as adminFormsRoute from "@/app/api/admin/forms/route";
import * as adminLeadsRoute from "@/app/api/admin/leads/route";
import * as authRoute from "@/app/api/auth/[...nextauth]/route";
import * as formPageRoute from "@/app/(public)/f/[slug]/route";
import * as intakeRoute from "@/app/api/intake/[slug]/route";
import * as authTestRoute from "@/app/open-api/auth/test/route";
import * as leadRoute from "@/app/open-api/leads/[id]/route";
import * as leadsRoute from "@/app/open-api/leads/route";
import { stampPeer } from "@/lib/http/client-address";

type RouteHandler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

// Each app path as a pattern whose named groups are the route's params.
const ROUTES: [RegExp, Record<string, unknown>][] = [
  [/^\/open-api\/leads$/, leadsRoute],
  [/^\/open-api\/leads\/(?<id>[^/]+)$/, leadRoute],
  [/^\/open-api\/auth\/test$/, authTestRoute],
  [/^\/api\/intake\/(?<slug>[^/]+)$/, intakeRoute],
  [/^\/f\/(?<slug>[^/]+)$/, formPageRoute],
  [/^\/api\/auth\/.+$/, authRoute],
  [/^\/api\/admin\/leads$/, adminLeadsRoute],
  [/^\/api\/admin\/forms$/, adminFormsRoute],
];

function route(method: string, pathname: string): [RouteHandler, Record<string, string>] | null {
  for (const [pattern, mod] of ROUTES) {
    const match = pattern.exec(pathname);
    const handler = mod[method] as RouteHandler | undefined;
    if (match && handler) {
      const params = Object.fromEntries(
        Object.entries(match.groups ?? {}).map(([name, value]) => [name, decodeURIComponent(value)]),
      );
      return [handler, params];
    }
  }
  return null;
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const found = route(req.method ?? "GET", url.pathname);
  if (!found) {
    res
      .writeHead(404, { "content-type": "application/json" })
      .end('{"status":"error","message":"Not found"}');
    return;
  }
  // As the app's own server does (lib/http/stamp-peers.ts).
  stampPeer(req.headers, req.socket.remoteAddress);
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  // NextRequest, as Next.js passes: next-auth's handlers read its nextUrl.
  const request = new NextRequest(url, {
    method: req.method,
    headers: req.headers as Record<string, string>,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream) : undefined,
    duplex: "half",
  } as ConstructorParameters<typeof NextRequest>[1]);
  const response = await found[0](request, { params: Promise.resolve(found[1]) });
  const headers: Record<string, string | string[]> = Object.fromEntries(response.headers);
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  res.writeHead(response.status, headers);
  res.end(Buffer.from(await response.arrayBuffer()));
});

server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  if (address && typeof address === "object") console.log(`listening ${address.port}`);
});
