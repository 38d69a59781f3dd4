/** A day's opening hours, "HH:MM" on a 24-hour clock with close after open; null when closed. */
export type DayHours = { open: string; close: string } | null;

/** Seven days of hours, Monday first (index 0) to Sunday (index 6). */
export type BusinessHours = DayHours[];

/** A person's do-not-disturb window, "HH:MM"; it may wrap past midnight, and from === to means none. */
export type QuietHours = { from: string; to: string } | null;

const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** What a company has until an admin sets its hours: Monday to Friday, 8 to 6. */
export const DEFAULT_HOURS: BusinessHours = Array.from({ length: 7 }, (_, i) =>
  i < 5 ? { open: "08:00", close: "18:00" } : null,
);

/** Minutes since midnight for "HH:MM", or null when the text is not a time of day. */
function clockMinutes(hhmm: unknown): number | null {
  if (typeof hhmm !== "string") return null;
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

function readDay(value: unknown): DayHours | undefined {
  if (value === null) return null;
  if (typeof value !== "object") return undefined;
  const { open, close } = value as Record<string, unknown>;
  const from = clockMinutes(open);
  const to = clockMinutes(close);
  return from !== null && to !== null && to > from
    ? { open: open as string, close: close as string }
    : undefined;
}

/**
 * Reads hours as stored (companies.business_hours, jsonb that nothing in the database checks),
 * taking each day that reads as valid and the default for any that does not, so a bad entry costs
 * one day rather than the whole week. Never throws.
 */
export function parseHours(value: unknown): BusinessHours {
  const days = Array.isArray(value) ? value : [];
  return DEFAULT_HOURS.map((fallback, i) => {
    const day = readDay(days[i]);
    if (day === undefined) return fallback && { ...fallback };
    return day;
  });
}

/** Whether the runtime knows `tz` as a time zone; the other functions throw a RangeError for one it does not. */
export function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

// Building a formatter costs far more than using one, and the searches below format dozens of instants.
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's wall clock at `ms`, written as if that reading were a UTC instant. */
function wallClock(ms: number, timeZone: string): number {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, format);
  }
  const part: Record<string, number> = {};
  for (const { type, value } of format.formatToParts(ms)) part[type] = Number(value);
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = part;
  // Some ICU versions write midnight as hour 24 even under h23.
  const wall = Date.UTC(year, month - 1, day, hour % 24, minute, second);
  return wall + (((ms % 1000) + 1000) % 1000);
}

