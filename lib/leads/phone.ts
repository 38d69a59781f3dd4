import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js";
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
