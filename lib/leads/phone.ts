import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js";
import { env } from "@/lib/env";

/** E.164 form of a phone number, or null when it cannot be a valid number. */
export function toE164(input: string, region: string = env().DEFAULT_PHONE_REGION): string | null {
  const parsed = parsePhoneNumberFromString(input, region as CountryCode);
  return parsed?.isValid() ? parsed.number : null;
}

/** The digits of a phone number as stored for search (E.164 without the plus). */
export function phoneDigits(e164: string): string {
  return e164.replace(/\D/g, "");
}
