import net from "node:net";
import tls from "node:tls";

/**
 * A small Redis client speaking RESP2: one pipelined connection, commands as string arguments,
 * replies as strings, integers, nulls and arrays. The KV port needs six commands; a full client
 * library costs a cold start about 150 ms of loading (measured by `npm run bench:cold`), this one
 * almost nothing.
 */
export type Reply = string | number | null | Reply[];

/** An error Redis answered to one command (the connection is fine). */
export class RedisReplyError extends Error {
  override name = "RedisReplyError";
}

export interface RespOptions {
  /** Giving up on a connection attempt after this long. */
  connectTimeoutMs: number;
  /** Commands waiting for an answer, at most; past that each call fails at once. */
  maxWaiting: number;
  /** Told once when the connection fails or drops, and not again until it has been ready. */
  onConnectionError(message: string): void;
}

export interface RespClient {
  command(args: readonly string[]): Promise<Reply>;
  close(): Promise<void>;
}

interface Waiting {
  resolve(reply: Reply): void;
  reject(error: Error): void;
}

const CRLF = 0x0d;

/** Exponential backoff capped at 2 s, with jitter so that many instances do not reconnect in lockstep. */
function backoffMs(failures: number): number {
  return Math.min(2 ** failures * 50, 2_000) + Math.floor(Math.random() * 200);
}

/** A command as RESP's array of bulk strings. */
export function encodeCommand(args: readonly string[]): string {
  let out = `*${args.length}\r\n`;
  for (const arg of args) out += `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`;
  return out;
}

type Parsed = { value: Reply | RedisReplyError; end: number } | undefined;

/** One reply from `buf` at `start`, or undefined while it has not all arrived. */
export function parseReply(buf: Buffer, start: number): Parsed {
  const lineEnd = buf.indexOf(CRLF, start);
  if (lineEnd === -1 || lineEnd + 1 >= buf.length) return undefined;
  const type = buf[start];
  const line = buf.toString("utf8", start + 1, lineEnd);
  const next = lineEnd + 2;
  switch (type) {
    case 0x2b: // +
      return { value: line, end: next };
    case 0x2d: // -
      return { value: new RedisReplyError(line), end: next };
    case 0x3a: // :
      return { value: Number(line), end: next };
    case 0x24: {
      // $
      const length = Number(line);
      if (length < 0) return { value: null, end: next };
      if (buf.length < next + length + 2) return undefined;
      return { value: buf.toString("utf8", next, next + length), end: next + length + 2 };
    }
    case 0x2a: {
      // *
      const count = Number(line);
      if (count < 0) return { value: null, end: next };
      const items: (Reply | RedisReplyError)[] = [];
      let at = next;
      for (let i = 0; i < count; i++) {
        const item = parseReply(buf, at);
        if (!item) return undefined;
        items.push(item.value);
        at = item.end;
      }
      // An error inside an array (a script's) is the command's error.
      const failed = items.find((item) => item instanceof RedisReplyError);
      return { value: failed ?? (items as Reply[]), end: at };
    }
    default:
      throw new Error("kv: redis sent a reply this client cannot read");
  }
}

/** What a redis:// or rediss:// URL asks for: where, whether TLS, who, and which database. */
function target(url: string) {
  const parsed = new URL(url);
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new Error("kv: REDIS_URL must start with redis:// or rediss://");
  }
  const db = parsed.pathname.replace(/^\//, "");
  if (db !== "" && !/^\d+$/.test(db)) throw new Error("kv: the database in REDIS_URL must be a number");
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, "") || "127.0.0.1",
    port: Number(parsed.port || 6379),
    tls: parsed.protocol === "rediss:",
    username: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    db,
  };
}

/**
 * A client that connects on its first command and again, after a capped backoff, when the
 * connection drops. While it is down, calls fail at once instead of piling up in memory; calls made
 * while a connection is being opened wait for it.
 */
