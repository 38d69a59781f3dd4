/**
 * The union of two tag lists, existing ones first, compared case-insensitively; the first spelling
 * seen is the one kept.
 */
export function mergeTags(existing: readonly string[], incoming: readonly string[]): string[] {
  const seen = new Set<string>();
  const merged: string[] = [];
  for (const tag of [...existing, ...incoming]) {
    const key = tag.toLowerCase();
    if (tag === "" || seen.has(key)) continue;
    seen.add(key);
    merged.push(tag);
  }
  return merged;
}

/** Splits a comma-separated tag filter into lower-cased tags. */
export function parseTagFilter(value: string | undefined): string[] {
  if (!value) return [];
  return mergeTags(
    [],
    value.split(",").map((t) => t.trim().toLowerCase()),
  );
}
