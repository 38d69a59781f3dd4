import pg from "pg";
import { migratePostgres } from "@/lib/db/client";

/**
 * Each run starts from an empty database: with DATABASE_URL the schema is dropped and migrated
 * again; without it every test process opens a fresh in-memory PGlite (DATA_DIR=memory://).
 */
export default async function setup() {
  const url = process.env.DATABASE_URL;
  if (!url) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("drop schema if exists public cascade");
    await client.query("drop schema if exists drizzle cascade");
    await client.query("create schema public");
  } finally {
    await client.end();
  }
  await migratePostgres(url);
}
