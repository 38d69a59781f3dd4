import { type IncomingMessage, Server } from "node:http";
import { stampPeer } from "./client-address";

let installed = false;

/**
 * Stamps every request this process's HTTP servers receive with its connection's address
 * (lib/http/client-address.ts), before Next.js builds the route handler's Request from it. Next.js
 * only copies the socket's address into X-Forwarded-For when the client sent none, so that header
 * alone cannot tell a client's claim from the connection.
 */
export function stampPeersOnRequests(): void {
  if (installed) return;
  installed = true;
  const emit = Server.prototype.emit;
  Server.prototype.emit = function (this: Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const req = args[0] as IncomingMessage;
      stampPeer(req.headers, req.socket.remoteAddress);
    }
    return (emit as (event: string | symbol, ...args: unknown[]) => boolean).call(this, event, ...args);
  } as Server["emit"];
}
