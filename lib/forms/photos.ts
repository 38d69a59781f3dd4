import { isDatabaseUnavailable } from "@/lib/db/unavailable";
import type { FieldError } from "@/lib/errors";
import { MAX_MULTIPART_BYTES } from "@/lib/http/multipart";
import { type CheckedPhoto, discardPhotos, keepPhotos } from "@/lib/photos/repository";
import { sniffPhoto } from "@/lib/photos/sniff";
import { stripLocation } from "@/lib/photos/strip-location";
import type { Form } from "./repository";

/** The photo field's name in the form (and its id, f-photos, for the messages beside it). */
export const PHOTOS_FIELD = "photos";
export const MAX_PHOTOS = 5;
/** What the file input offers to pick; the server goes by the bytes (lib/photos/sniff.ts). */
export const PHOTO_ACCEPT = "image/jpeg,image/png,image/webp,image/heic,image/heif";

/** The photos a multipart submission carried. */
export interface SentPhotos {
  /** The files chosen, in order; an empty file input (no file chosen) gives none. */
  files: File[];
  /** The body was past the limit: its files were dropped, its text fields still read. */
  tooLarge: boolean;
}

/**
 * The form's rules for photos: at most MAX_PHOTOS, each a JPEG, PNG, WebP or HEIC by its bytes,
 * at least one when the form requires it, and all of them in one body Vercel accepts. Returns the
 * message for the photo field, or the photos to keep, their location data removed. A form without
 * a photo field takes none.
 */
export async function checkPhotos(
  form: Form,
  sent: SentPhotos,
): Promise<{ error: FieldError | null; photos: CheckedPhoto[] }> {
  const settings = form.settings.photos;
  if (!settings) return { error: null, photos: [] };
  const refuse = (message: string) => ({ error: { field: PHOTOS_FIELD, message }, photos: [] });
  if (sent.tooLarge) {
    const mb = MAX_MULTIPART_BYTES / 1_000_000;
    return refuse(
      `Your photos are too large to send: ${mb} MB at most together. Please attach fewer or smaller photos.`,
    );
  }
  if (sent.files.length > MAX_PHOTOS) return refuse(`You can attach up to ${MAX_PHOTOS} photos`);
  if (settings.required && sent.files.length === 0) return refuse("Please attach at least one photo");
  const photos: CheckedPhoto[] = [];
  for (const file of sent.files) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const sniffed = sniffPhoto(bytes);
    if (!sniffed) {
      return refuse(`“${file.name}” is not a photo we can take (JPEG, PNG, WebP or HEIC)`);
    }
    photos.push({ ...sniffed, name: file.name, bytes: stripLocation(bytes, sniffed.type) });
  }
  return { error: null, photos };
}

/** The form's verdict with the photos' added: a photo's message makes the submission invalid. */
export function withPhotoCheck<T>(
  validated: { errors: FieldError[]; input?: T },
  checked: { error: FieldError | null },
): { errors: FieldError[]; input?: T } {
  return checked.error ? { errors: [...validated.errors, checked.error] } : validated;
}

/**
 * Keeps a submission's photos, then the submission (keep): the photos are there before anything
 * the submission sets off (an alert, a webhook) can ask for them, and go again if the submission
 * cannot be kept. Photos the storage cannot take (Blob or the disk failing) do not cost the
 * submission: it is kept without them (its record still names them); a database out of reach is
 * thrown, for the visitor to get the form back.
 */
export async function keepingPhotos<T>(
  form: Form,
  submissionId: string,
  photos: CheckedPhoto[],
  keep: () => Promise<T>,
): Promise<T> {
  let ids: string[] = [];
  try {
    ids = await keepPhotos(form.companyId, submissionId, photos);
  } catch (error) {
    if (isDatabaseUnavailable(error)) throw error;
    const code = (error as { code?: unknown; status?: unknown } | null) ?? {};
    console.error(
      `[photos] ${photos.length} photos of a submission to form ${form.id} could not be stored (${String(code.code ?? code.status ?? "error")}); the submission is kept without them`,
    );
  }
  try {
    return await keep();
  } catch (error) {
    await discardPhotos(ids).catch(() => undefined);
    throw error;
  }
}
