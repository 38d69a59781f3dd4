import { env, SettingsError } from "@/lib/env";
import { stampPeersOnRequests } from "@/lib/http/stamp-peers";
import { setOutboxWorker } from "@/lib/outbox/kick";

// The outbox's worker (with the leads and KV code it delivers through) is loaded when it first has
// work, not here: start-up is awaited before the first answer.
const outboxWorker = () => import("@/lib/outbox/worker");

/**
 * Server start-up, in the Node.js runtime: a bad setting stops the process with a message naming it
 * (a server that cannot read its settings would answer every request with a 500), and the embedded
 * database is opened (and migrated) before the first request rather than during it. Every cold
 * start waits for this, the proxy's on Vercel too, so on PostgreSQL (migrated by npm run
 * db:migrate) it loads no database code: the first request that needs the database opens it.
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
  const { DATABASE_URL, VERCEL, OUTBOX_INTERVAL_SECONDS } = env();
  if (!DATABASE_URL) {
    const { getDb } = await import("@/lib/db/client");
    await getDb();
  }
  // What a request queues is delivered right after it (on Vercel, after the response).
  setOutboxWorker(async (onWake) => (await outboxWorker()).drainOutbox({ onWake }));
  // A long-running server also delivers what waits on a timer; on Vercel the cron job in
  // vercel.json does.
  if (!VERCEL) {
    const tick = () => {
      outboxWorker()
        .then(({ drainOutbox }) => drainOutbox({ prune: true }))
        .catch((error: unknown) => {
          console.error(`[outbox] drain failed: ${error instanceof Error ? error.name : typeof error}`);
        });
    };
    setInterval(tick, OUTBOX_INTERVAL_SECONDS * 1000).unref();
    // Once an hour: spam past its retention goes, and each user's next morning digest is queued.
    const hourly = () => {
      import("@/lib/forms/review")
        .then(({ purgeOldSpam }) => purgeOldSpam())
        .catch((error: unknown) => {
          console.error(`[review] spam purge failed: ${error instanceof Error ? error.name : typeof error}`);
        });
      import("@/lib/alerts/digest")
        .then(({ scheduleDigests }) => scheduleDigests())
        .catch((error: unknown) => {
          console.error(
            `[alerts] digest scheduling failed: ${error instanceof Error ? error.name : typeof error}`,
          );
        });
    };
    setInterval(hourly, 3_600_000).unref();
    setTimeout(hourly, 60_000).unref();
  }
}
