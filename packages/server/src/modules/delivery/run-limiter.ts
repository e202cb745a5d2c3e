/**
 * Per-attempt limits on the Run button: one run at a time, and a bucket of
 * RUNS runs refilled one per REFILL_MS. Kept in memory per node: a candidate
 * talks to one node at a time, and the worst case of a reconnect elsewhere
 * is a fresh bucket.
 */
const RUNS = 6;
const REFILL_MS = 10_000;

export class RunLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number; busy: boolean }>();

  /** 0 when the run may start (and is counted), else seconds to wait. */
  acquire(key: string, now: number): number {
    const b = this.buckets.get(key) ?? { tokens: RUNS, at: now, busy: false };
    b.tokens = Math.min(RUNS, b.tokens + (now - b.at) / REFILL_MS);
    b.at = now;
    this.buckets.set(key, b);
    if (b.busy) return 3;
    if (b.tokens < 1) return Math.ceil(((1 - b.tokens) * REFILL_MS) / 1000);
    b.tokens -= 1;
    b.busy = true;
    if (this.buckets.size > 100_000) this.buckets.clear();
    return 0;
  }

  release(key: string): void {
    const b = this.buckets.get(key);
    if (b) b.busy = false;
  }
}
