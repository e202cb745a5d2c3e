import { performance } from 'node:perf_hooks';
import { round } from './stats.ts';

export interface OpenLoopResult {
  /** Tasks started. */
  started: number;
  /** Tasks never started because the phase hit its time limit. */
  notStarted: number;
  /** How late the scheduler started a task compared with its planned time (the client's own lag). */
  maxStartLagMs: number;
  p99StartLagMs: number;
  /** Tasks still running when the drain limit was hit (their replies are not counted). */
  abandoned: number;
}

/**
 * Open-loop arrivals: task i starts at `times[i]` ms after the start (times
 * sorted ascending), whether or not earlier tasks have finished — like real
 * candidates, who do not wait for one another. No task starts after
 * `stopAfterMs`; the phase then waits at most `drainMs` for running tasks.
 */
export function openLoop(
  times: Float64Array,
  task: (i: number) => Promise<void>,
  opts: { stopAfterMs: number; drainMs: number },
): Promise<OpenLoopResult> {
  const n = times.length;
  const lags = new Float64Array(n);
  return new Promise((resolve) => {
    const start = performance.now();
    let i = 0;
    let outstanding = 0;
    let stopped = false;
    let resolved = false;
    let drainTimer: NodeJS.Timeout | undefined;
    const done = (abandoned: number) => {
      if (resolved) return;
      resolved = true;
      if (drainTimer) clearTimeout(drainTimer);
      const l = lags.subarray(0, i).sort();
      resolve({
        started: i,
        notStarted: n - i,
        maxStartLagMs: round(i ? l[i - 1]! : 0),
        p99StartLagMs: round(i ? l[Math.min(i - 1, Math.ceil(0.99 * i) - 1)]! : 0),
        abandoned,
      });
    };
    const finished = () => {
      outstanding--;
      if ((stopped || i >= n) && outstanding === 0) done(0);
    };
    const tick = () => {
      const now = performance.now() - start;
      if (now > opts.stopAfterMs) stopped = true;
      while (!stopped && i < n && times[i]! <= now) {
        lags[i] = now - times[i]!;
        outstanding++;
        task(i).then(finished, finished);
        i++;
      }
      if (!stopped && i < n) {
        setTimeout(tick, Math.min(20, Math.max(1, times[i]! - now)));
      } else if (outstanding === 0) {
        done(0);
      } else {
        drainTimer = setTimeout(() => done(outstanding), opts.drainMs);
      }
    };
    tick();
  });
}

/**
 * Closed loop: `concurrency` workers, each starting its next operation as soon
 * as the last one finished, until `durationMs` has passed. Returns the wall time
 * from start to the last operation's end.
 */
export async function closedLoop(concurrency: number, durationMs: number, op: () => Promise<void>): Promise<number> {
  const start = performance.now();
  const end = start + durationMs;
  const worker = async () => {
    while (performance.now() < end) await op();
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return performance.now() - start;
}

/** Sorted uniform random times in [0, windowMs). */
export function uniformArrivals(n: number, windowMs: number, random: () => number): Float64Array {
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) t[i] = random() * windowMs;
  return t.sort();
}

/** A small seeded PRNG (mulberry32), so that runs are repeatable. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
