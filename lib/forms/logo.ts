import { createHash } from "node:crypto";
import { recentProfile } from "@/lib/company/profile";
import type { Form } from "./repository";

const versionOf = (dataUrl: string) => createHash("sha256").update(dataUrl).digest("base64url").slice(0, 12);

/** An uploaded logo's own address, which changes with the image so that it may be kept for good. */
export function logoPath(slug: string, dataUrl: string): string {
  return `/f/${encodeURIComponent(slug)}?logo=${versionOf(dataUrl)}`;
}

/**
 * The logo uploaded in Settings, as an image of its own: the form pages stay small, and the
 * browser keeps it, for good while the address's version is the image's.
 */
export async function logoResponse(req: Request, form: Form | undefined): Promise<Response> {
  const logo = form ? (await recentProfile(form.companyId)).logo : null;
  const match = logo ? /^data:(image\/(?:png|jpeg|webp));base64,(.+)$/.exec(logo) : null;
  if (!form || !logo || !match) return new Response("No logo", { status: 404 });
  const current = new URL(req.url).searchParams.get("logo") === versionOf(logo);
  return new Response(Buffer.from(match[2]!, "base64"), {
    headers: {
      "content-type": match[1]!,
      "cache-control": current ? "public, max-age=31536000, immutable" : "public, max-age=300",
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'",
    },
  });
}
