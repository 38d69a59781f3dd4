import { createHmac, timingSafeEqual } from "node:crypto";
import { now } from "@/lib/clock";
import { DomainError } from "@/lib/errors";
import { appSecret } from "@/lib/secret";

/** How long a photo's link on a lead page works. */
export const PHOTO_LINK_SECONDS = 600;

async function signature(photoId: string, expires: number): Promise<string> {
  return createHmac("sha256", await appSecret())
    .update(`photo:${photoId}:${expires}`)
    .digest("base64url");
}

/**
 * A photo's address for staff, through the lead's admin route: signed with the app's secret over
 * the photo and an expiry minutes away, so a copied link stops working soon; the route also asks
 * for a session of the company.
 */
export async function photoLink(leadId: string, photoId: string): Promise<string> {
  const expires = Math.floor(now().getTime() / 1000) + PHOTO_LINK_SECONDS;
  const query = new URLSearchParams({
    photo: photoId,
    expires: String(expires),
    sig: await signature(photoId, expires),
  });
  return `/api/admin/leads/${leadId}?${query}`;
}

/** The photo a link names, if its signature is right and it has not expired; a 403 otherwise. */
export async function verifiedPhotoId(params: URLSearchParams): Promise<string> {
  const photoId = params.get("photo") ?? "";
  const expires = Number(params.get("expires"));
  const given = Buffer.from(params.get("sig") ?? "");
  const expected = Buffer.from(await signature(photoId, expires));
  const valid = given.length === expected.length && timingSafeEqual(given, expected);
  if (!valid || !Number.isInteger(expires) || expires * 1000 < now().getTime()) {
    throw new DomainError("forbidden", "This photo's link is not valid or has expired: open the lead again");
  }
  return photoId;
}
