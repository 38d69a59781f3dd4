import { mkdir, readFile, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { env } from "@/lib/env";
import type { PhotoStorage } from "@/lib/db/schema";

/**
 * Where a photo's bytes go: Vercel Blob when BLOB_READ_WRITE_TOKEN is set; otherwise the database
 * when it is PostgreSQL (DATABASE_URL), or files under DATA_DIR beside the embedded one (a data
 * folder in memory, the tests', keeps them in the database too).
 */
export function photoStorage(): PhotoStorage {
  const settings = env();
  if (settings.BLOB_READ_WRITE_TOKEN) return "blob";
  if (settings.DATABASE_URL || settings.DATA_DIR === "memory://") return "db";
  return "file";
}

/** Where a photo kept outside the database is: a blob's URL, or a path under DATA_DIR. */
export interface StoredObject {
  storage: PhotoStorage;
  location: string | null;
}

const EXTENSIONS: Record<string, string> = {
  "image/jpeg": "jpg",
  "image/png": "png",
  "image/webp": "webp",
  "image/heic": "heic",
};

/** Writes a photo's bytes outside the database; the location to keep with its row. */
export async function writeObject(
  storage: Exclude<PhotoStorage, "db">,
  photo: { id: string; companyId: string; contentType: string; bytes: Uint8Array },
): Promise<string> {
  if (storage === "blob") return putBlob(photo);
  const location = path.posix.join("photos", photo.companyId, photo.id);
  const file = path.join(env().DATA_DIR, location);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, photo.bytes, { mode: 0o600 });
  return location;
}

/** A photo's bytes from where writeObject put them. */
export async function readObject(object: StoredObject): Promise<Uint8Array> {
  if (!object.location) throw new Error("A photo kept outside the database has no location");
  if (object.storage === "file") return readFile(path.join(env().DATA_DIR, object.location));
  const res = await fetch(object.location, { headers: { authorization: `Bearer ${blobToken()}` } });
  if (!res.ok) throw new Error(`Vercel Blob answered ${res.status} for a photo`);
  return new Uint8Array(await res.arrayBuffer());
}

/** Removes the bytes of photos kept outside the database (those in it go with their rows). */
export async function removeObjects(objects: StoredObject[]): Promise<void> {
  const blobs = objects.filter((o) => o.storage === "blob" && o.location).map((o) => o.location!);
  const files = objects.filter((o) => o.storage === "file" && o.location).map((o) => o.location!);
  await Promise.all(
    files.map((location) =>
      unlink(path.join(env().DATA_DIR, location)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "ENOENT") throw error;
      }),
    ),
  );
  if (blobs.length > 0) {
    const res = await blobApi("/delete", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ urls: blobs }),
    });
    if (!res.ok) throw new Error(`Vercel Blob answered ${res.status} to a delete`);
  }
}

function blobToken(): string {
  const token = env().BLOB_READ_WRITE_TOKEN;
  if (!token) throw new Error("BLOB_READ_WRITE_TOKEN is not set, yet a photo is in Vercel Blob");
  return token;
}

/**
 * A request to Vercel Blob's API as its SDK (@vercel/blob) makes it: the store's id is the
 * token's fourth part (vercel_blob_rw_{store}_{secret}).
 */
function blobApi(pathname: string, init: RequestInit & { headers: Record<string, string> }) {
  const token = blobToken();
  return fetch(`${env().VERCEL_BLOB_API_URL}${pathname}`, {
    ...init,
    headers: {
      authorization: `Bearer ${token}`,
      "x-api-version": "12",
      "x-vercel-blob-store-id": token.split("_")[3] ?? "",
      ...init.headers,
    },
  });
}

/**
 * Puts a photo in Vercel Blob, private (read only with the token, so only through the portal's
 * signed links), under a random name.
 */
async function putBlob(photo: { id: string; companyId: string; contentType: string; bytes: Uint8Array }) {
  const pathname = `photos/${photo.companyId}/${photo.id}.${EXTENSIONS[photo.contentType] ?? "bin"}`;
  const res = await blobApi(`/?${new URLSearchParams({ pathname })}`, {
    method: "PUT",
    headers: {
      "x-vercel-blob-access": "private",
      "x-content-type": photo.contentType,
      "x-add-random-suffix": "1",
      "x-allow-overwrite": "0",
    },
    body: photo.bytes as Uint8Array<ArrayBuffer>,
  });
  if (!res.ok) throw new Error(`Vercel Blob answered ${res.status} to a photo's upload`);
  const { url } = (await res.json()) as { url?: unknown };
  if (typeof url !== "string" || !/^https?:\/\//.test(url)) throw new Error("Vercel Blob gave no URL");
  return url;
}
