import { toE164 } from "../phone";
import type { LeadInput } from "../schema";

/**
 * A validated body as Rotor takes it: empty strings left out (they mean "not given"), the phone in
 * E.164 so that every spelling of one number matches the same lead there.
 */
export function rotorBody(input: LeadInput): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined || value === "") continue;
    body[name] = name === "phone" && typeof value === "string" ? (toE164(value) ?? value) : value;
  }
  return body;
}
