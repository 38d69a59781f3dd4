import { mkdir } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { drizzle, type PgliteDatabase } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { lockDataDir } from "./data-dir-lock";
import { applyFunctions } from "./functions/apply";
import * as schema from "./schema";

/**
 * The embedded database (PGlite: PostgreSQL in WASM, about 20 MB with its extensions). Only
 * lib/db/client.ts imports this module, with import() and only when DATABASE_URL is unset, so a
 * server on PostgreSQL never loads it, and a build for Vercel leaves it out altogether.
 */

/** An in-memory embedded database when DATA_DIR is this value (used by the tests). */
const IN_MEMORY = "memory://";

export interface EmbeddedDatabase {
  db: PgliteDatabase<typeof schema>;
  close(): Promise<void>;
}

/** Opens the database in dataDir (claimed for this process alone), migrated and with the SQL functions. */
export async function openPglite(dataDir: string, migrationsFolder: string): Promise<EmbeddedDatabase> {
  let location = IN_MEMORY;
  let release = () => {};
  if (dataDir !== IN_MEMORY) {
    // PGlite does not create missing parent folders itself.
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    release = lockDataDir(dataDir);
    location = path.join(dataDir, "pglite");
  }
  try {
    const client = await PGlite.create(location, { extensions: { pg_trgm } });
    const db = drizzle(client, { schema });
    // The embedded database belongs to this process alone, so it is migrated on start.
    await migrate(db, { migrationsFolder });
    await applyFunctions(db);
    const close = async () => {
      await client.close();
      release();
    };
    return { db, close };
  } catch (error) {
    release();
    throw error;
  }
}
