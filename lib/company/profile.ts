import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { companies, type Company } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { fail } from "@/lib/errors";
import { toE164 } from "@/lib/leads/phone";
import { type BusinessHours, DEFAULT_HOURS, parseHours, validTimeZone } from "./hours";

/**
 * A company's profile: what forms, alerts and auto-replies say of the business, and when it is
 * open. Admins edit it on the Settings page; the name was a start-up setting once, and is data now.
 */
export interface CompanyProfile {
  id: string;
  slug: string;
  name: string;
  /** E.164, or null. */
  phone: string | null;
  replyTo: string | null;
  logo: string | null;
  /** #rrggbb, or null for the portal's own. */
  color: string | null;
  timeZone: string;
  /** False until an admin chose one: UTC stands in meanwhile, and the Settings page says so. */
  timeZoneChosen: boolean;
  businessHours: BusinessHours;
  replyWithin: string;
  portalUrl: string | null;
}

const DEFAULT_REPLY_WITHIN = "2 hours";

function fromRow(row: Company): CompanyProfile {
  const zone = row.timeZone && validTimeZone(row.timeZone) ? row.timeZone : null;
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    phone: row.phone,
    replyTo: row.replyTo,
    logo: row.logo,
    color: row.color,
    timeZone: zone ?? "UTC",
    timeZoneChosen: zone !== null,
    businessHours: row.businessHours ? parseHours(row.businessHours) : DEFAULT_HOURS,
    replyWithin: row.replyWithin || DEFAULT_REPLY_WITHIN,
    portalUrl: row.portalUrl,
  };
}

export async function companyProfile(companyId: string): Promise<CompanyProfile> {
  const db = await getDb();
  const [row] = await db.select().from(companies).where(eq(companies.id, companyId)).limit(1);
  if (!row) throw fail.notFound();
  const profile = fromRow(row);
  recentProfiles.set(companyId, { profile, until: Date.now() + PROFILE_CACHE_MS });
  return profile;
}

/**
 * Alerts read the profile for every lead, and it changes rarely: each process keeps it a few
 * seconds (a change made in this process applies at once, one made elsewhere within seconds).
 */
const PROFILE_CACHE_MS = 5_000;
// On globalThis: Next.js bundles each route apart, and a change saved through one must reach all.
const holder = globalThis as typeof globalThis & {
  __leadPortalProfiles?: Map<string, { profile: CompanyProfile; until: number }>;
};
const recentProfiles = (holder.__leadPortalProfiles ??= new Map());

/** The profile as read within the last few seconds, or afresh. */
export async function recentProfile(companyId: string): Promise<CompanyProfile> {
  const kept = recentProfiles.get(companyId);
  if (kept && kept.until > Date.now()) return kept.profile;
  return companyProfile(companyId);
}

/** Where alerts and emails link: PUBLIC_URL, Vercel's production address, or where admins work. */
export function portalOrigin(profile: Pick<CompanyProfile, "portalUrl">): string {
  const settings = env();
  if (settings.PUBLIC_URL) return settings.PUBLIC_URL.replace(/\/$/, "");
  const vercel = process.env.VERCEL_PROJECT_PRODUCTION_URL;
  if (vercel) return `https://${vercel}`;
  return profile.portalUrl ?? "http://127.0.0.1:3000";
}

/**
 * Remembers the address the portal was set up at (the first admin's, or the first admin to save
 * Settings): an admin's own request names it, where a stranger's Host header could name anything.
 * It is kept once known, so that one visit from another address (a tunnel, an internal name) does
 * not move every alert's links; PUBLIC_URL sets it for good.
 */
export async function notePortalUrl(companyId: string, origin: string | null): Promise<void> {
  if (!origin) return;
  const db = await getDb();
  await db
    .update(companies)
    .set({ portalUrl: origin })
    .where(and(eq(companies.id, companyId), isNull(companies.portalUrl)));
  recentProfiles.delete(companyId);
}

