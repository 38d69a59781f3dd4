/**
 * The origin a request was sent to, as the browser saw it: scheme from X-Forwarded-Proto and host
 * from X-Forwarded-Host or Host. Next.js sets both forwarded headers on every request it serves
 * (keeping a proxy's), while the URL it gives a route handler is built from its own listening
 * address (`http://localhost:PORT` under `next start`), not from what the browser asked for. The
 * request's URL fills in only what the headers lack (a handler called without a server, in tests).
 * Null when the parts do not make an origin.
 */
export function requestOrigin(req: Request): string | null {
  return originOf(req.headers, new URL(req.url));
}

/** The same, from a request's headers alone (a server action or page's), `url` filling what they lack. */
export function originOf(
  headers: Pick<Headers, "get">,
  url: URL = new URL("http://localhost"),
): string | null {
  // A chain of proxies may list several values; the first is the one the client reached.
  const first = (name: string) => headers.get(name)?.split(",")[0]?.trim() || undefined;
  const host = first("x-forwarded-host") ?? first("host") ?? url.host;
  const scheme = (first("x-forwarded-proto") ?? url.protocol.replace(/:$/, "")).toLowerCase();
  // A host with a path, credentials or a query in it is not a host.
  if (!/^https?$/.test(scheme) || /[\s/\\?#@]/.test(host)) return null;
  try {
    return new URL(`${scheme}://${host}`).origin;
  } catch {
    return null;
  }
}
