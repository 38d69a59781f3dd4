import { z } from "zod";
import type { Role } from "@/lib/db/schema";
import type { QuietHours } from "@/lib/company/hours";
import { toE164 } from "@/lib/leads/phone";

/**
 * What alerts a staff member wants, kept on their user (users.alerts) and chosen on their account
 * page. Unset, an admin hears of every lead and a member of the leads assigned to them, by email
 * and on each device where they turned push on, at any hour, with a morning digest.
 */
export interface AlertPreferences {
  /** Which leads: "default" (admins every lead, members theirs), "all", "mine" (assigned) or "none". */
  scope: "default" | "all" | "mine" | "none";
  email: boolean;
  push: boolean;
  sms: boolean;
  /** Where texts go (E.164). */
  smsPhone: string | null;
  /** Only these forms' submissions (their ids); null is every form. Leads from the API always count. */
  forms: string[] | null;
  /** No alerts between these times of the business's day; they wait for the morning digest. */
  quiet: QuietHours;
  /** A morning message: leads that came in overnight, follow-ups due, leads still waiting. */
  digest: boolean;
  /** When the digest comes ("HH:MM", the business's time); with quiet hours, at their end instead. */
  digestAt: string;
}

export const DEFAULT_PREFERENCES: AlertPreferences = {
  scope: "default",
  email: true,
  push: true,
  sms: false,
  smsPhone: null,
  forms: null,
  quiet: null,
  digest: true,
  digestAt: "07:00",
};

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Use a time such as 21:00");

export const preferencesInput = z
  .object({
    scope: z.enum(["default", "all", "mine", "none"]),
    email: z.boolean(),
    push: z.boolean(),
    sms: z.boolean(),
    smsPhone: z
      .string()
      .trim()
      .max(40)
      .nullable()
      .transform((v, ctx) => {
        if (!v) return null;
        const e164 = toE164(v);
        if (!e164) {
          ctx.addIssue({ code: "custom", message: "That is not a phone number" });
          return z.NEVER;
        }
        // A text reaches the number, not an extension.
        return e164.split(";ext=")[0]!;
      }),
    forms: z.array(z.uuid()).max(200).nullable(),
    quiet: z
      .object({ from: clock, to: clock })
      .nullable()
      .transform((q) => (q && q.from !== q.to ? q : null)),
    digest: z.boolean(),
    digestAt: clock,
  })
  .superRefine((p, ctx) => {
    if (p.sms && !p.smsPhone) {
      ctx.addIssue({ code: "custom", path: ["smsPhone"], message: "Give the number texts go to" });
    }
  });

/** A user's stored choices, whatever an older version stored: anything unreadable is the default. */
export function parsePreferences(value: unknown): AlertPreferences {
  if (!value || typeof value !== "object") return DEFAULT_PREFERENCES;
  const merged = { ...DEFAULT_PREFERENCES, ...(value as Record<string, unknown>) };
  const parsed = preferencesInput.safeParse(merged);
  return parsed.success ? parsed.data : DEFAULT_PREFERENCES;
}

/** Whether a lead (assigned to `assignedTo`, from `formId` or the API) is one this user hears of. */
export function wantsLead(
  prefs: AlertPreferences,
  user: { id: string; role: Role },
  lead: { assignedTo: string | null; formId: string | null },
): boolean {
  const mine = lead.assignedTo === user.id;
  const scope = prefs.scope === "default" ? (user.role === "admin" ? "all" : "mine") : prefs.scope;
  if (scope === "none" || (scope === "mine" && !mine)) return false;
  // A lead assigned to someone reaches them whatever forms they chose.
  if (mine || prefs.forms === null || lead.formId === null) return true;
  return prefs.forms.includes(lead.formId);
}
