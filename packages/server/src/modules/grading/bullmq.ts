import { Job, Queue, QueueEvents, type ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { GradingResult } from '@kaowu/core';
import type { AppContext } from '../../context.ts';
import { GraderUnavailable, type GradingBackend } from './backend.ts';
import { claimJob } from './jobs.ts';
import { jobInput, type JobInput } from './job-input.ts';
import { applyFailure, applyResult } from './attempt-score.ts';
import type { SandboxStatus } from './sandbox-port.ts';

export const GRADING_QUEUE = 'kaowu-grading';
export const SAMPLES_QUEUE = 'kaowu-samples';
/** Workers announce a working sandbox under this key (with a TTL), so app nodes can tell candidates and operators. */
export const WORKER_STATUS_KEY = 'kaowu:grader:workers';

export interface GradingJobData {
  jobId: string;
  input: JobInput;
}

export function redisConnection(url: string) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    maxRetriesPerRequest: null,
  } satisfies ConnectionOptions;
}

/** Workers seen within this long count as online. */
const WORKER_TTL_MS = 30_000;

/** The sorted set of grading workers by last heartbeat. */
export class WorkerRegistry {
  private readonly redis: Redis;
  private readonly key: string;
  constructor(url: string, prefix: string) {
    this.redis = new Redis({ ...redisConnection(url), lazyConnect: false });
    this.key = `${prefix}:${WORKER_STATUS_KEY}`;
  }
  announce(workerId: string) {
    return this.redis.zadd(this.key, Date.now(), workerId);
  }
  leave(workerId: string) {
    return this.redis.zrem(this.key, workerId);
  }
  async online(): Promise<number> {
    return this.redis.zcount(this.key, Date.now() - WORKER_TTL_MS, '+inf');
  }
  async close() {
    await this.redis.quit();
  }
}

export interface BullmqOptions {
  redisUrl: string;
  /** Key prefix, so tests and installations sharing a Redis stay apart. */
  prefix?: string;
  pollMs?: number;
  /** How long a dispatched job may stay unfinished before the node looks at it again. */
  leaseMs?: number;
}

/**
 * Grading by workers on other hosts (`npm run grader`) through Redis. This
 * node moves queued jobs from the database to BullMQ (job id = grading job
 * id, so a second dispatch is a no-op) and records results as they complete;
 * a job whose lease runs out is reconciled with its BullMQ state, so a lost
 * event costs a delay, never a result. Workers need no database access.
 */
export class BullmqGrading implements GradingBackend {
  readonly kind = 'bullmq' as const;
  private readonly connection: ConnectionOptions;
  private readonly queue: Queue<GradingJobData, GradingResult>;
  private readonly samples: Queue<GradingJobData, GradingResult>;
  private readonly events: QueueEvents;
  private readonly sampleEvents: QueueEvents;
  private readonly workers: WorkerRegistry;
  private timer?: NodeJS.Timeout;
  private stopped = true;
  private pumping = false;

  constructor(private readonly ctx: AppContext, private readonly opts: BullmqOptions) {
    this.connection = redisConnection(opts.redisUrl);
    const common = { connection: this.connection, prefix: opts.prefix ?? 'kaowu' };
    this.queue = new Queue(GRADING_QUEUE, common);
    this.samples = new Queue(SAMPLES_QUEUE, common);
    this.events = new QueueEvents(GRADING_QUEUE, common);
    this.sampleEvents = new QueueEvents(SAMPLES_QUEUE, common);
    this.workers = new WorkerRegistry(opts.redisUrl, common.prefix);
  }

  start(): void {
    this.stopped = false;
    this.events.on('completed', ({ jobId, returnvalue }) => void this.complete(jobId, returnvalue as unknown as GradingResult));
    this.events.on('failed', ({ jobId, failedReason }) => void this.failed(jobId, failedReason));
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

  private async complete(jobId: string, returned: GradingResult | string) {
    try {
      const result = typeof returned === 'string' ? (JSON.parse(returned) as GradingResult) : returned;
      const job = await this.ctx.db.selectFrom('grading_jobs').select('attempt_id').where('id', '=', jobId).executeTakeFirst();
      if (job) await applyResult(this.ctx, job.attempt_id, jobId, result);
    } catch (err) {
      this.ctx.log.error({ err, jobId }, 'recording a grading result');
    }
  }

  private async failed(jobId: string, reason: string) {
    const job = await Job.fromId<GradingJobData, GradingResult>(this.queue, jobId);
    // BullMQ retries by itself; only its last failure fails the grading job.
    if (job && job.attemptsMade < (job.opts.attempts ?? 1)) return;
    const row = await this.ctx.db.selectFrom('grading_jobs').select('attempt_id').where('id', '=', jobId).executeTakeFirst();
    if (row) await applyFailure(this.ctx, row.attempt_id, jobId, reason);
  }

  private async pump(): Promise<void> {
    if (this.stopped || this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        const claimed = await claimJob(this.ctx.db, this.ctx.dialect, this.ctx.clock.now(), this.opts.leaseMs ?? 10 * 60_000);
        if (!claimed) break;
        const existing = await Job.fromId<GradingJobData, GradingResult>(this.queue, claimed.id);
        const state = existing ? await existing.getState() : 'unknown';
        if (existing && state === 'completed') await this.complete(claimed.id, existing.returnvalue);
        else if (existing && state === 'failed') await existing.retry();
        else if (!existing || state === 'unknown') {
          const input = await jobInput(this.ctx, claimed.attempt_id, claimed.question_id);
          await this.queue.add('grade', { jobId: claimed.id, input }, {
            jobId: claimed.id,
            attempts: 3,
            backoff: { type: 'exponential', delay: 2000 },
            removeOnComplete: { age: 7 * 24 * 3600 },
            removeOnFail: { age: 30 * 24 * 3600 },
          });
        }
        // Otherwise it is waiting or being worked on: the new lease covers it.
      }
    } catch (err) {
      this.ctx.log.error({ err }, 'grading dispatch');
    } finally {
      this.pumping = false;
    }
    if (!this.stopped) this.schedule(this.opts.pollMs ?? 500);
  }

  async runSamples(input: JobInput): Promise<GradingResult> {
    const status = await this.sandboxStatus();
    if (!status.available) throw new GraderUnavailable(status.reason ?? '没有可用的判分机');
    const job = await this.samples.add('samples', { jobId: '', input }, { removeOnComplete: { age: 600 }, removeOnFail: { age: 600 } });
    return job.waitUntilFinished(this.sampleEvents, 20_000);
  }

  async sandboxStatus(): Promise<SandboxStatus> {
    const now = Date.now();
    return (await this.workers.online()) > 0
      ? { available: true, checkedAt: now }
      : { available: false, reason: '没有在线的判分机（npm run grader），判分任务将排队等待', checkedAt: now };
  }

  async close(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await Promise.all([this.events.close(), this.sampleEvents.close()]);
    await Promise.all([this.queue.close(), this.samples.close(), this.workers.close()]);
  }
}
