import { migratePostgres } from "@/lib/db/client";
import { env } from "@/lib/env";

/**
 * Applies the migrations, then the SQL functions (lib/db/functions), to DATABASE_URL. The embedded
 * database does both itself on start.
 */
async function main() {
  const url = env().DATABASE_URL;
  if (!url) {
    console.log("DATABASE_URL is not set: the embedded database is migrated when the app starts.");
    return;
  }
  await migratePostgres(url);
  console.log("Migrations and SQL functions applied.");
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
