import { logoPath } from "@/lib/forms/brand";
import { findForm } from "@/lib/forms/repository";
import { recentProfile } from "@/lib/company/profile";

/**
 * The logo uploaded in Settings, as an image of its own: the form pages stay small, and the
 * browser keeps it. Its address carries a version of the image, so one kept for good is never stale.
 */
export async function GET(req: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const form = await findForm(slug);
  const logo = form ? (await recentProfile(form.companyId)).logo : null;
  const match = logo ? /^data:(image\/(?:png|jpeg|webp));base64,(.+)$/.exec(logo) : null;
  if (!form || !logo || !match) return new Response("No logo", { status: 404 });
  const current = new URL(logoPath(form.slug, logo), req.url).search;
  const cache =
    new URL(req.url).search === current ? "public, max-age=31536000, immutable" : "public, max-age=300";
  return new Response(Buffer.from(match[2]!, "base64"), {
    headers: {
      "content-type": match[1]!,
      "cache-control": cache,
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'",
    },
  });
}
