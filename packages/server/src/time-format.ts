/** Times are stored in UTC and shown in Asia/Shanghai (UTC+8, no daylight saving). */
const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/** `2026-11-26 08:30` in Asia/Shanghai. */
export function shanghaiTime(ms: number): string {
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** `2026-11-26`: the calendar date in Asia/Shanghai. */
export function shanghaiDate(ms: number): string {
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** `2024年6月15日 08:30–10:00` in Asia/Shanghai; the end shows its own date when it falls on another day. */
export function shanghaiSpanZh(startMs: number, endMs: number): string {
  const day = (ms: number) => shanghaiDate(ms).replace(/^(\d+)-0?(\d+)-0?(\d+)$/, '$1年$2月$3日');
  const clock = (ms: number) => shanghaiTime(ms).slice(11);
  const startDay = day(startMs), endDay = day(endMs);
  return `${startDay} ${clock(startMs)}–${endDay === startDay ? '' : `${endDay} `}${clock(endMs)}`;
}
