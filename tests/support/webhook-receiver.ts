import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  answered: number | null;
}

/**
 * A business's receiver on a loopback address: records each delivery and answers it with the next
 * scripted status (then 204), or as `answer` says (which may leave it unanswered: a hang).
 */
export async function startReceiver(
  options: { host?: string; answer?: (res: ServerResponse, delivery: Received) => void } = {},
) {
  const host = options.host ?? "127.0.0.1";
  const received: Received[] = [];
  const statuses: number[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const delivery: Received = {
        path: req.url ?? "/",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        answered: null,
      };
      received.push(delivery);
      if (options.answer) return options.answer(res, delivery);
      delivery.answered = statuses.shift() ?? 204;
      res.writeHead(delivery.answered).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const base = `http://${host}:${(server.address() as AddressInfo).port}`;
  return {
    base,
    port: (server.address() as AddressInfo).port,
    url: `${base}/hooks/leads`,
    received,
    failNext: (...codes: number[]) => statuses.push(...codes),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