const LOGO_BYTES = 150_000;
const IMAGE_SIGNATURES: [string, (bytes: Buffer) => boolean][] = [
  ["image/png", (b) => b.subarray(0, 8).equals(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]))],
  ["image/jpeg", (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff],
  ["image/webp", (b) => b.toString("latin1", 0, 4) === "RIFF" && b.toString("latin1", 8, 12) === "WEBP"],
];

/**
 * A logo as sent by the Settings page: an https address, or an uploaded PNG, JPEG or WebP (as a
 * data: URL) whose bytes are what it claims; SVG is refused, since it can carry script.
 */
function logoValue(value: string, ctx: z.RefinementCtx): string {
  if (/^https:\/\/\S+$/i.test(value)) return value;
  const match = /^data:([a-z/+.-]+);base64,([A-Za-z0-9+/=]+)$/.exec(value);
  if (!match) {
    ctx.addIssue({
      code: "custom",
      message: "Upload a PNG, JPEG or WebP image, or give an https:// address",
    });
    return z.NEVER;
  }
  const bytes = Buffer.from(match[2]!, "base64");
  const kind = IMAGE_SIGNATURES.find(([, test]) => test(bytes))?.[0];
  if (!kind) {
    ctx.addIssue({ code: "custom", message: "That file is not a PNG, JPEG or WebP image" });
    return z.NEVER;
  }
  if (bytes.length > LOGO_BYTES) {
    ctx.addIssue({ code: "custom", message: "The logo must be under 150 KB" });
    return z.NEVER;
  }
  return `data:${kind};base64,${bytes.toString("base64")}`;
}

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Use a time such as 08:00");
const dayHours = z
  .object({ open: clock, close: clock })
  .refine((d) => d.close > d.open, { message: "Closing must be after opening" })
  .nullable();
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((v) => (v === "" ? null : v))
    .nullable()
    .optional();

/** What the Settings page sends; every field optional, as only what is given changes. */
export const profileInput = z.object({
  name: z.string().trim().min(1, "The business needs a name").max(120).optional(),
  phone: z
    .string()
    .trim()
    .max(40)
    .nullable()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return undefined;
      if (!v) return null;
      const e164 = toE164(v);
      if (!e164) {
        ctx.addIssue({ code: "custom", message: "That is not a phone number" });
        return z.NEVER;
      }
      return e164;
    }),
  replyTo: z
    .string()
    .trim()
    .max(254)
    .nullable()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return undefined;
      if (!v) return null;
      if (!z.email().safeParse(v).success) {
        ctx.addIssue({ code: "custom", message: "That is not an email address" });
        return z.NEVER;
      }
      return v;
    }),
  logo: z
    .string()
    .max(LOGO_BYTES * 2)
    .nullable()
    .optional()
    .transform((v, ctx) => (v ? logoValue(v, ctx) : v === undefined ? undefined : null)),
  color: z
    .string()
    .trim()
    .regex(/^#[0-9a-fA-F]{6}$/, "Use a colour such as #0f766e")
    .transform((v) => v.toLowerCase())
    .nullable()
    .optional(),
  timeZone: z.string().trim().refine(validTimeZone, "Choose a time zone from the list").optional(),
  businessHours: z.array(dayHours).length(7, "Give the hours of each day of the week").optional(),
  replyWithin: optionalText(40),
});
export type ProfileInput = z.infer<typeof profileInput>;

export async function updateProfile(companyId: string, input: ProfileInput): Promise<CompanyProfile> {
  const db = await getDb();
  const changes = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  const [row] =
    Object.keys(changes).length > 0
      ? await db.update(companies).set(changes).where(eq(companies.id, companyId)).returning()
      : await db.select().from(companies).where(eq(companies.id, companyId));
  if (!row) throw fail.notFound();
  recentProfiles.delete(companyId);
  return fromRow(row);
}
