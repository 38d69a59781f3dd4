/**
 * Starting the outbox's worker soon after new work is queued, without waiting for it: one drain at
 * a time per process, another shortly after when more work came in meanwhile. On Vercel the drain
 * runs after the response (Next.js's `after`), and the cron job catches up on anything left. Kept
 * apart from lib/outbox so that the lead writes and lib/webhooks can kick without importing it.
 */
let running: Promise<void> | null = null;
let again = false;

async function drain(): Promise<void> {
  const { drainOutbox } = await import("./index");
  await drainOutbox();
}

export function kickOutbox(): void {
  if (running) {
    again = true;
    return;
  }
  running = drain()
    .catch((error: unknown) => {
      console.error(`[outbox] drain failed: ${error instanceof Error ? error.name : typeof error}`);
    })
    .finally(() => {
      running = null;
      if (again) {
        again = false;
        setTimeout(kickOutbox, 250).unref?.();
      }
    });
  void keepAlive(running);
}

/** The drain in progress, if any: tests and a shutting-down server wait for it. */
export async function outboxIdle(): Promise<void> {
  while (running) await running;
}

async function keepAlive(task: Promise<void>): Promise<void> {
  try {
    const { after } = await import("next/server");
    after(task);
  } catch {
    // Outside a request (a timer, a script, a test): the process lives on by itself.
  }
}
