import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { now } from "@/lib/clock";
import type { OutboxRow, WebhookEndpointRow } from "@/lib/db/schema";
import { isPublicAddress, parseAddress } from "@/lib/http/ip";
import {
  AddressNotAllowedError,
  type AddressPolicy,
  addressPolicy,
  bareHost,
  hostAllowed,
  publicOnlyLookup,
} from "./address";
import { SIGNATURE_HEADER, signPayload, webhookBody } from "./event";

/** Time to reach the receiver (its name resolved, the connection accepted), then to its answer. */
export const CONNECT_TIMEOUT_MS = 5_000;
export const ANSWER_TIMEOUT_MS = 10_000;

/**
 * What the delivery log says of an attempt. Coarse on purpose: "refused", "timed out", "reset" or an
 * exact status would tell whoever reads the log what listens at an address, which turns endpoints
 * and Replay into a scanner of the networks the server reaches.
 */
export const NOT_ALLOWED = "not delivered: the address is not allowed";
export const UNREACHABLE = "not delivered: the receiver could not be reached or did not answer";
const answered = (status: number) =>
  status >= 300 && status < 400
    ? "not delivered: the receiver answered with a redirect (3xx), which is not followed"
    : `not delivered: the receiver answered with an error (${Math.floor(status / 100)}xx)`;

export type SendOutcome = { ok: true; status: number } | { ok: false; error: string };

/**
 * Posts one delivery over node:http(s), so that the address is checked by the connection's own
 * lookup (lib/webhooks/address.ts), on every attempt. Redirects are not followed: a receiver that
 * moved is a new endpoint for an admin to add, and a redirect could otherwise point anywhere. Any
 * answer but a 2xx is a failure to retry.
 */
export async function postWebhook(
  endpoint: Pick<WebhookEndpointRow, "url" | "secret">,
  item: Pick<OutboxRow, "id" | "event" | "createdAt" | "payload" | "sequence">,
  policy: AddressPolicy = addressPolicy(),
  /** The body instead of the event's JSON: a chat app's message (lib/webhooks/chat.ts). */
  message?: string,
): Promise<SendOutcome> {
  const url = new URL(endpoint.url);
  const host = bareHost(url.hostname);
  const allowed = hostAllowed(host, policy.allowedHosts);
  // A literal address is connected to without a lookup, so it is judged here.
  const literal = parseAddress(host);
  if (!allowed && literal && !isPublicAddress(literal)) return { ok: false, error: NOT_ALLOWED };
  const body = message ?? webhookBody(item);
  const timestamp = Math.floor(now().getTime() / 1000);
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: SendOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      resolve(result);
    };
    const request = send({
      hostname: host,
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      method: "POST",
      headers: {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(body),
        "user-agent": "lead-intake-portal-webhooks",
        "x-portal-event": item.event ?? "",
        "x-portal-delivery": String(item.id),
        [SIGNATURE_HEADER]: signPayload(endpoint.secret, timestamp, body),
      },
      // A connection of its own each time, made with this attempt's check.
      agent: false,
      lookup: allowed ? undefined : publicOnlyLookup(policy.resolve),
    });
    const fail = () => request.destroy(new Error("timed out"));
    const connectTimer = setTimeout(fail, CONNECT_TIMEOUT_MS);
    const answerTimer = setTimeout(fail, ANSWER_TIMEOUT_MS);
    request.on("socket", (socket) => socket.once("connect", () => clearTimeout(connectTimer)));
    request.on("response", (response) => {
      const status = response.statusCode ?? 0;
      settle(status >= 200 && status < 300 ? { ok: true, status } : { ok: false, error: answered(status) });
      // The answer's body is not needed; it is read away until the receiver ends it or time runs out
      // (then the connection is cut, which the response reports as an error no one needs).
      response.on("error", () => {});
      response.resume();
    });
    request.on("error", (error) => {
      settle({ ok: false, error: error instanceof AddressNotAllowedError ? NOT_ALLOWED : UNREACHABLE });
    });
    request.on("close", () => {
      clearTimeout(answerTimer);
      settle({ ok: false, error: UNREACHABLE });
    });
    request.end(body);
  });
}
