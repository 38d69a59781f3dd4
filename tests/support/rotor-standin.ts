import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import * as leadRoute from "@/app/open-api/leads/[id]/route";
import * as leadsRoute from "@/app/open-api/leads/route";

/**
 * What the stand-in does with one request: answer as Rotor would (through this project's own
 * handlers of the same contract), fail with a status, ask to wait, answer slowly, never answer, or
 * drop the connection.
 */
export type Fault =
  | { kind: "ok" }
  | { kind: "status"; status: number; body?: unknown }
  | { kind: "retry-after"; seconds: number }
  | { kind: "slow"; ms: number }
  | { kind: "hang" }
  | { kind: "drop" }
  | { kind: "junk" };

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** Hands a request to a real app process's /open-api (its own database: a separate Rotor). */
async function forward(
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  base: string,
): Promise<number> {
  const headers: Record<string, string> = {};
  for (const name of ["x-api-key", "rotor-api-version", "content-type", "accept"]) {
    const value = req.headers[name];
    if (typeof value === "string") headers[name] = value;
  }
  const response = await fetch(base + (req.url ?? "/"), {
    method: req.method,
    headers,
    body: req.method === "GET" ? undefined : body.toString("utf8"),
  });
  const answerBody = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, { "content-type": "application/json" });
  res.end(answerBody);
  return response.status;
}

async function answer(
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  forwardTo?: string,
): Promise<number> {
  if (forwardTo) return forward(req, res, body, forwardTo);
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const one = /^\/leads\/([^/]+)$/.exec(url.pathname);
  const mod = (one ? leadRoute : url.pathname === "/leads" ? leadsRoute : null) as Record<
    string,
    unknown
  > | null;
  const handler = mod?.[req.method ?? "GET"] as Handler | undefined;
  if (!handler) {
    res
      .writeHead(404, { "content-type": "application/json" })
      .end('{"status":"error","message":"Not found"}');
    return 404;
  }
  const response = await handler(
    new Request(`http://127.0.0.1/open-api${url.pathname}${url.search}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: req.method === "GET" ? undefined : body.toString("utf8"),
    }),
    { params: Promise.resolve<Record<string, string>>(one ? { id: decodeURIComponent(one[1]!) } : {}) },
  );
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
  return response.status;
}

export interface StandInRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
  fault: Fault["kind"];
  /** The status the stand-in answered with, once it did (none for a hang or a drop). */
  status?: number;
}

/**
 * A Rotor stand-in that meets each request with the next scripted fault, then answers normally:
 * through this process's own route handlers, or, with `forwardTo` (an app process's /open-api base),
 * through a separate app with its own database, as a real Rotor account would be.
 */
export async function startRotorStandIn(options: { forwardTo?: string } = {}): Promise<{
  url: string;
  /** Requests received, including failed ones: what a quota would count. */
  requests: StandInRequest[];
  script(...faults: Fault[]): void;
  /** Drops the faults not yet used. */
  clearScript(): void;
  close(): Promise<void>;
}> {
  const queue: Fault[] = [];
  const requests: StandInRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const fault = queue.shift() ?? { kind: "ok" };
      const body = Buffer.concat(chunks);
      const record: StandInRequest = {
        method: req.method ?? "GET",
        path: req.url ?? "/",
        headers: req.headers,
        body: body.toString("utf8"),
        fault: fault.kind,
      };
      requests.push(record);
      const respond = () =>
        answer(req, res, body, options.forwardTo).then(
          (status) => {
            record.status = status;
          },
          () => res.destroy(),
        );
      switch (fault.kind) {
        case "ok":
          void respond();
          return;
        case "status":
          record.status = fault.status;
          res
            .writeHead(fault.status, { "content-type": "application/json" })
            .end(JSON.stringify(fault.body ?? { status: "error", message: `Injected ${fault.status}` }));
          return;
        case "retry-after":
          record.status = 429;
          res
            .writeHead(429, { "content-type": "application/json", "retry-after": String(fault.seconds) })
            .end('{"status":"error","message":"Rate limited","error_code":"RATE_LIMIT_EXCEEDED"}');
          return;
        case "slow":
          setTimeout(() => void respond(), fault.ms);
          return;
        case "hang":
          return;
        case "drop":
          req.socket.destroy();
          return;
        case "junk":
          res.writeHead(200, { "content-type": "application/json" }).end('{"unexpected":true}');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script: (...faults) => queue.push(...faults),
    clearScript: () => queue.splice(0),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
