import { randomBytes } from "node:crypto";
import { chmod, link, mkdir, readFile, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { env } from "@/lib/env";

let cached: Promise<string> | undefined;

/**
 * The secret that signs staff sessions and form tokens: AUTH_SECRET (required in production), or,
 * on a developer's machine, one generated on first use into the data folder, readable by this user
 * alone. It is never kept in the database, whose copies travel further than the server's disk.
 */
export function appSecret(): Promise<string> {
  cached ??= load().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

/** A data folder in memory (the tests) keeps its secret in memory too. */
const IN_MEMORY = "memory://";

async function load(): Promise<string> {
  const settings = env();
  if (settings.AUTH_SECRET) return settings.AUTH_SECRET;
  if (settings.DATA_DIR === IN_MEMORY) return randomBytes(32).toString("base64url");
  await mkdir(settings.DATA_DIR, { recursive: true, mode: 0o700 });
  // A folder made by an earlier version was world-readable.
  await chmod(settings.DATA_DIR, 0o700);
  const file = path.join(settings.DATA_DIR, "auth-secret");
  // Written aside and linked into place, so two processes starting together agree on one secret
  // and neither reads a half-written file.
  const draft = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
  await writeFile(draft, randomBytes(32).toString("base64url"), { mode: 0o600 });
  try {
    await link(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    await unlink(draft);
  }
  await chmod(file, 0o600);
  return (await readFile(file, "utf8")).trim();
}