/** The local weekday (0 = Monday), minutes since local midnight and local date (YYYY-MM-DD) of an instant. */
export function localParts(at: Date, timeZone: string): { weekday: number; minutes: number; date: string } {
  const wall = new Date(wallClock(at.getTime(), timeZone));
  return {
    weekday: (wall.getUTCDay() + 6) % 7,
    minutes: wall.getUTCHours() * 60 + wall.getUTCMinutes(),
    date: wall.toISOString().slice(0, 10),
  };
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

/**
 * Every instant, earliest first, at which the zone's clock reads `minutes` past midnight on `date`:
 * two when the clocks fall back over it, and when they spring forward over it, the one instant
 * that ends the gap (the first moment the clock reads later than it).
 */
function wallInstants(date: string, minutes: number, timeZone: string): number[] {
  const target = Date.parse(`${date}T00:00:00Z`) + minutes * MINUTE;
  // Any offset the zone uses near the target; a day either side covers every zone's reach.
  const offsets = [...new Set([-DAY, 0, DAY].map((d) => wallClock(target + d, timeZone) - (target + d)))];
  const exact = offsets
    .map((offset) => target - offset)
    .filter((t) => wallClock(t, timeZone) === target)
    .sort((a, b) => a - b);
  if (exact.length > 0) return exact;
  let before = target - Math.max(...offsets);
  let after = target - Math.min(...offsets);
  while (after - before > 1) {
    const mid = Math.floor((before + after) / 2);
    if (wallClock(mid, timeZone) >= target) after = mid;
    else before = mid;
  }
  return [after];
}

/**
 * The instant the zone's clock reads `minutes` past midnight on `date` (YYYY-MM-DD). A time the
 * clocks skip becomes the end of the skip; a time they repeat, its first occurrence.
 */
export function zonedTime(date: string, minutes: number, timeZone: string): Date {
  return new Date(Math.min(...wallInstants(date, minutes, timeZone)));
}

/** Whether the business is open at `at`, by its own clock. */
export function isOpen(hours: BusinessHours, timeZone: string, at: Date): boolean {
  const { weekday, minutes } = localParts(at, timeZone);
  const day = hours[weekday];
  if (!day) return false;
  const open = clockMinutes(day.open);
  const close = clockMinutes(day.close);
  return open !== null && close !== null && minutes >= open && minutes < close;
}

/**
 * When the business is next open: `at` itself when it is open then, else the next opening within
 * eight days, or null when it opens on none of them.
 */
export function nextOpening(hours: BusinessHours, timeZone: string, at: Date): Date | null {
  if (isOpen(hours, timeZone, at)) return at;
  const { weekday, date } = localParts(at, timeZone);
  for (let i = 0; i <= 8; i++) {
    const open = clockMinutes(hours[(weekday + i) % 7]?.open);
    if (open === null) continue;
    const start = wallInstants(addDays(date, i), open, timeZone).find((t) => t >= at.getTime());
    // An opening time the clocks skip lands on the end of the skip, which may already be past closing.
    if (start !== undefined && isOpen(hours, timeZone, new Date(start))) return new Date(start);
  }
  return null;
}

/** A shop-sign time: 12-hour, no am/pm, minutes only when there are some ("8", "8:30", "12"). */
function signTime(minutes: number): string {
  const hour = Math.floor(minutes / 60) % 12 || 12;
  const minute = minutes % 60;
  return minute === 0 ? String(hour) : `${hour}:${String(minute).padStart(2, "0")}`;
}

/** The week's hours in a line, consecutive days with the same hours together: "Mon–Fri 8–6, Sat 9–1". */
export function describeHours(hours: BusinessHours): string {
  const groups: { first: number; last: number; text: string }[] = [];
  hours.slice(0, 7).forEach((day, i) => {
    const open = clockMinutes(day?.open);
    const close = clockMinutes(day?.close);
    if (open === null || close === null) return;
    const text = `${signTime(open)}–${signTime(close)}`;
    const previous = groups.at(-1);
    if (previous && previous.last === i - 1 && previous.text === text) previous.last = i;
    else groups.push({ first: i, last: i, text });
  });
  if (groups.length === 0) return "Closed";
  const short = (i: number) => WEEKDAYS[i]?.slice(0, 3);
  return groups
    .map(({ first, last, text }) => `${short(first)}${last > first ? `–${short(last)}` : ""} ${text}`)
    .join(", ");
}

function clockText(minutes: number): string {
  return `${signTime(minutes)} ${minutes < 12 * 60 ? "am" : "pm"}`;
}

/**
 * When `at` is, as a visitor at `now` is told it: "today at 2 pm", "tomorrow at 8 am",
 * "Monday at 8:30 am" within the week, "Mon, Dec 14 at 8 am" beyond it; by the zone's clock.
 */
export function describeWhen(at: Date, timeZone: string, now: Date): string {
  const when = localParts(at, timeZone);
  const today = localParts(now, timeZone);
  const days = Math.round((Date.parse(when.date) - Date.parse(today.date)) / DAY);
  const time = clockText(when.minutes);
  if (days === 0) return `today at ${time}`;
  if (days === 1) return `tomorrow at ${time}`;
  const weekday = WEEKDAYS[when.weekday] ?? "";
  if (days > 1 && days < 7) return `${weekday} at ${time}`;
  const [, month = 1, day = 1] = when.date.split("-").map(Number);
  return `${weekday.slice(0, 3)}, ${MONTHS[month - 1]} ${day} at ${time}`;
}

/** Whether `at` falls in the quiet hours, by the zone's clock; unreadable hours are no quiet hours. */
export function inQuietHours(quiet: QuietHours, timeZone: string, at: Date): boolean {
  const from = clockMinutes(quiet?.from);
  const to = clockMinutes(quiet?.to);
  if (from === null || to === null || from === to) return false;
  const { minutes } = localParts(at, timeZone);
  return from < to ? minutes >= from && minutes < to : minutes >= from || minutes < to;
}

/**
 * The next instant after `after` at which the zone's clock reads `hhmm`, such as the end of quiet
 * hours; a time the clocks skip that day becomes the end of the skip. Throws a RangeError for a
 * malformed `hhmm`.
 */
export function nextLocalTime(hhmm: string, timeZone: string, after: Date): Date {
  const minutes = clockMinutes(hhmm);
  if (minutes === null) throw new RangeError(`Not a time of day: ${hhmm}`);
  for (let date = localParts(after, timeZone).date; ; date = addDays(date, 1)) {
    const next = wallInstants(date, minutes, timeZone).find((t) => t > after.getTime());
    if (next !== undefined) return new Date(next);
  }
}

/** The last minute of the local day `at` falls on (23:59 there), for "today or before". */
export function endOfLocalDay(at: Date, timeZone: string): Date {
  return zonedTime(localParts(at, timeZone).date, 24 * 60 - 1, timeZone);
}
