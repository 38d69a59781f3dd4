/** What one attempt at a message (email, text, push) came to, whichever way it went. */
export type Sent =
  | { ok: true; status: number | null }
  | { ok: false; permanent: boolean; status: number | null; error: string };

/** An HTTP answer that trying again will not change: a 4xx other than 429 (too many, for now). */
export function refusedForGood(status: number | null): boolean {
  return status !== null && status >= 400 && status < 500 && status !== 429;
}

/** A service's answer other than a 2xx, as what came of the attempt. */
export function answeredWith(service: string, status: number): Sent {
  return { ok: false, permanent: refusedForGood(status), status, error: `${service} answered ${status}` };
}

/** A service that could not be reached (no answer, a timeout): worth another try. */
export function unreachable(service: string, error: unknown): Sent {
  const reason = error instanceof Error ? error.name : "error";
  return { ok: false, permanent: false, status: null, error: `${service} could not be reached (${reason})` };
}
