import { cpSync, mkdtempSync } from "node:fs";
import path from "node:path";
import { inject } from "vitest";

/**
 * Where each test process keeps its data. Test files run side by side, each in a process of its
 * own, and the files given to one worker (VITEST_POOL_ID) run one after another: with DATABASE_URL
 * and REDIS_URL each worker has a PostgreSQL database and a Redis database of its own; without
 * them each process opens a copy of an embedded database migrated once per run
 * (tests/support/global-setup.ts makes them).
 */
export interface TestStores {
  /** A folder for this run's embedded databases, removed when the run ends. */
  runDir: string;
  /** The migrated embedded database that each process copies; null with DATABASE_URL. */
  embeddedTemplate: string | null;
  /** The settings the run began with, which each worker's stores are named after. */
  databaseUrl: string | null;
  redisUrl: string | null;
}

declare module "vitest" {
  export interface ProvidedContext {
    testStores: TestStores;
  }
}

/** A worker's PostgreSQL database: the one DATABASE_URL names, with _w and the worker's number. */
export function workerDatabaseUrl(base: string, worker: number): string {
  const url = new URL(base);
  url.pathname = `/${decodeURIComponent(url.pathname.slice(1))}_w${worker}`;
  return url.href;
}

/** A worker's Redis database: the index REDIS_URL names (0 when none) plus the worker's number. */
export function workerRedisUrl(base: string, worker: number): string {
  const url = new URL(base);
  url.pathname = `/${Number(url.pathname.slice(1) || "0") + worker}`;
  return url.href;
}

/**
 * A data folder for an embedded database of its own (this process's, or an app process's it
 * starts): a copy of the run's migrated one, or an empty folder with DATABASE_URL.
 */
export function embeddedDataDir(): string {
  const { runDir, embeddedTemplate } = inject("testStores");
  const dir = mkdtempSync(path.join(runDir, "data-"));
  if (embeddedTemplate) cpSync(embeddedTemplate, dir, { recursive: true });
  return dir;
}
