import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { migratePostgres } from "@/lib/db/client";
import { openPglite } from "@/lib/db/pglite";
import { workerDatabaseUrl } from "./stores";

/**
 * Each run starts from empty databases (tests/support/stores.ts): with DATABASE_URL one per worker
 * beside it, dropped, created and migrated again; without it one embedded database, migrated here,
 * that every test process copies (a copy opens in a fraction of the time a new one takes to
 * create and migrate).
 */
export default async function setup(project: TestProject) {
  const runDir = mkdtempSync(path.join(tmpdir(), "lead-portal-tests-"));
  const databaseUrl = process.env.DATABASE_URL || null;
  let embeddedTemplate: string | null = null;
  if (databaseUrl) {
    const workers = project.config.maxWorkers ?? availableParallelism();
    await Promise.all(
      Array.from({ length: workers }, (_, i) =>
        freshDatabase(databaseUrl, workerDatabaseUrl(databaseUrl, i + 1)),
      ),
    );
  } else {
    embeddedTemplate = path.join(runDir, "template");
    const { close } = await openPglite(embeddedTemplate, path.resolve("lib/db/migrations"));
    await close();
  }
  project.provide("testStores", {
    runDir,
    embeddedTemplate,
    databaseUrl,
    redisUrl: process.env.REDIS_URL || null,
  });
  return () => rmSync(runDir, { recursive: true, force: true });
}

/** Drops and creates the database at url (through the one at base), then migrates it. */
async function freshDatabase(base: string, url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    const quoted = client.escapeIdentifier(name);
    await client.query(`drop database if exists ${quoted} with (force)`);
    await client.query(`create database ${quoted}`);
  } finally {
    await client.end();
  }
  await migratePostgres(url);
}
