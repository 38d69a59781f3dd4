import { randomBytes } from "node:crypto";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import twilio from "twilio";

/** A message the stand-in accepted (answered 201). */
export interface TwilioMessage {
  sid: string;
  to: string;
  from: string;
  body: string;
  statusCallback: string | null;
}

/** The failures `failNext` can script, each answered with the error Twilio gives for it. */
export type TwilioFailure = 400 | 429 | 500 | 503;

const ERRORS: Record<TwilioFailure | 401 | 404, { code: number; message: string }> = {
  400: { code: 21610, message: "Attempt to send to unsubscribed recipient" },
  401: { code: 20003, message: "Authenticate" },
  404: { code: 20404, message: "The requested resource was not found" },
  429: { code: 20429, message: "Too Many Requests" },
  500: { code: 20500, message: "Internal Server Error" },
  503: { code: 20503, message: "Service Unavailable" },
};

function sendError(res: ServerResponse, status: number, error: { code: number; message: string }): void {
  res.writeHead(status, { "content-type": "application/json" }).end(
    JSON.stringify({
      code: error.code,
      message: error.message,
      more_info: `https://www.twilio.com/docs/errors/${error.code}`,
      status,
    }),
  );
}

/**
 * A stand-in of Twilio's REST API for sending SMS: POST /2010-04-01/Accounts/{sid}/Messages.json,
 * form-encoded, with HTTP Basic auth as sid:token. Answers as Twilio does, with the errors it gives
 * for bad credentials, a missing field, and the failures scripted by `failNext`.
 */
export async function startTwilio(account: { accountSid: string; authToken: string }): Promise<{
  /** http://127.0.0.1:PORT, in place of https://api.twilio.com */
  origin: string;
  messages: TwilioMessage[];
  /** The next `count` authenticated requests to send a message answer `status`. */
  failNext(status: TwilioFailure, count?: number): void;
  close(): Promise<void>;
}> {
  const { accountSid, authToken } = account;
  const messagesPath = `/2010-04-01/Accounts/${accountSid}/Messages.json`;
  const credentials = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString("base64")}`;
  const messages: TwilioMessage[] = [];
  const failures: TwilioFailure[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.headers.authorization !== credentials) return sendError(res, 401, ERRORS[401]);
      if (req.method !== "POST" || new URL(req.url ?? "/", "http://127.0.0.1").pathname !== messagesPath) {
        return sendError(res, 404, ERRORS[404]);
      }
      const failure = failures.shift();
      if (failure) return sendError(res, failure, ERRORS[failure]);
      const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
      const to = form.get("To");
      const from = form.get("From");
      const body = form.get("Body");
      if (!to) return sendError(res, 400, { code: 21604, message: "A 'To' phone number is required." });
      if (!from) return sendError(res, 400, { code: 21603, message: "A 'From' phone number is required." });
      if (!body) return sendError(res, 400, { code: 21602, message: "Message body is required." });
      const sid = `SM${randomBytes(16).toString("hex")}`;
      messages.push({ sid, to, from, body, statusCallback: form.get("StatusCallback") });
      res.writeHead(201, { "content-type": "application/json" }).end(
        JSON.stringify({
          sid,
          account_sid: accountSid,
          status: "queued",
          to,
          from,
          body,
          direction: "outbound-api",
          api_version: "2010-04-01",
          date_created: new Date().toUTCString(),
          error_code: null,
          error_message: null,
          uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    messages,
    failNext: (status, count = 1) => {
      for (let i = 0; i < count; i++) failures.push(status);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The stand-in `startTwilio` starts. */
export type TwilioStandIn = Awaited<ReturnType<typeof startTwilio>>;

/**
 * The X-Twilio-Signature Twilio sends with a webhook (such as a status callback) to `url` with these
 * form parameters, computed by the official twilio package, so a verifier is checked against
 * Twilio's algorithm as Twilio ships it rather than against a copy of it.
 */
export function signTwilioRequest(authToken: string, url: string, params: Record<string, string>): string {
  return twilio.getExpectedTwilioSignature(authToken, url, params);
}
