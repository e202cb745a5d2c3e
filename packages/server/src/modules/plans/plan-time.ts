/**
 * Dates and times as the console sends them, read in Asia/Shanghai (UTC+8,
 * no daylight saving) unless they carry their own offset. Times are stored UTC.
 */

const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 24 * 3600_000;

/** Whether `s` is a real calendar date written YYYY-MM-DD. */
export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

/** `date` (YYYY-MM-DD) at `time` (HH:mm) Beijing time, in ms; null when either is malformed. */
export function shanghaiMs(date: string, time: string): number | null {
  if (!isCalendarDate(date)) return null;
  const m = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/.exec(time);
  if (!m) return null;
  return Date.parse(`${date}T00:00:00Z`) + Number(m[1]) * 3600_000 + Number(m[2]) * 60_000 + Number(m[3] ?? 0) * 1000 - SHANGHAI_OFFSET_MS;
}

/**
 * A point in time: ISO 8601 with `Z` or an offset (`2024-05-04T09:00:00Z`,
 * `2024-05-04T17:00+08:00`); a date and time without one, read as Beijing time
 * (`2024-05-04 17:00`, `2024-05-04T17:00`); or, when `onDate` is given, a time
 * of day on that date (`08:30`). Null when it is none of these.
 */
export function parseShanghaiDateTime(text: string, onDate?: string): number | null {
  const s = text.trim();
  if (onDate && /^\d{2}:\d{2}(:\d{2})?$/.test(s)) return shanghaiMs(onDate, s);
  const local = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)$/.exec(s);
  if (local) return shanghaiMs(local[1]!, local[2]!);
  const zoned = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)(Z|[+-]\d{2}:\d{2})$/.exec(s);
  if (zoned && isCalendarDate(zoned[1]!)) {
    const ms = Date.parse(s);
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
}

/** The calendar date `days` after (or before, negative) `date`. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Today's date in Beijing. */
export function shanghaiToday(now: number): string {
  return new Date(now + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * The first date on or after `from` that falls where `date` falls in its
 * month — the same weekday, the same week of the month (the last such weekday
 * when that week does not exist) — in `date`'s year or a later one. National
 * sittings are on Saturdays (2024: 5.18, 6.22, 11.23, 12.28), so a 2024
 * preset copied today suggests the same Saturday of a coming year.
 */
export function sameWeekdayOnOrAfter(date: string, from: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  const nth = Math.ceil(d / 7);
  if (date >= from) return date;
  for (let year = Number(from.slice(0, 4)); ; year++) {
    const first = new Date(Date.UTC(year, m - 1, 1)).getUTCDay();
    let day = 1 + ((weekday - first + 7) % 7) + (nth - 1) * 7;
    const daysInMonth = new Date(Date.UTC(year, m, 0)).getUTCDate();
    while (day > daysInMonth) day -= 7;
    const candidate = `${year}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    if (candidate >= from) return candidate;
  }
}
