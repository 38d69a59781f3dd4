/**
 * Runs once when a server starts: a bad setting stops start-up with a message naming it, and the
 * embedded database is opened (and migrated) before the first request rather than during it.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { env } = await import("@/lib/env");
  env();
  const { getDb } = await import("@/lib/db/client");
  await getDb();
}
