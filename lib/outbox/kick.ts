/**
 * Starting the outbox's worker soon after new work is queued, without waiting for it: one drain at
 * a time per process, which takes new work on a free place of its own while it runs (so that work
 * queued behind a hanging delivery does not wait for it), or another drain shortly after when it
 * was finishing. On Vercel the drain runs after the response (Next.js's `after`), and the cron job
 * catches up on anything left.
 *
 * This module imports nothing of the outbox: what queues work (the lead writes, lib/outbox/queue.ts,
 * lib/webhooks) kicks through it, and the worker is handed to it by whoever composes the process:
 * lib/startup.ts for the server (which loads the worker at the first kick), and the worker itself
 * once something has loaded it (lib/outbox/worker.ts: a script, a test, a route that delivers). Until
 * then a kick starts nothing and the work waits for the timer or the cron job.
 */

/** A drain that hands `onWake` a way to have it look for new work (false once it is finishing). */
export type OutboxDrain = (onWake: (wake: () => boolean) => void) => Promise<unknown>;

interface KickState {
  drain: OutboxDrain | null;
  running: Promise<void> | null;
  wake: (() => boolean) | null;
  again: boolean;
}

// On globalThis: Next.js bundles each route apart, each with its own copy of this module, and the
// worker handed over at start-up, like the drain under way, is the process's.
const holder = globalThis as typeof globalThis & { __leadPortalOutboxKick?: KickState };
const state = (holder.__leadPortalOutboxKick ??= { drain: null, running: null, wake: null, again: false });

/** The drain that kicks start from now on. */
export function setOutboxWorker(drain: OutboxDrain): void {
  state.drain = drain;
}

export function kickOutbox(): void {
  const { drain } = state;
  if (!drain) return;
  if (state.running) {
    if (!state.wake?.()) state.again = true;
    return;
  }
  const running = drain((next) => (state.wake = next))
    .then(() => undefined)
    .catch((error: unknown) => {
      console.error(`[outbox] drain failed: ${error instanceof Error ? error.name : typeof error}`);
    })
    .finally(() => {
      state.running = null;
      state.wake = null;
      if (state.again) {
        state.again = false;
        setTimeout(kickOutbox, 250).unref?.();
      }
    });
  state.running = running;
  void keepAlive(running);
}

/** The drain in progress, if any: tests and a shutting-down server wait for it. */
export async function outboxIdle(): Promise<void> {
  while (state.running) await state.running;
}

async function keepAlive(task: Promise<void>): Promise<void> {
  try {
    const { after } = await import("next/server");
    after(task);
  } catch {
    // Outside a request (a timer, a script, a test): the process lives on by itself.
  }
}
