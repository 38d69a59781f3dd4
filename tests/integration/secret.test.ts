import { execFile } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";

const run = promisify(execFile);
const root = mkdtempSync(path.join(tmpdir(), "lead-portal-secret-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The secret a fresh process finds or makes in the data folder, as a developer's app would. */
async function secretOf(dataDir: string): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, NODE_ENV: "development" };
  delete env.AUTH_SECRET;
  const { stdout } = await run(process.execPath, ["--import", "tsx", "tests/support/print-secret.ts"], {
    env,
  });
  return stdout;
}

const mode = (file: string) => statSync(file).mode & 0o777;

describe("the generated signing secret", () => {
  it("is made once in a data folder only its owner can open, and every process agrees on it", async () => {
    const dataDir = path.join(root, "fresh", ".data");
    // Two processes starting together, then one later.
    const together = await Promise.all([secretOf(dataDir), secretOf(dataDir)]);
    const later = await secretOf(dataDir);
    expect(together[0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set([...together, later]).size).toBe(1);
    expect(readFileSync(path.join(dataDir, "auth-secret"), "utf8")).toBe(later);
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(path.join(dataDir, "auth-secret"))).toBe(0o600);
  });

  it("closes a data folder an earlier version left open to others", async () => {
    const dataDir = path.join(root, "open");
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    await secretOf(dataDir);
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(path.join(dataDir, "auth-secret"))).toBe(0o600);
  });

  it("is not in the database: the table that held it is gone once migrated", async () => {
    const db = await getDb();
    const { rows } = (await db.execute(
      sql`select to_regclass('public.app_secrets')::text as found`,
    )) as unknown as { rows: { found: string | null }[] };
    expect(rows).toEqual([{ found: null }]);
  });
});
