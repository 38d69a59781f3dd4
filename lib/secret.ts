import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";

let cached: string | undefined;

/**
 * The secret that signs form tokens: AUTH_SECRET, or one generated on first start and kept in
 * DATA_DIR so that it survives restarts (a process with an in-memory database keeps its own).
 */
export function appSecret(): string {
  if (cached) return cached;
  const { AUTH_SECRET, DATA_DIR } = env();
  if (AUTH_SECRET) return (cached = AUTH_SECRET);
  if (DATA_DIR === "memory://") return (cached = randomBytes(32).toString("base64url"));
  const file = path.join(DATA_DIR, "secret");
  try {
    cached = readFileSync(file, "utf8").trim();
  } catch {
    const fresh = randomBytes(32).toString("base64url");
    mkdirSync(DATA_DIR, { recursive: true });
    try {
      writeFileSync(file, fresh, { flag: "wx", mode: 0o600 });
      cached = fresh;
    } catch {
      // Another process wrote it first: use theirs.
      cached = readFileSync(file, "utf8").trim();
    }
  }
  return cached;
}
