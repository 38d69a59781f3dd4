import { type CountryCode, getCountryCallingCode, parsePhoneNumberFromString } from "libphonenumber-js";
import { env } from "@/lib/env";

// Validation and normalisation both parse the same number; the last few answers are kept.
const recent = new Map<string, string | null>();

/**
 * E.164 form of a phone number, or null when it cannot be a valid number. An extension is kept
 * after it as RFC 3966 writes it: `(763) 555-0238 ext. 12` is `+17635550238;ext=12`. The whole
 * text is what matching compares, so one number with two extensions is two people.
 */
export function toE164(input: string, region: string = env().DEFAULT_PHONE_REGION): string | null {
  const key = `${region} ${input}`;
  const known = recent.get(key);
  if (known !== undefined) return known;
  const parsed = parsePhoneNumberFromString(input, region as CountryCode);
  const e164 = parsed?.isValid() ? (parsed.ext ? `${parsed.number};ext=${parsed.ext}` : parsed.number) : null;
  if (recent.size >= 256) recent.clear();
  recent.set(key, e164);
  return e164;
}

/** The digits of a phone number as stored for search (E.164 without the plus, then any extension). */
export function phoneDigits(e164: string): string {
  return e164.replace(/\D/g, "");
}

/**
 * A stored number as people read it: national format in the portal's own country
 * ((763) 555-0238 ext. 12), international elsewhere; the text as it is when it cannot be parsed.
 */
export function formatPhone(e164: string, region: string = env().DEFAULT_PHONE_REGION): string {
  const parsed = parsePhoneNumberFromString(e164.replace(";ext=", " ext. "));
  if (!parsed) return e164;
  return parsed.country === region ? parsed.formatNational() : parsed.formatInternational();
}

/**
 * A stored number as a one-tap call link: the extension after a comma, the pause that phones
 * dial through (tel:+17635550238,12).
 */
export function telHref(e164: string): string {
  const [number, ext] = e164.split(";ext=");
  return `tel:${number}${ext ? `,${ext}` : ""}`;
}

/** A text-message link to the number (without its extension, which texts cannot reach). */
export function smsHref(e164: string): string {
  return `sms:${e164.split(";ext=")[0]}`;
}

/** Whether a stored number shares the portal's own country calling code (DEFAULT_PHONE_REGION's). */
export function inHomeCountry(e164: string, region: string = env().DEFAULT_PHONE_REGION): boolean {
  const parsed = parsePhoneNumberFromString(e164.split(";ext=")[0]!);
  return parsed !== undefined && parsed.countryCallingCode === getCountryCallingCode(region as CountryCode);
}
