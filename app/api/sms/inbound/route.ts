import { requestOrigin } from "@/lib/http/origin";
import { readLimitedText } from "@/lib/http/body";
import { inboundIntent, optOut, twilioSignatureValid } from "@/lib/alerts/sms";
import { toE164 } from "@/lib/leads/phone";

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/**
 * Twilio's inbound-message webhook (set it on the number that sends): a STOP marks the number so
 * that nothing more is texted to it, a START lets texts go again. Only Twilio's signed requests
 * count; Twilio itself answers the texter for these keywords, so the answer here is empty.
 */
export async function POST(req: Request): Promise<Response> {
  const body = await readLimitedText(req);
  const params = new URLSearchParams(body);
  const url = `${requestOrigin(req) ?? ""}${new URL(req.url).pathname}${new URL(req.url).search}`;
  if (!twilioSignatureValid(url, params, req.headers.get("x-twilio-signature"))) {
    return new Response("Forbidden: the request is not signed by Twilio", { status: 403 });
  }
  const intent = inboundIntent(params.get("Body") ?? "");
  const from = toE164(params.get("From") ?? "");
  if (intent && from) await optOut(from, intent === "stop");
  return new Response(EMPTY_TWIML, { headers: { "content-type": "text/xml; charset=utf-8" } });
}
