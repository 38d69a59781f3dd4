import { randomUUID } from "node:crypto";
import { and, asc, eq, inArray } from "drizzle-orm";
import { now } from "@/lib/clock";
import { getDb } from "@/lib/db/client";
import { photos, submissions } from "@/lib/db/schema";
import { fail } from "@/lib/errors";
import type { Sniffed } from "./sniff";
import { photoStorage, readObject, removeObjects, writeObject } from "./storage";

/** A photo checked by its bytes and with its location data removed, ready to keep. */
export interface CheckedPhoto extends Sniffed {
  name: string;
  bytes: Uint8Array;
}

/**
 * Keeps a submission's photos, before the submission itself (its id is known from the start):
 * the bytes where photoStorage says, and a row each. Returns the rows' ids, for discardPhotos if
 * the submission then cannot be kept.
 */
export async function keepPhotos(
  companyId: string,
  submissionId: string,
  checked: CheckedPhoto[],
): Promise<string[]> {
  if (checked.length === 0) return [];
  const storage = photoStorage();
  const settled = await Promise.allSettled(
    checked.map(async (photo, position) => {
      const id = randomUUID();
      const object = { id, companyId, contentType: photo.type, bytes: photo.bytes };
      return {
        id,
        companyId,
        submissionId,
        position,
        name: photo.name.slice(0, 200),
        contentType: photo.type,
        size: photo.bytes.byteLength,
        width: photo.width,
        height: photo.height,
        storage,
        location: storage === "db" ? null : await writeObject(storage, object),
        data: storage === "db" ? photo.bytes : null,
        createdAt: now(),
      };
    }),
  );
  const rows = settled.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  const failed = settled.find((result) => result.status === "rejected");
  if (failed) {
    // The others' bytes would be kept for nothing.
    await removeObjects(rows).catch(() => undefined);
    throw failed.reason;
  }
  const db = await getDb();
  try {
    await db.insert(photos).values(rows);
  } catch (error) {
    await removeObjects(rows).catch(() => undefined);
    throw error;
  }
  return rows.map((row) => row.id);
}

/** Removes photos (rows and bytes), such as those of a submission that could not be kept. */
export async function discardPhotos(ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const db = await getDb();
  const gone = await db
    .delete(photos)
    .where(inArray(photos.id, ids))
    .returning({ storage: photos.storage, location: photos.location });
  await removeObjects(gone);
}

/** What a lead page shows of a photo: the image's size, for a thumbnail that does not move. */
export interface PhotoSummary {
  id: string;
  name: string;
  width: number | null;
  height: number | null;
}

/**
 * The photos of a lead's submissions (merged leads' too: their submissions moved), the oldest
 * submission's first, each submission's in the order they were picked.
 */
export async function photosOfLead(companyId: string, leadId: string): Promise<PhotoSummary[]> {
  const db = await getDb();
  return db
    .select({ id: photos.id, name: photos.name, width: photos.width, height: photos.height })
    .from(photos)
    .innerJoin(submissions, eq(submissions.id, photos.submissionId))
    .where(and(eq(photos.companyId, companyId), eq(submissions.leadId, leadId)))
    .orderBy(asc(submissions.receivedAt), asc(photos.submissionId), asc(photos.position));
}

/** One photo of a lead with its bytes; another lead's or company's is as absent as a missing one. */
export async function photoOfLead(
  companyId: string,
  leadId: string,
  photoId: string,
): Promise<{ contentType: string; bytes: Uint8Array }> {
  const db = await getDb();
  const [row] = await db
    .select({
      contentType: photos.contentType,
      storage: photos.storage,
      location: photos.location,
      data: photos.data,
    })
    .from(photos)
    .innerJoin(submissions, eq(submissions.id, photos.submissionId))
    .where(and(eq(photos.id, photoId), eq(photos.companyId, companyId), eq(submissions.leadId, leadId)))
    .limit(1);
  if (!row) throw fail.notFound();
  const bytes = row.storage === "db" ? row.data : await readObject(row);
  if (!bytes) throw fail.notFound();
  return { contentType: row.contentType, bytes };
}
