import { getDb } from "@/lib/db/client";
import { env, SettingsError } from "@/lib/env";
import { stampPeersOnRequests } from "@/lib/http/stamp-peers";

/**
 * Server start-up, in the Node.js runtime: a bad setting stops the process with a message naming it
 * (a server that cannot read its settings would answer every request with a 500), and the embedded
 * database is opened (and migrated) before the first request rather than during it.
 */
export async function startServer(): Promise<void> {
  stampPeersOnRequests();
  try {
    env();
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  await getDb();
  // A long-running server delivers the outbox itself; on Vercel the cron job in vercel.json does.
  const { VERCEL, OUTBOX_INTERVAL_SECONDS } = env();
  if (!VERCEL) {
    const { drainOutbox } = await import("@/lib/outbox");
    const tick = () => {
      drainOutbox({ prune: true }).catch((error: unknown) => {
        console.error(`[outbox] drain failed: ${error instanceof Error ? error.name : typeof error}`);
      });
    };
    setInterval(tick, OUTBOX_INTERVAL_SECONDS * 1000).unref();
  }
}
