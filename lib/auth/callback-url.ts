/**
 * Where to go after signing in: a path inside the admin, or the admin's home. A callback URL comes
 * from the query string, so anything else (another site, a protocol-relative //host, a backslash
 * trick) would make the sign-in page an open redirect.
 */
export function safeCallbackUrl(value: unknown): string {
  const path = typeof value === "string" ? value : "";
  return /^\/admin(?:[/?#][^\\]*)?$/.test(path) && !/[\u0000-\u001f]/.test(path) ? path : "/admin";
}
