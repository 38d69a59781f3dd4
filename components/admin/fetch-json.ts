import type { ErrorBody } from "@/lib/api/errors";

export class RequestFailed extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(body.message);
  }

  /** Field messages by field name. */
  get fields(): Record<string, string> {
    return Object.fromEntries((this.body.errors ?? []).map((e) => [e.field, e.message]));
  }
}

/** A JSON request to the admin API; a non-2xx answer throws RequestFailed with the error body. */
export async function fetchJson<T>(url: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(url, {
    method: init.method ?? "GET",
    headers: init.body === undefined ? undefined : { "content-type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = { status: "error", message: `The server answered ${response.status}` };
  }
  if (response.status === 401) {
    // The session ended (signed out elsewhere, a new password, another role, removed): a full load
    // of sign-in, which the server answers, then back here.
    const back = encodeURIComponent(window.location.pathname + window.location.search);
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination
    window.location.assign(`/admin/sign-in?notice=session-ended&callbackUrl=${back}`);
  }
  if (!response.ok) throw new RequestFailed(response.status, body as ErrorBody);
  return body as T;
}
