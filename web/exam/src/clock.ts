// Server-authoritative clock. Pure logic: the local time source is injected, so
// it can be tested under Node with a fake one.
//
// A sample is taken from any response that carries `serverNow`:
//   offset = serverNow + rtt/2 − localReceivedAt
// i.e. the server stamped its time, on average, half a round trip before the
// response arrived. The true offset lies within ±rtt/2 of that value, so the
// sample with the smallest round trip is the most precise. When a new sample
// is inconsistent with the kept ones (their ±rtt/2 intervals do not overlap,
// beyond a small tolerance) the local clock or the server clock has jumped and
// the old samples are dropped.

export interface ClockSample {
  /** serverTime − localTime, in ms */
  offset: number;
  /** round trip, in ms */
  rtt: number;
  /** local time the sample was taken */
  takenAt: number;
}

export function parseTime(value: string | number): number {
  return typeof value === 'number' ? value : Date.parse(value);
}

/** Builds a sample from one request: local send/receive times and the server's `serverNow`. */
export function makeSample(sentAt: number, receivedAt: number, serverNow: string | number): ClockSample | null {
  const server = parseTime(serverNow);
  if (!isFinite(server) || !isFinite(sentAt) || !isFinite(receivedAt)) return null;
  const rtt = Math.max(0, receivedAt - sentAt);
  return { offset: server + rtt / 2 - receivedAt, rtt, takenAt: receivedAt };
}

/**
 * The local time source. In the browser it is monotonic (performance.now() from
 * the page's time origin), so a local wall clock changed during the exam does
 * not move the countdown; before the first sync it reads like Date.now().
 */
export function defaultLocalNow(): () => number {
  if (typeof performance !== 'undefined' && typeof performance.now === 'function') {
    const origin =
      typeof performance.timeOrigin === 'number' && performance.timeOrigin > 0
        ? performance.timeOrigin
        : Date.now() - performance.now();
    return () => origin + performance.now();
  }
  return () => Date.now();
}

export interface ClockOptions {
  /** how many recent samples are kept */
  maxSamples?: number;
  /** samples older than this (local ms) are forgotten */
  maxAgeMs?: number;
  /** allowed disagreement between samples beyond their ±rtt/2 bounds */
  toleranceMs?: number;
}

export class ServerClock {
  readonly localNow: () => number;
  private samples: ClockSample[] = [];
  private current = 0;
  private readonly maxSamples: number;
  private readonly maxAgeMs: number;
  private readonly toleranceMs: number;

  constructor(localNow: () => number = defaultLocalNow(), opts: ClockOptions = {}) {
    this.localNow = localNow;
    this.maxSamples = opts.maxSamples ?? 5;
    this.maxAgeMs = opts.maxAgeMs ?? 5 * 60_000;
    this.toleranceMs = opts.toleranceMs ?? 1_000;
  }

  get synced(): boolean {
    return this.samples.length > 0;
  }

  /** serverTime − localTime currently used */
  get offset(): number {
    return this.current;
  }

  /** Best round trip among kept samples (Infinity before the first sync). */
  get precision(): number {
    return this.samples.length ? this.best().rtt / 2 : Infinity;
  }

  /** Adds a sample; returns the offset now in use. */
  add(sample: ClockSample | null): number {
    if (!sample) return this.current;
    const cutoff = sample.takenAt - this.maxAgeMs;
    let kept = this.samples.filter((s) => s.takenAt >= cutoff);
    kept = kept.filter((s) => this.consistent(s, sample));
    kept.push(sample);
    if (kept.length > this.maxSamples) kept = kept.slice(kept.length - this.maxSamples);
    this.samples = kept;
    this.current = this.best().offset;
    return this.current;
  }

  /** Convenience: sample from send/receive times and a `serverNow`. */
  sync(sentAt: number, receivedAt: number, serverNow: string | number): number {
    return this.add(makeSample(sentAt, receivedAt, serverNow));
  }

  /** Current server time, in ms since the epoch. */
  now(): number {
    return this.localNow() + this.current;
  }

  nowIso(): string {
    return new Date(this.now()).toISOString();
  }

  /** ms from now (server time) until the given server time; negative when past. */
  until(at: string | number): number {
    return parseTime(at) - this.now();
  }

  reset(): void {
    this.samples = [];
    this.current = 0;
  }

  private best(): ClockSample {
    let b = this.samples[0] as ClockSample;
    for (const s of this.samples) if (s.rtt < b.rtt) b = s;
    return b;
  }

  private consistent(a: ClockSample, b: ClockSample): boolean {
    return Math.abs(a.offset - b.offset) <= a.rtt / 2 + b.rtt / 2 + this.toleranceMs;
  }
}
