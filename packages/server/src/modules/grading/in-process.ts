import type { AppContext } from '../../context.ts';
import type { GradingResult } from '@kaowu/core';
import { GraderUnavailable, type GradingBackend } from './backend.ts';
import { claimJob, releaseJob, type ClaimedJob } from './jobs.ts';
import { graderAnswer, jobInput, type JobInput } from './job-input.ts';
import { applyFailure, applyResult } from './attempt-score.ts';
import type { SandboxGrader, SandboxStatus } from './sandbox-port.ts';

export interface InProcessOptions {
  /** Jobs graded at once (the grader's sandbox slots). */
  concurrency: number;
  pollMs?: number;
  /** A job whose worker died is claimed again after this long. */
  leaseMs?: number;
  maxTries?: number;
}

/**
 * Grading in this process: leases jobs from the database and runs them in the
 * local sandbox. A process killed mid-job leaves a lease that runs out, and the
 * job is graded again; a result is recorded once.
 */
export class InProcessGrading implements GradingBackend {
  readonly kind = 'in-process' as const;
  private grader?: SandboxGrader;
  private running = 0;
  private stopped = true;
  private timer?: NodeJS.Timeout;
  private status?: SandboxStatus;
  private readonly idle = new Set<() => void>();

  constructor(
    private readonly ctx: AppContext,
    private readonly makeGrader: () => SandboxGrader,
    private readonly opts: InProcessOptions,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  wake(): void {
    if (!this.stopped) this.schedule(0);
  }

  private schedule(ms: number) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.pump(), ms);
    this.timer.unref();
  }

  private sandbox(): SandboxGrader {
    this.grader ??= this.makeGrader();
    return this.grader;
  }

  async sandboxStatus(): Promise<SandboxStatus> {
    // The probe starts a sandbox: done once, and again a while after a failure.
    if (this.status && (this.status.available || this.ctx.clock.now() - this.status.checkedAt < 10_000)) return this.status;
    const s = await this.sandbox().status();
    this.status = { ...s, checkedAt: this.ctx.clock.now() };
    if (!s.available) this.ctx.log.error({ reason: s.reason }, 'grading sandbox unavailable; jobs wait');
    return this.status;
  }

  private async pump(): Promise<void> {
    if (this.stopped) return;
    try {
      while (!this.stopped && this.running < this.opts.concurrency) {
        const job = await claimJob(this.ctx.db, this.ctx.dialect, this.ctx.clock.now(), this.opts.leaseMs ?? 120_000);
        if (!job) break;
        if (!(await this.sandboxStatus()).available) {
          await releaseJob(this.ctx.db, job.id, this.status?.reason ?? '判分沙箱不可用', this.ctx.clock.now(), false);
          break;
        }
        this.running++;
        void this.grade(job).finally(() => {
          this.running--;
          if (this.running === 0) for (const f of this.idle) f();
          this.wake();
        });
      }
    } catch (err) {
      this.ctx.log.error({ err }, 'grading queue');
    }
    if (!this.stopped) this.schedule(this.status?.available === false ? 10_000 : (this.opts.pollMs ?? 500));
  }

  private async grade(job: ClaimedJob): Promise<void> {
    const now = () => this.ctx.clock.now();
    try {
      const input = await jobInput(this.ctx, job.attempt_id, job.question_id);
      const result = await this.sandbox().grade(input.task, graderAnswer(input), { samplesOnly: false });
      await applyResult(this.ctx, job.attempt_id, job.id, result);
    } catch (err) {
      const unavailable = err instanceof Error && err.name === 'SandboxUnavailable';
      if (unavailable) this.status = { available: false, reason: (err as Error & { reason?: string }).reason ?? err.message, checkedAt: now() };
      const fail = !unavailable && job.tries >= (this.opts.maxTries ?? 3);
      this.ctx.log.error({ err, jobId: job.id, tries: job.tries }, 'grading job failed');
      const message = err instanceof Error ? err.message : String(err);
      if (fail) await applyFailure(this.ctx, job.attempt_id, job.id, message);
      else await releaseJob(this.ctx.db, job.id, message, now(), false);
    }
  }

  async runSamples(input: JobInput): Promise<GradingResult> {
    const status = await this.sandboxStatus();
    if (!status.available) throw new GraderUnavailable(status.reason ?? '判分沙箱不可用');
    return this.sandbox().grade(input.task, graderAnswer(input), { samplesOnly: true });
  }

  /** Resolves when no job is being graded (tests, shutdown). */
  private drained(): Promise<void> {
    return this.running === 0 ? Promise.resolve() : new Promise((resolve) => this.idle.add(resolve));
  }

  async close(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.drained();
    await this.grader?.close();
  }
}
