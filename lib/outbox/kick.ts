/**
 * Starting the outbox's worker soon after new work is queued, without waiting for it: one drain at
 * a time per process, which takes new work on a free place of its own while it runs (so that work
 * queued behind a hanging delivery does not wait for it), or another drain shortly after when it
 * was finishing. On Vercel the drain runs after the response (Next.js's `after`), and the cron job
 * catches up on anything left. Kept apart from lib/outbox so that the lead writes and lib/webhooks
 * can kick without importing it.
 */
let running: Promise<void> | null = null;
let wake: (() => boolean) | null = null;
let again = false;

async function drain(): Promise<void> {
  const { drainOutbox } = await import("./index");
  await drainOutbox({ onWake: (next) => (wake = next) });
}

export function kickOutbox(): void {
  if (running) {
    if (!wake?.()) again = true;
    return;
  }
  running = drain()
    .catch((error: unknown) => {
      console.error(`[outbox] drain failed: ${error instanceof Error ? error.name : typeof error}`);
    })
    .finally(() => {
      running = null;
      wake = null;
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
