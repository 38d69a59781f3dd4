/** Splits a comma-separated tag filter into distinct lower-cased tags. */
export function parseTagFilter(value: string | undefined): string[] {
  if (!value) return [];
  return [...new Set(value.split(",").map((t) => t.trim().toLowerCase()))].filter((t) => t !== "");
}
