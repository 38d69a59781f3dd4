import type { SessionUser } from "@/lib/auth/users";
import { photoOfLead, photosOfLead, type PhotoSummary } from "@/lib/photos/repository";
import { photoLink, verifiedPhotoId } from "@/lib/photos/signed-link";
import { visibleLead } from "./visible-lead";

/** A photo of the lead's, with the signed address it is shown from for the next minutes. */
export interface LeadPhoto extends PhotoSummary {
  url: string;
}

/** The photos visitors attached to the lead's submissions, each with a signed, short-lived link. */
export async function leadPhotos(user: SessionUser, leadId: string): Promise<LeadPhoto[]> {
  const photos = await photosOfLead(user.companyId, leadId);
  return Promise.all(photos.map(async (photo) => ({ ...photo, url: await photoLink(leadId, photo.id) })));
}

/**
 * The photo a signed link names, for staff who may see the lead: the link must be valid and not
 * expired, and the photo one of this lead's, in the user's company.
 */
export async function linkedPhoto(
  user: SessionUser,
  leadId: string,
  query: URLSearchParams,
): Promise<{ contentType: string; bytes: Uint8Array }> {
  const photoId = await verifiedPhotoId(query);
  await visibleLead(user, leadId);
  return photoOfLead(user.companyId, leadId, photoId);
}
