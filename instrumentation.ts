/**
 * Runs once when a server starts: a bad setting stops start-up with a message naming it, and the
 * embedded database is opened (and migrated) before the first request rather than during it.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { env, SettingsError } = await import("@/lib/env");
  try {
    env();
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    // A server that cannot read its settings would answer every request with a 500: stop instead.
    console.error(error.message);
    process.exit(1);
  }
  const { getDb } = await import("@/lib/db/client");
  await getDb();
}
