/** The leads list's state lives in the URL: these keys, nothing else, in this order. */
export const LIST_KEYS = ["search", "stage", "tags", "archived", "limit", "page"] as const;

/** The list's own query string from any parameters: its keys only, in their order. */
export function listQueryString(get: (key: string) => string | null | undefined): string {
  const query = new URLSearchParams();
  for (const key of LIST_KEYS) {
    const value = get(key);
    if (value) query.set(key, value);
  }
  return query.toString();
}