export function createRespClient(url: string, options: RespOptions): RespClient {
  let socket: net.Socket | undefined;
  let connecting: Promise<net.Socket> | undefined;
  let coolingDown = false;
  let failures = 0;
  let reported = false;
  let closed = false;
  let buffer: Buffer = Buffer.alloc(0);
  const waiting: Waiting[] = [];

  function report(error: Error) {
    if (reported) return;
    reported = true;
    // The message comes from the socket, so it carries no keys or values.
    options.onConnectionError(`kv: redis connection error: ${error.message}`);
  }

  function failAll(error: Error) {
    for (const entry of waiting.splice(0)) entry.reject(error);
    buffer = Buffer.alloc(0);
  }

  function onData(chunk: Buffer) {
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    let at = 0;
    for (;;) {
      const parsed = parseReply(buffer, at);
      if (!parsed) break;
      at = parsed.end;
      const entry = waiting.shift();
      if (!entry) continue;
      if (parsed.value instanceof RedisReplyError) entry.reject(parsed.value);
      else entry.resolve(parsed.value);
    }
    buffer = at === buffer.length ? Buffer.alloc(0) : buffer.subarray(at);
  }

  function send(to: net.Socket, args: readonly string[]): Promise<Reply> {
    if (waiting.length >= options.maxWaiting) {
      return Promise.reject(new Error("kv: too many redis commands waiting for an answer"));
    }
    return new Promise<Reply>((resolve, reject) => {
      waiting.push({ resolve, reject });
      to.write(encodeCommand(args));
    });
  }

  function open(): Promise<net.Socket> {
    return new Promise<net.Socket>((resolve, reject) => {
      // Read at the first connect, as a client library does: a store that is never used never fails.
      const where = target(url);
      const handshake: string[][] = [];
      if (where.password) {
        handshake.push(where.username ? ["AUTH", where.username, where.password] : ["AUTH", where.password]);
      }
      if (where.db !== "" && where.db !== "0") handshake.push(["SELECT", where.db]);
      const connectEvent = where.tls ? "secureConnect" : "connect";
      const next = where.tls
        ? tls.connect({ host: where.host, port: where.port, servername: where.host })
        : net.connect({ host: where.host, port: where.port });
      next.setNoDelay(true);
      next.setKeepAlive(true);
      next.setTimeout(options.connectTimeoutMs, () => next.destroy(new Error("connection timeout")));
      next.on("data", onData);
      next.on("error", (error) => {
        report(error);
        reject(error);
      });
      next.once("close", () => {
        if (socket === next) socket = undefined;
        failAll(new Error("kv: the redis connection closed"));
        reject(new Error("kv: the redis connection closed"));
      });
      next.once(connectEvent, () => {
        next.setTimeout(0);
        Promise.all(handshake.map((args) => send(next, args))).then(
          () => resolve(next),
          (error: Error) => {
            next.destroy();
            reject(error);
          },
        );
      });
    });
  }

  async function ready(): Promise<net.Socket> {
    if (closed) throw new Error("kv: the redis store is closed");
    if (socket) return socket;
    if (coolingDown) throw new Error("kv: redis is unreachable; reconnecting");
    connecting ??= open().then(
      (next) => {
        connecting = undefined;
        socket = next;
        failures = 0;
        reported = false;
        return next;
      },
      (error: unknown) => {
        connecting = undefined;
        coolingDown = true;
        setTimeout(() => (coolingDown = false), backoffMs(failures++)).unref();
        throw error;
      },
    );
    return connecting;
  }

  return {
    async command(args) {
      return send(await ready(), args);
    },

    async close() {
      if (closed) return;
      closed = true;
      const open = socket ?? (await connecting?.catch(() => undefined));
      if (!open || open.destroyed) return;
      await new Promise<void>((resolve) => {
        open.once("close", () => resolve());
        // What was sent is still answered: Redis replies to it before it reads the end.
        open.end();
      });
    },
  };
}
