import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { createDemo, type DemoResult } from '../src/modules/demo/demo.ts';
import { importBank } from '../src/modules/bank/import-bank.ts';
import { BullmqGrading, GRADING_QUEUE, redisConnection } from '../src/modules/grading/bullmq.ts';
import { freshDatabase, startTestApp, type TestApp } from './helpers.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ROOT = path.resolve(import.meta.dirname, '../../..');
const FIXTURE = fs.readFileSync(path.join(import.meta.dirname, 'fixtures', 'practical-bank.yaml'), 'utf8');
const T0 = Date.parse('2026-06-20T06:00:00.000Z');
const MIN = 60_000;
// Slow enough to kill the worker while it grades (three checks of ~1.5 s each).
const SLOW_SUM = 'import time\ntime.sleep(1.5)\nprint(sum(int(x) for x in input().split()))\n';

async function redisReachable(): Promise<string | false> {
  const r = new Redis({ ...redisConnection(REDIS_URL), lazyConnect: true, connectTimeout: 2000, retryStrategy: () => null });
  try {
    await r.connect();
    await r.ping();
    return false;
  } catch (err) {
    if (process.env.CI === 'true') throw new Error(`Redis is required under CI=true but is not reachable at ${REDIS_URL}: ${(err as Error).message}`);
    return `Redis not reachable at ${REDIS_URL}`;
  } finally {
    r.disconnect();
  }
}

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 90_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('grading through BullMQ workers on Redis (npm run grader)', { skip: await redisReachable() }, () => {
  const prefix = `kaowu-test-${crypto.randomBytes(4).toString('hex')}`;
  let t: TestApp;
  let demo: DemoResult;
  let queue: Queue;
  const workers: ChildProcess[] = [];

  const startWorker = async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'packages/server/src/modules/grading/worker-main.ts'], {
      cwd: ROOT,
      env: { ...process.env, REDIS_URL, GRADING_PREFIX: prefix, GRADER_SLOTS: '1', GRADER_LOCK_MS: '4000', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    workers.push(child);
    await until('the worker to be ready', async () => out.includes('grader worker ready') || (child.exitCode !== null && Promise.reject(new Error(out))), 60_000);
    return child;
  };

  before(async () => {
    t = await startTestApp(await freshDatabase('sqlite'), undefined, { grading: (ctx) => new BullmqGrading(ctx, { redisUrl: REDIS_URL, prefix, pollMs: 100 }) });
    queue = new Queue(GRADING_QUEUE, { connection: redisConnection(REDIS_URL), prefix });
    t.clock.set(T0 - MIN);
    assert.ok((await importBank(t.ctx.db, FIXTURE, 'test')).ok);
    demo = await createDemo(t.ctx, { candidates: 1, level: 'junior', startsAt: T0, papers: 'practical' });
  });
  after(async () => {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    await t?.close();
  });

  test('Run goes to a worker; a worker killed mid-job leaves the job to another, graded and counted once', async () => {
    const first = await startWorker();
    t.clock.set(T0 + MIN);
    const c = demo.candidates[0]!;
    const token = (await t.app.inject({ method: 'POST', url: '/api/candidate/login', payload: { ticketNo: c.ticketNo, idNumber: c.idNumber } })).json().token;
    const auth = { authorization: `Bearer ${token}` };
    const a = (await t.app.inject({ method: 'POST', url: `/api/candidate/sittings/${demo.sittingId}/attempt`, headers: auth })).json();
    const sum = await t.ctx.db.selectFrom('questions').select('id').where('code', '=', 'T-CODE-SUM').executeTakeFirstOrThrow();

    const run = await t.app.inject({ method: 'POST', url: `/api/candidate/attempts/${a.attemptId}/questions/${sum.id}/run`, headers: auth, payload: { files: { 'main.py': 'print(6)\n' } } });
    assert.equal(run.statusCode, 200, run.body);
    assert.deepEqual(run.json().result.checks.map((x: any) => [x.id, x.verdict]), [['s1', 'passed']]);

    await t.app.inject({ method: 'PUT', url: `/api/candidate/attempts/${a.attemptId}/answers/${sum.id}`, headers: auth, payload: { answer: { files: { 'main.py': SLOW_SUM } }, seq: 1 } });
    t.clock.set(T0 + 31 * MIN);
    assert.equal((await t.app.inject({ method: 'POST', url: `/api/candidate/attempts/${a.attemptId}/submit`, headers: auth })).statusCode, 200);
    const row = await t.ctx.db.selectFrom('grading_jobs').select('id').where('attempt_id', '=', a.attemptId).where('question_id', '=', sum.id).executeTakeFirstOrThrow();

    await until('the job to be active on the first worker', async () => (await (await Job.fromId(queue, row.id))?.getState()) === 'active');
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const during = await t.ctx.db.selectFrom('grading_jobs').select(['state']).where('id', '=', row.id).executeTakeFirstOrThrow();
    assert.notEqual(during.state, 'done', 'the killed worker recorded nothing');

    await startWorker();
    const done = await until('the job graded by the second worker', async () => {
      const r = await t.ctx.db.selectFrom('grading_jobs').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
      return r.state === 'done' && r;
    });
    assert.equal(Number(done.earned), 20);
    const job = await Job.fromId(queue, row.id);
    assert.ok(job && (await job.getState()) === 'completed');
    const attempt = await t.ctx.db.selectFrom('attempts').select(['auto_score']).where('id', '=', a.attemptId).executeTakeFirstOrThrow();
    assert.equal(Number(attempt.auto_score), 20, 'counted once');
    const jobs = await t.ctx.db.selectFrom('grading_jobs').select(['state']).where('attempt_id', '=', a.attemptId).execute();
    assert.ok(jobs.every((j) => j.state === 'done'));
  });
});
