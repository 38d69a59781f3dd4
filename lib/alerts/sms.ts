import { createHmac, timingSafeEqual } from "node:crypto";
import { sql } from "drizzle-orm";
import { now } from "@/lib/clock";
import { getDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { answeredWith, unreachable, type Sent } from "./sent";

/**
 * Text messages through Twilio's REST API: staff alerts to the number a user gave, and visitors'
 * auto-replies. A number that answered STOP (Twilio's inbound webhook, app/api/sms/inbound) gets
 * nothing more.
 */

export type SmsSent =
  { ok: true; status: number } | { ok: false; permanent: boolean; status: number | null; error: string };

/** Whether texts can be sent here (the settings require all three Twilio settings together). */
export function smsEnabled(): boolean {
  return Boolean(env().TWILIO_ACCOUNT_SID);
}

/** Twilio's error for a number that has opted out of this sender's texts. */
const UNSUBSCRIBED = 21610;

export async function sendSms(to: string, body: string): Promise<Sent> {
  const settings = env();
  const sid = settings.TWILIO_ACCOUNT_SID;
  if (!sid || !settings.TWILIO_AUTH_TOKEN || !settings.TWILIO_FROM) {
    return { ok: false, permanent: true, status: null, error: "Texts are not set up (TWILIO_ACCOUNT_SID)" };
  }
  let response: Response;
  try {
    response = await fetch(
      new URL(`/2010-04-01/Accounts/${encodeURIComponent(sid)}/Messages.json`, settings.TWILIO_API_URL),
      {
        method: "POST",
        headers: {
          authorization: `Basic ${Buffer.from(`${sid}:${settings.TWILIO_AUTH_TOKEN}`).toString("base64")}`,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams({ To: to, From: settings.TWILIO_FROM, Body: body }),
        signal: AbortSignal.timeout(10_000),
      },
    );
  } catch (error) {
    return unreachable("Twilio", error);
  }
  const answer = (await response.json().catch(() => null)) as { code?: number } | null;
  if (response.ok) return { ok: true, status: response.status };
  if (answer?.code === UNSUBSCRIBED) {
    await optOut(to, true);
    return {
      ok: false,
      permanent: true,
      status: response.status,
      error: "The number has opted out of texts (STOP)",
    };
  }
  return answeredWith("Twilio", response.status);
}

/**
 * Marks a number as opted out (STOP) or back in (START) for every company here: they text from
 * the one Twilio number, so a STOP is to all of them.
 */
export async function optOut(phone: string, stop: boolean): Promise<void> {
  const db = await getDb();
  if (stop) {
    await db.execute(sql`insert into sms_opt_outs (company_id, phone, at)
      select id, ${phone}, ${now().toISOString()} from companies
      on conflict (company_id, phone) do nothing`);
  } else {
    await db.execute(sql`delete from sms_opt_outs where phone = ${phone}`);
  }
}

export async function optedOut(companyId: string, phone: string): Promise<boolean> {
  const db = await getDb();
  const { rows } = (await db.execute(
    sql`select 1 from sms_opt_outs where company_id = ${companyId} and phone = ${phone}`,
  )) as unknown as { rows: unknown[] };
  return rows.length > 0;
}

/**
 * Twilio's request signature (X-Twilio-Signature): HMAC-SHA1 with the auth token over the URL
 * Twilio called followed by each POST parameter's name and value, sorted by name, in base64.
 */
export function twilioSignatureValid(
  url: string,
  params: URLSearchParams,
  signature: string | null,
): boolean {
  const token = env().TWILIO_AUTH_TOKEN;
  if (!token || !signature) return false;
  const names = [...new Set(params.keys())].sort();
  const data =
    url +
    names
      .map((name) =>
        params
          .getAll(name)
          .map((value) => name + value)
          .join(""),
      )
      .join("");
  const expected = createHmac("sha1", token).update(data, "utf8").digest();
  const given = Buffer.from(signature, "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const STOP_WORDS = new Set(["stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke", "optout"]);
const START_WORDS = new Set(["start", "unstop", "yes"]);

/** What an inbound text asks: to stop, to start again, or nothing this portal acts on. */
export function inboundIntent(body: string): "stop" | "start" | null {
  const word = body.trim().toLowerCase();
  if (STOP_WORDS.has(word)) return "stop";
  if (START_WORDS.has(word)) return "start";
  return null;
}
