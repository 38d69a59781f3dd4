/**
 * Waits until the condition holds, checking every intervalMs; fails naming it if it does not in
 * time. The one way tests wait for something to happen: the deadline is wall-clock time, whatever
 * the injected clock (lib/clock) says.
 */
export async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
  intervalMs = 10,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
