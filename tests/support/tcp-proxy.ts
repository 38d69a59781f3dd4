import { createServer, type Server, type Socket, connect } from "node:net";
import type { AddressInfo } from "node:net";

/**
 * A loopback TCP proxy in front of a real server (PostgreSQL, Redis) that a test can cut, as if the
 * server went away (every connection dropped, new ones refused), and restore on the same port; or
 * hang, as if the server stopped answering with its connections open, and resume.
 */
export async function startTcpProxy(target: { host: string; port: number }) {
  const pairs = new Set<[Socket, Socket]>();
  let server: Server | null = null;
  let port = 0;
  let hung = false;

  // Held bytes stay in the paused sockets, in order, until the pair is piped again.
  const hold = ([client, upstream]: [Socket, Socket]) => {
    client.unpipe(upstream).pause();
    upstream.unpipe(client).pause();
  };
  const flow = ([client, upstream]: [Socket, Socket]) => {
    client.pipe(upstream).pipe(client);
  };

  const listen = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(target.port, target.host);
        const pair: [Socket, Socket] = [client, upstream];
        pairs.add(pair);
        const drop = () => {
          client.destroy();
          upstream.destroy();
          pairs.delete(pair);
        };
        client.on("error", drop).on("close", drop);
        upstream.on("error", drop).on("close", drop);
        if (hung) client.pause();
        else flow(pair);
      });
      server.listen(port, "127.0.0.1", () => {
        port = (server!.address() as AddressInfo).port;
        resolve();
      });
    });

  const closeServer = () =>
    new Promise<void>((resolve) => {
      if (!server) return resolve();
      server.close(() => resolve());
      for (const [client, upstream] of pairs) {
        client.destroy();
        upstream.destroy();
      }
      pairs.clear();
      server = null;
    });

  await listen();
  return {
    port,
    /** Drops every connection and refuses new ones. */
    cut: closeServer,
    /** Accepts connections again, on the same port. */
    restore: listen,
    /** Keeps every connection open and passes nothing either way. */
    hang: () => {
      hung = true;
      for (const pair of pairs) hold(pair);
    },
    /** Passes what was held, then everything again. */
    resume: () => {
      hung = false;
      for (const pair of pairs) flow(pair);
    },
    close: closeServer,
  };
}
