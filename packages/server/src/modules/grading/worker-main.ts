// `npm run grader`: grading workers for the scale-out mode. They take jobs
// from Redis (REDIS_URL), run them in this host's sandbox and hand results
// back through BullMQ; they never touch the database.
import os from 'node:os';
import { Worker } from 'bullmq';
import pino from 'pino';
import { Grader } from '@kaowu/grader';
import type { GradingResult } from '@kaowu/core';
import { GRADING_QUEUE, SAMPLES_QUEUE, WorkerRegistry, redisConnection, type GradingJobData } from './bullmq.ts';
import { graderAnswer } from './job-input.ts';

const log = pino({ level: process.env.LOG_LEVEL ?? 'info' });
const redisUrl = process.env.REDIS_URL;
if (!redisUrl) {
  log.fatal('REDIS_URL is required: workers take their jobs from Redis');
  process.exit(2);
}
const prefix = process.env.GRADING_PREFIX ?? 'kaowu';
const slots = Number(process.env.GRADER_SLOTS ?? os.cpus().length);
const connection = redisConnection(redisUrl);
const grader = new Grader({ slots, log: (msg: string, extra?: object) => log.info(extra ?? {}, msg) });
const workerId = `${os.hostname()}:${process.pid}`;

// Wait for a working sandbox before taking any job: without one, jobs wait in Redis.
for (;;) {
  const status = await grader.status();
  if (status.available) break;
  log.error({ reason: status.reason }, '判分沙箱不可用，10 秒后重试；任务在队列中等待');
  await new Promise((r) => setTimeout(r, 10_000));
}

const process_ = (samplesOnly: boolean) => async (job: { data: GradingJobData }): Promise<GradingResult> =>
  grader.grade(job.data.input.task, graderAnswer(job.data.input), { samplesOnly });

// A worker killed mid-job stops renewing its lock; after lockDuration another
// worker's stalled check puts the job back in the queue.
const lockDuration = Number(process.env.GRADER_LOCK_MS ?? 30_000);
const options = { connection, prefix, concurrency: slots, lockDuration, stalledInterval: Math.max(1000, lockDuration / 2), maxStalledCount: 5 };
const workers = [
  new Worker<GradingJobData, GradingResult>(SAMPLES_QUEUE, process_(true), options),
  new Worker<GradingJobData, GradingResult>(GRADING_QUEUE, process_(false), options),
];
for (const w of workers) w.on('failed', (job, err) => log.error({ err, jobId: job?.id }, 'grading job failed'));

// Tell app nodes a sandbox is online (a sorted set of worker → last seen).
const registry = new WorkerRegistry(redisUrl, prefix);
const announce = () => registry.announce(workerId).catch(() => undefined);
await announce();
const heartbeat = setInterval(announce, 10_000);
log.info({ slots, workerId }, 'grader worker ready');

async function shutdown() {
  clearInterval(heartbeat);
  await Promise.all(workers.map((w) => w.close()));
  await registry.leave(workerId).catch(() => undefined);
  await registry.close();
  await grader.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
