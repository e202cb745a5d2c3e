// Beijing time (UTC+8, no daylight saving) as the front ends show it, worked
// out here independently of their code, for the browser tests to expect.

const OFFSET_MS = 8 * 3600_000;
const at = (t: string | number) => (typeof t === 'number' ? t : Date.parse(t));
const iso = (t: string | number) => new Date(at(t) + OFFSET_MS).toISOString();

/** "2026-11-26 08:30:05". */
export const beijingDateTime = (t: string | number): string => iso(t).slice(0, 19).replace('T', ' ');

/** "2026-11-26 08:30". */
export const beijingMinute = (t: string | number): string => iso(t).slice(0, 16).replace('T', ' ');

/** "2026-11-26". */
export const beijingDate = (t: string | number): string => iso(t).slice(0, 10);

/** "08:30:05" when `t` falls on the Beijing date of `ref`, else the date and time. */
export const beijingNear = (t: string | number, ref: string | number): string =>
  beijingDate(t) === beijingDate(ref) ? beijingDateTime(t).slice(11) : beijingDateTime(t);

/** "2026-11-26 08:30–10:00", the end's date added when a sitting runs past midnight. */
export const beijingRange = (start: string | number, end: string | number): string =>
  `${beijingMinute(start)}–${beijingDate(start) === beijingDate(end) ? beijingMinute(end).slice(11) : beijingMinute(end)}`;

/**
 * How 我的监考 groups a day as the console sees it at `now` (its own clock, the
 * real time): "today" when `day` ("2026-11-26") is the Beijing date of `now`,
 * else "past" or "coming". A sitting started just before Beijing midnight is
 * "past" a moment later.
 */
export const beijingDayGroup = (day: string, now: string | number): 'today' | 'coming' | 'past' => {
  const today = beijingDate(now);
  return day === today ? 'today' : day > today ? 'coming' : 'past';
};
