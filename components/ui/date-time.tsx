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

/** How long ago, as people say it: "just now", "5 min ago", "3 h ago", "yesterday", "4 days ago". */
export function formatAgo(value: Date | string, now: Date): string {
  const then = new Date(value).getTime();
  if (Number.isNaN(then)) return String(value);
  const minutes = Math.floor((now.getTime() - then) / 60_000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  if (days === 1) return "yesterday";
  if (days < 30) return `${days} days ago`;
  return formatDay(new Date(then).toISOString().slice(0, 10));
}

/** A span of minutes as people say it: "4 min", "1 h 20 min", "2 days". */
export function formatMinutes(minutes: number): string {
  if (minutes < 1) return "under a minute";
  if (minutes < 60) return `${Math.round(minutes)} min`;
  if (minutes < 24 * 60) {
    const h = Math.floor(minutes / 60);
    const m = Math.round(minutes % 60);
    return m ? `${h} h ${m} min` : `${h} h`;
  }
  const days = Math.round(minutes / (24 * 60));
  return `${days} day${days === 1 ? "" : "s"}`;
}

/**
 * A moment as how long ago it was, with the exact time on hover and for screen readers' `dateTime`.
 * The text depends on when it is rendered, so the browser's hydration may write a newer one.
 */
export function Ago({ value, now }: { value: Date | string; now: Date }) {
  const date = new Date(value);
  return (
    <time dateTime={date.toISOString()} title={formatDateTime(date)} suppressHydrationWarning>
      {formatAgo(date, now)}
    </time>
  );
}
