/**
 * Starting the outbox's worker soon after new work is queued, without waiting for it: one drain at
 * a time per process, another right after when more work came in meanwhile. On Vercel the drain
 * runs after the response (Next.js's `after`), and the cron job catches up on anything left.
 */
type Drain = () => Promise<unknown>;

let drain: Drain | null = null;
let running: Promise<void> | null = null;
let again = false;

/** Set once by lib/outbox, which owns the drain (kept apart so that lib/webhooks can kick). */
export function setDrain(next: Drain): void {
  drain = next;
}

export function kickOutbox(): void {
  if (!drain) return;
  if (running) {
    again = true;
    return;
  }
  const task = drain().then(
    () => undefined,
    (error: unknown) => {
      console.error(`[outbox] drain failed: ${error instanceof Error ? error.name : typeof error}`);
    },
  );
  running = task.finally(() => {
    running = null;
    if (again) {
      again = false;
      setTimeout(kickOutbox, 250).unref?.();
    }
  });
  void keepAlive(running);
}

/** The drain in progress, if any: tests and a shutting-down server wait for it. */
export function outboxIdle(): Promise<void> {
  return running ?? Promise.resolve();
}

async function keepAlive(task: Promise<void>): Promise<void> {
  try {
    const { after } = await import("next/server");
    after(task);
  } catch {
    // Outside a request (a timer, a script, a test): the process lives on by itself.
  }
}
