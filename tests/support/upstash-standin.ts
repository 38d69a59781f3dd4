import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createClient, ErrorReply, MultiErrorReply } from "redis";

/**
 * A local stand-in for the Upstash REST API, so the @vercel/kv adapter can be tested against a real Redis
 * without the network. It speaks the part of the protocol @upstash/redis uses: `POST /` with one command,
 * `POST /pipeline` and `POST /multi-exec` with a list of commands, bearer-token auth and the
 * `Upstash-Encoding: base64` response encoding.
 */
export async function startUpstashStandin(
  redisUrl: string,
  token: string,
): Promise<{ url: string; close(): Promise<void> }> {
  const redis = createClient({ url: redisUrl });
  await redis.connect();

  async function run(command: string[]): Promise<unknown> {
    return redis.sendCommand(command);
  }

  async function pipeline(commands: string[][]): Promise<Outcome[]> {
    const settled = await Promise.allSettled(commands.map(run));
    return settled.map((s) =>
      s.status === "fulfilled" ? { result: s.value } : { error: messageOf(s.reason) },
    );
  }

  async function multiExec(commands: string[][]): Promise<Outcome[]> {
    const transaction = redis.multi();
    for (const command of commands) transaction.addCommand(command);
    try {
      const replies: unknown[] = await transaction.exec();
      return replies.map((result) => ({ result }));
    } catch (error) {
      // A command that fails inside EXEC does not abort the others; Upstash reports it in its own slot.
      if (!(error instanceof MultiErrorReply)) throw error;
      return error.replies.map((r: unknown) =>
        r instanceof ErrorReply ? { error: r.message } : { result: r },
      );
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.headers.authorization !== `Bearer ${token}`) {
      return reply(res, 401, { error: "Unauthorized" });
    }
    if (req.method !== "POST") return reply(res, 405, { error: "Method not allowed" });
    const base64 = req.headers["upstash-encoding"] === "base64";
    const encode = (value: unknown) => (base64 ? toBase64(value) : value);

    let body: unknown;
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      return reply(res, 400, { error: "ERR body is not valid JSON" });
    }

    const path = new URL(req.url ?? "/", "http://standin").pathname;
    try {
      if (path === "/") {
        const command = asCommand(body);
        if (!command) return reply(res, 400, { error: "ERR expected a command array" });
        return reply(res, 200, { result: encode(await run(command)) });
      }
      if (path === "/pipeline" || path === "/multi-exec") {
        const commands = Array.isArray(body) ? body.map(asCommand) : [];
        if (commands.length === 0 || !commands.every((c) => c !== undefined)) {
          return reply(res, 400, { error: "ERR expected an array of command arrays" });
        }
        const outcomes = await (path === "/pipeline" ? pipeline(commands) : multiExec(commands));
        return reply(
          res,
          200,
          outcomes.map((o) => ("error" in o ? o : { result: encode(o.result) })),
        );
      }
      return reply(res, 404, { error: "Not found" });
    } catch (error) {
      return reply(res, 400, { error: messageOf(error) });
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => reply(res, 500, { error: messageOf(error) }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // The client keeps connections alive; close() alone would wait for them to time out.
        server.closeAllConnections();
      });
      await redis.close();
    },
  };
}

type Outcome = { result: unknown } | { error: string };

/** Upstash sends arguments as JSON strings, numbers or booleans; Redis wants strings. */
function asCommand(value: unknown): string[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  return value.map((arg: unknown) => (typeof arg === "string" ? arg : JSON.stringify(arg)));
}

/** Like Upstash, encodes every string, however deeply nested, and leaves numbers and nulls alone. */
function toBase64(value: unknown): unknown {
  if (typeof value === "string") return Buffer.from(value, "utf8").toString("base64");
  if (Array.isArray(value)) return value.map(toBase64);
  return value;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}
