import type { CompanyProfile } from "./profile";
import { describeHours, describeWhen, isOpen, nextOpening } from "./hours";

/**
 * When a visitor will hear back, as the thank-you page and the auto-reply say it: within the reply
 * time while the business is open, else when it next opens, by the business's own clock.
 */
export interface ReplyPromise {
  /** "Mon–Fri 8–6, Sat 9–1", or "Closed" when no day has hours. */
  hours: string;
  /** "tomorrow at 8 am", or "as soon as we can" when no day has hours. */
  nextOpen: string;
  /** The whole sentence. */
  sentence: string;
}

export function replyPromise(
  profile: Pick<CompanyProfile, "businessHours" | "timeZone" | "replyWithin">,
  at: Date,
): ReplyPromise {
  const hours = describeHours(profile.businessHours);
  const next = nextOpening(profile.businessHours, profile.timeZone, at);
  if (!next) {
    return {
      hours,
      nextOpen: "as soon as we can",
      sentence: `We reply within ${profile.replyWithin}.`,
    };
  }
  const nextOpen = describeWhen(next, profile.timeZone, at);
  const sentence = isOpen(profile.businessHours, profile.timeZone, at)
    ? `We reply within ${profile.replyWithin} during business hours: ${hours}.`
    : `We're closed right now and will get back to you ${nextOpen} (hours: ${hours}).`;
  return { hours, nextOpen, sentence };
}
