/**
 * Every date the admin shows, in one format: "Mar 4, 2026, 3:05 PM UTC". The zone is fixed, and the
 * text is joined here rather than by the runtime's ICU data (whose spaces and separators change between
 * versions), so the server's render and the browser's hydration write the same text.
 */
const PARTS = new Intl.DateTimeFormat("en-US", {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "numeric",
  minute: "2-digit",
  hourCycle: "h12",
  timeZone: "UTC",
});

function partsOf(value: Date | string): Partial<Record<Intl.DateTimeFormatPartTypes, string>> | null {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return null;
  return Object.fromEntries(PARTS.formatToParts(date).map((part) => [part.type, part.value]));
}

/** A moment, such as "Mar 4, 2026, 3:05 PM UTC". Text that is not a date (Rotor's, say) is shown as is. */
export function formatDateTime(value: Date | string): string {
  const p = partsOf(value);
  return p ? `${p.month} ${p.day}, ${p.year}, ${p.hour}:${p.minute} ${p.dayPeriod} UTC` : String(value);
}

/** A calendar day given as YYYY-MM-DD, such as "Mar 4, 2026". */
export function formatDay(day: string): string {
  const p = partsOf(day);
  return p ? `${p.month} ${p.day}, ${p.year}` : day;
}

/** A moment in a `<time>` element, or `fallback` when there is none. */
export function DateTime({ value, fallback = "—" }: { value: Date | string | null; fallback?: string }) {
  if (value === null) return fallback;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return <time dateTime={date.toISOString()}>{formatDateTime(date)}</time>;
}
