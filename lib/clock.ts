/** The time source for anything that depends on "now" (daily limits, timestamps); tests replace it. */
let source: () => Date = () => new Date();

export function now(): Date {
  return source();
}

/** `now()` in epoch milliseconds, for expiry arithmetic. */
export function nowMs(): number {
  return source().getTime();
}

export function setClock(next: (() => Date) | null): void {
  source = next ?? (() => new Date());
}

/**
 * The system clock, which tests cannot move: only for comparing with what a library stamped from it
 * (next-auth's token expiry, lib/auth/session.ts). Everything else uses `now()`.
 */
export function systemNowMs(): number {
  return Date.now();
}
