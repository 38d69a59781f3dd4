import { now } from "@/lib/clock";
import { type CompanyProfile, recentProfile } from "@/lib/company/profile";
import { replyPromise } from "@/lib/company/reply-promise";
import { isDatabaseUnavailable } from "@/lib/db/unavailable";
import { formatPhone, telHref } from "@/lib/leads/phone";
import { logoPath } from "./logo";
import type { Form } from "./repository";

/**
 * What a public page shows of the business behind a form, from its company profile: its name,
 * logo, colour and phone, and when a visitor will hear back.
 */
export interface Brand {
  name: string;
  /** The logo's address for an <img>: the portal's own for an uploaded one, or the https one given. */
  logo: string | null;
  /** The origin the page's policy lets images come from, for a logo hosted elsewhere. */
  logoOrigin: string | null;
  /** The page's CSS custom properties: the accent, the text on it, and the focus ring. */
  colors: { accent: string; onAccent: string; focus: string };
  phone: { text: string; href: string } | null;
  /** "We reply within 2 hours during business hours: Mon–Fri 8–6." */
  reply: string;
}

const PORTAL_BLUE = "#1d4ed8";

/** WCAG's relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

export function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
}

/**
 * The business's colour on the Send button, with black or white text, whichever reads better (one
 * of them always passes 4.5:1); the focus ring takes the colour only where it shows on white (3:1).
 */
export function brandColors(color: string | null): Brand["colors"] {
  const accent = color ?? PORTAL_BLUE;
  const onAccent = contrast(accent, "#ffffff") >= contrast(accent, "#000000") ? "#ffffff" : "#000000";
  const focus = contrast(accent, "#ffffff") >= 3 ? accent : PORTAL_BLUE;
  return { accent, onAccent, focus };
}

export function brandOf(form: Pick<Form, "slug">, profile: CompanyProfile, at: Date): Brand {
  const uploaded = profile.logo?.startsWith("data:") ? profile.logo : null;
  const hosted = profile.logo?.startsWith("https://") ? profile.logo : null;
  return {
    name: profile.name,
    logo: uploaded ? logoPath(form.slug, uploaded) : hosted,
    logoOrigin: hosted ? new URL(hosted).origin : null,
    colors: brandColors(profile.color),
    phone: profile.phone ? { text: formatPhone(profile.phone), href: telHref(profile.phone) } : null,
    reply: replyPromise(profile, at).sentence,
  };
}

/**
 * The brand of the form's company, from its profile as read within the last few seconds; none when
 * the database cannot be reached, so that the form is still shown, plainly, with what was typed.
 */
export async function formBrand(form: Pick<Form, "slug" | "companyId">): Promise<Brand | undefined> {
  try {
    return brandOf(form, await recentProfile(form.companyId), now());
  } catch (error) {
    if (isDatabaseUnavailable(error)) return undefined;
    throw error;
  }
}
