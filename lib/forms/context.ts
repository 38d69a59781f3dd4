/** Where a submission came from: the page the form sat on, and the page before it. */
export interface VisitContext {
  page?: string;
  referrer?: string;
}

/** The thank-you page that tells a visitor their address lies outside the area served. */
export const outsideAreaThanks = (slug: string) => `/f/${slug}/thanks?area=outside`;

export const PAGE_FIELD = "_page";
export const REFERRER_FIELD = "_ref";

const UTM = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"] as const;
const CLICK_IDS = ["gclid", "fbclid", "msclkid"] as const;

/** A URL worth keeping: http(s) and not absurdly long; anything else is dropped. */
export function cleanUrl(value: unknown): string | undefined {
  if (typeof value !== "string" || value.length > 2000) return undefined;
  try {
    const url = new URL(value);
    return /^https?:$/.test(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Tags such as utm_source:google and utm_campaign:spring, from the page's address. */
export function contextTags({ page }: VisitContext): string[] {
  if (!page) return [];
  const params = new URL(page).searchParams;
  return UTM.flatMap((name) => {
    const value = params.get(name)?.trim().slice(0, 80);
    return value ? [`${name}:${value}`] : [];
  });
}

/**
 * The source a new lead is given: the form's own, followed by the page, the referrer and any ad
 * click id, so that staff see where it came from without any setup on the business's site.
 */
export function sourceDetail(source: string | null, { page, referrer }: VisitContext): string | null {
  const parts: string[] = [];
  if (page) parts.push(`page ${page}`);
  if (referrer) parts.push(`from ${referrer}`);
  if (page) {
    const params = new URL(page).searchParams;
    for (const id of CLICK_IDS) if (params.get(id)) parts.push(`${id} ${params.get(id)!.slice(0, 100)}`);
  }
  if (parts.length === 0) return source;
  return [source ?? "form", ...parts].join(" · ").slice(0, 500);
}
