import { performance } from 'node:perf_hooks';
import { errorKey, type Reply } from './http-client.ts';

export interface LatencySummary {
  p50: number;
  p95: number;
  p99: number;
  maxMs: number;
}

const round = (x: number, digits = 2) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/** Nearest-rank percentiles, in ms. */
export function summarize(latencies: ArrayLike<number>): LatencySummary {
  const n = latencies.length;
  if (n === 0) return { p50: 0, p95: 0, p99: 0, maxMs: 0 };
  const a = Float64Array.from(latencies).sort();
  const p = (q: number) => round(a[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))]!);
  return { p50: p(0.5), p95: p(0.95), p99: p(0.99), maxMs: round(a[n - 1]!) };
}

/** Where `--trace` sends one CSV line per request: name, sent-at (ms since the run began), latency, queued, status, reused socket. */
export const trace: { write: ((line: string) => void) | null; t0: number } = { write: null, t0: performance.now() };

/** Latencies and errors of one kind of request in one phase. */
export class Recorder {
  requests = 0;
  ok = 0;
  /** Latency of every request that got an HTTP response (any status). */
  readonly latencies: number[] = [];
  readonly errors: Record<string, number> = {};
  maxQueuedMs = 0;
  queuedCount = 0;
  t0 = performance.now();
  t1 = this.t0;

  constructor(readonly name = '') {}

  start(): this {
    this.t0 = performance.now();
    this.t1 = this.t0;
    return this;
  }

  record(r: Reply): boolean {
    this.requests++;
    this.t1 = performance.now();
    if (trace.write) trace.write(`${this.name},${(this.t1 - r.ms - trace.t0).toFixed(1)},${r.ms.toFixed(2)},${r.queuedMs.toFixed(1)},${r.status || r.error},${r.reused ? 1 : 0}\n`);
    if (r.queuedMs > 0.5) {
      this.queuedCount++;
      if (r.queuedMs > this.maxQueuedMs) this.maxQueuedMs = r.queuedMs;
    }
    if (r.status !== 0) this.latencies.push(r.ms);
    if (r.status >= 200 && r.status < 300) {
      this.ok++;
      return true;
    }
    const key = errorKey(r);
    this.errors[key] = (this.errors[key] ?? 0) + 1;
    return false;
  }

  /** Counts a request that was never sent (phase cut off by its time limit). */
  notSent(n: number): void {
    if (n > 0) this.errors.NOT_SENT = (this.errors.NOT_SENT ?? 0) + n;
  }

  get errorCount(): number {
    return Object.values(this.errors).reduce((s, n) => s + n, 0);
  }

  get durationS(): number {
    return round((this.t1 - this.t0) / 1000, 3);
  }
}

export function merge(...recs: Recorder[]): Recorder {
  const out = new Recorder();
  out.t0 = Math.min(...recs.map((r) => r.t0));
  out.t1 = Math.max(...recs.map((r) => r.t1));
  for (const r of recs) {
    out.requests += r.requests;
    out.ok += r.ok;
    for (const l of r.latencies) out.latencies.push(l);
    for (const [k, v] of Object.entries(r.errors)) out.errors[k] = (out.errors[k] ?? 0) + v;
    out.queuedCount += r.queuedCount;
    out.maxQueuedMs = Math.max(out.maxQueuedMs, r.maxQueuedMs);
  }
  return out;
}

export { round };
