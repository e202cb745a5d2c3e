import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import type { Key } from '@kaowu/core';
import { Grader } from '@kaowu/grader';
import { createDemo, type DemoResult } from '../src/modules/demo/demo.ts';
import { importBank } from '../src/modules/bank/import-bank.ts';
import { createUser } from '../src/modules/accounts/users.ts';
import { InProcessGrading } from '../src/modules/grading/in-process.ts';
import { claimJob, recordResult } from '../src/modules/grading/jobs.ts';
import { CONTENT_DIR } from '../src/content.ts';
import { databaseKinds, freshDatabase, startTestApp, type TestApp } from './helpers.ts';

const T0 = Date.parse('2026-06-20T06:00:00.000Z');
const MIN = 60_000;
const FIXTURE = fs.readFileSync(path.join(import.meta.dirname, 'fixtures', 'practical-bank.yaml'), 'utf8');
const PASSWORD = 'grader-pass-2026';

const SUM_OK = 'print(sum(int(x) for x in input().split()))\n';
const SQUARE_OK = 'def square(n):\n    return n * n\n';
const SQUARE_WRONG = 'def square(n):\n    return n * 2\n';
const PAGE_OK = { 'index.html': '<!doctype html><html><head><link rel="stylesheet" href="style.css"></head><body><h1>欢迎</h1></body></html>', 'style.css': 'h1 { color: red; }' };

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 90_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

for (const { kind, skip } of await databaseKinds()) {
  describe(`practical paper on ${kind}: run, upload, hand-in, sandbox grading, marking, combined score`, { skip }, () => {
    let t: TestApp;
    let demo: DemoResult;
    const tokens: string[] = [];
    const staff = new Map<string, string>();
    let theoryId: string;
    let practicalId: string;
    /** Attempts entered before entry closes, handed in later: [candidate, sitting] → attempt. */
    const early = new Map<string, any>();

    before(async () => {
      t = await startTestApp(await freshDatabase(kind), undefined, {
        grading: (ctx) => new InProcessGrading(ctx, () => new Grader({ slots: 2 }), { concurrency: 2, pollMs: 100 }),
      });
      t.clock.set(T0 - 10 * MIN);
      for (const text of [FIXTURE, fs.readFileSync(path.join(CONTENT_DIR, 'banks', 'python-dev-junior.yaml'), 'utf8')]) {
        const r = await importBank(t.ctx.db, text, 'test');
        assert.ok(r.ok, JSON.stringify(r));
      }
      demo = await createDemo(t.ctx, { candidates: 3, level: 'junior', startsAt: T0, papers: 'both' });
      theoryId = demo.sittings.find((s) => s.paper === 'theory')!.id;
      practicalId = demo.sittings.find((s) => s.paper === 'practical')!.id;
      for (const username of ['g1', 'g2', 'g3']) await createUser(t.ctx.db, { username, password: PASSWORD, role: 'grader', displayName: username });
      t.clock.set(T0 + MIN);
      for (const c of demo.candidates) {
        const res = await t.app.inject({ method: 'POST', url: '/api/candidate/login', payload: { ticketNo: c.ticketNo, idNumber: c.idNumber } });
        tokens.push(res.json().token);
      }
      for (const [username, password] of [['g1', PASSWORD], ['g2', PASSWORD], ['g3', PASSWORD], [demo.operator.username, demo.operator.password]] as const) {
        const res = await t.app.inject({ method: 'POST', url: '/api/staff/login', payload: { username, password } });
        assert.equal(res.statusCode, 200, res.body);
        staff.set(username, res.json().token);
      }
      for (const [who, sitting] of [[0, theoryId], [1, theoryId], [1, practicalId], [2, practicalId]] as const) {
        const res = await t.app.inject({ method: 'POST', url: `/api/candidate/sittings/${sitting}/attempt`, headers: { authorization: `Bearer ${tokens[who]}` } });
        assert.equal(res.statusCode, 200, res.body);
        early.set(`${who}/${sitting}`, res.json());
      }
    });
    after(async () => t?.close());

    const call = async (method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown, token?: string, headers: Record<string, string> = {}) => {
      const res = await t.app.inject({
        method, url, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
        ...(Buffer.isBuffer(body) ? { body } : { payload: body as object }),
      });
      return { status: res.statusCode, body: res.json() as any, raw: res.body };
    };
    const as = (who: string) => staff.get(who)!;
    let attempt: any;
    const q = (code: string) => attempt.questions.find((x: any) => codeOf.get(x.id) === code);
    const codeOf = new Map<string, string>();

    test('entering the practical sitting: five tasks, samples shown, hidden checks and rubric points never sent', async () => {
      const res = await call('POST', `/api/candidate/sittings/${practicalId}/attempt`, undefined, tokens[0]);
      assert.equal(res.status, 200, res.raw);
      attempt = res.body;
      const rows = await t.ctx.db.selectFrom('questions').select(['id', 'code']).execute();
      for (const r of rows) codeOf.set(r.id, r.code);
      assert.deepEqual(attempt.questions.map((x: any) => codeOf.get(x.id)).sort(), ['T-CASE', 'T-CODE-FUNC', 'T-CODE-SUM', 'T-PAGE', 'T-UPLOAD']);
      assert.ok(attempt.questions.every((x: any) => x.points === 20));
      const sum = q('T-CODE-SUM');
      assert.deepEqual(sum.task.samples, [{ id: 's1', name: '样例 1', stdin: '1 2 3\n', stdout: '6\n' }]);
      assert.equal(sum.task.runnable, true);
      assert.match(sum.task.statementHtml, /<p>读入一行整数/);
      assert.deepEqual(q('T-CODE-FUNC').task.samples, [{ id: 's1', name: '样例', description: '检查 square(3) == 9' }]);
      assert.equal(q('T-CASE').task.runnable, false);
      assert.equal(q('T-UPLOAD').task.maxUploadKb, 64);
      for (const secret of ['2000000000', 'square(-4)', '表达清晰', 'rgb(255, 0, 0)', 'doubleMarking']) {
        assert.ok(!res.raw.includes(secret), `the attempt must not contain ${secret}`);
      }
    });

    test('answers: files and text through the save route; shapes are checked', async () => {
      const save = (code: string, answer: unknown, seq: number) => call('PUT', `/api/candidate/attempts/${attempt.attemptId}/answers/${q(code).id}`, { answer, seq }, tokens[0]);
      assert.equal((await save('T-CODE-SUM', { files: { 'main.py': SUM_OK } }, 1)).status, 200);
      assert.equal((await save('T-CODE-FUNC', { files: { 'main.py': SQUARE_OK } }, 1)).status, 200);
      assert.equal((await save('T-PAGE', { files: PAGE_OK }, 1)).status, 200);
      assert.equal((await save('T-CASE', { text: '程序没有校验输入，也没有处理异常。应当使用 try/except 并校验成绩范围。' }, 1)).status, 200);
      const wrong = await save('T-CASE', { files: { 'a.txt': 'x' } }, 2);
      assert.equal(wrong.status, 400);
      assert.equal(wrong.body.error.code, 'INVALID_ANSWER');
      const viaSave = await save('T-UPLOAD', { upload: { id: 'x', name: 'a.zip', size: 1, sha256: 'a'.repeat(64) } }, 1);
      assert.equal(viaSave.status, 400, 'an upload answer cannot be forged through the save route');
      const badPath = await save('T-CODE-SUM', { files: { '../etc/passwd': 'x' } }, 3);
      assert.equal(badPath.status, 400);

      // An answer is never lost to what it holds or to the machine's clock: a NUL pasted into the
      // text is kept (JSON text stores it as an escape, on PostgreSQL too), a changedAt that is no
      // time is ignored.
      const text = '程序没有校验输入，也没有处理异常。应当使用 try/except 并校验成绩范围。';
      const withNul = await call('PUT', `/api/candidate/attempts/${attempt.attemptId}/answers/${q('T-CASE').id}`, { answer: { text: `粘贴\u0000的内容` }, seq: 3, changedAt: '昨天' }, tokens[0]);
      assert.equal(withNul.status, 200, withNul.raw);
      const stored = await t.ctx.db.selectFrom('answers').select('answer').where('attempt_id', '=', attempt.attemptId).where('question_id', '=', q('T-CASE').id).executeTakeFirstOrThrow();
      assert.deepEqual(JSON.parse(stored.answer), { text: '粘贴\u0000的内容' });
      assert.equal((await save('T-CASE', { text }, 4)).status, 200);
    });

    test('Run: the samples only, in the sandbox, with verdicts; rate-limited per attempt', async () => {
      const run = (files: Record<string, string>, who = 0, code = 'T-CODE-FUNC') =>
        call('POST', `/api/candidate/attempts/${attempt.attemptId}/questions/${q(code).id}/run`, { files }, tokens[who]);
      const wrong = await run({ 'main.py': SQUARE_WRONG });
      assert.equal(wrong.status, 200, wrong.raw);
      assert.deepEqual(wrong.body.result.checks.map((c: any) => [c.id, c.verdict]), [['s1', 'failed']]);
      assert.match(wrong.body.result.checks[0].message, /square\(3\) 应为 9/);
      const ok = await run({ 'main.py': SQUARE_OK });
      assert.deepEqual(ok.body.result.checks.map((c: any) => [c.id, c.verdict]), [['s1', 'passed']]);
      assert.equal(ok.body.result.samplesOnly, true);
      const sum = await run({ 'main.py': SUM_OK }, 0, 'T-CODE-SUM');
      assert.deepEqual(sum.body.result.checks.map((c: any) => [c.id, c.verdict, c.stdout]), [['s1', 'passed', '6\n']]);
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await run({ 'main.py': SQUARE_OK })).status);
      assert.ok(statuses.includes(429), `the bucket of 6 runs must run out: ${statuses.join(',')}`);
      const limited = await run({ 'main.py': SQUARE_OK });
      assert.equal(limited.body.error.code, 'RUN_RATE_LIMITED');
      assert.ok(limited.body.error.retryAfterSec > 0);
      const caseRun = await run({ 'main.py': '' }, 0, 'T-CASE');
      assert.equal(caseRun.status, 400);
      const other = await call('POST', `/api/candidate/attempts/${attempt.attemptId}/questions/${q('T-CODE-FUNC').id}/run`, { files: {} }, tokens[1]);
      assert.equal(other.status, 404, 'another candidate cannot run on this attempt');
    });

    test('upload: a zip becomes the answer; not a zip or too large is refused', async () => {
      const url = (seq: number, name = 'project.zip') => `/api/candidate/attempts/${attempt.attemptId}/questions/${q('T-UPLOAD').id}/upload?seq=${seq}&name=${encodeURIComponent(name)}`;
      const zip = Buffer.from(zipSync({ 'app/hello.py': strToU8("def hello():\n    return 'hello'\n") }));
      const notZip = await call('PUT', url(1), Buffer.from('hello, not a zip at all, just text'), tokens[0], { 'content-type': 'application/zip' });
      assert.equal(notZip.status, 400);
      assert.equal(notZip.body.error.code, 'INVALID_ZIP');
      const big = await call('PUT', url(1), Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(70 * 1024)]), tokens[0], { 'content-type': 'application/zip' });
      assert.equal(big.status, 413);
      assert.equal(big.body.error.code, 'UPLOAD_TOO_LARGE');
      const ok = await call('PUT', url(1, '我的项目.zip'), zip, tokens[0], { 'content-type': 'application/zip' });
      assert.equal(ok.status, 200, ok.raw);
      assert.equal(ok.body.upload.name, '我的项目.zip');
      assert.equal(ok.body.upload.size, zip.length);
      const uploads = await t.ctx.db.selectFrom('uploads').select(['id']).execute();
      assert.equal(uploads.length, 1, 'refused uploads leave nothing behind');
    });

    test('hand-in: checks run in the sandbox after hand-in; the case task waits for graders', async () => {
      t.clock.set(T0 + 31 * MIN);
      const res = await call('POST', `/api/candidate/attempts/${attempt.attemptId}/submit`, undefined, tokens[0]);
      assert.equal(res.status, 200, res.raw);
      const late = await call('POST', `/api/candidate/attempts/${attempt.attemptId}/questions/${q('T-CODE-FUNC').id}/run`, { files: { 'main.py': SQUARE_OK } }, tokens[0]);
      assert.equal(late.body.error.code, 'ALREADY_SUBMITTED');
      const jobs = await until('automatic grading', async () => {
        const rows = await t.ctx.db.selectFrom('grading_jobs').selectAll().where('attempt_id', '=', attempt.attemptId).execute();
        return rows.every((r) => r.state === 'done') && rows;
      });
      const byCode = new Map(jobs.map((j) => [codeOf.get(j.question_id), j]));
      assert.equal(Number(byCode.get('T-CODE-SUM')!.earned), 20, byCode.get('T-CODE-SUM')!.result ?? byCode.get('T-CODE-SUM')!.error ?? '');
      assert.equal(Number(byCode.get('T-CODE-FUNC')!.earned), 20, byCode.get('T-CODE-FUNC')!.result ?? byCode.get('T-CODE-FUNC')!.error ?? '');
      assert.equal(Number(byCode.get('T-UPLOAD')!.earned), 20, byCode.get('T-UPLOAD')!.result ?? '');
      assert.equal(Number(byCode.get('T-PAGE')!.earned), 20, byCode.get('T-PAGE')!.result ?? '');
      const hidden = JSON.parse(byCode.get('T-CODE-SUM')!.result!);
      assert.deepEqual(hidden.checks.map((c: any) => c.id), ['s1', 'h1', 'h2'], 'hidden checks run after hand-in');
      const a = await t.ctx.db.selectFrom('attempts').selectAll().where('id', '=', attempt.attemptId).executeTakeFirstOrThrow();
      assert.equal(a.grading_state, 'pending');
      assert.equal(Number(a.auto_score), 80);
      assert.equal(a.score, null, 'no score until the case task is marked');
    });

    test('a result delivered twice is recorded once', async () => {
      const job = await t.ctx.db.selectFrom('grading_jobs').selectAll().where('attempt_id', '=', attempt.attemptId).where('state', '=', 'done').where('result', 'is not', null).executeTakeFirstOrThrow();
      const again = await recordResult(t.ctx.db, job.id, { ...JSON.parse(job.result!), earned: 0 }, t.clock.now());
      assert.equal(again, false);
      const after_ = await t.ctx.db.selectFrom('grading_jobs').select('earned').where('id', '=', job.id).executeTakeFirstOrThrow();
      assert.equal(Number(after_.earned), Number(job.earned));
    });

    let markingId: string;
    const mark = (who: string, id: string, points: [number, number, number], reason?: string) =>
      call('PUT', `/api/console/grading/items/${id}/mark`, { items: [{ id: 'r1', points: points[0] }, { id: 'r2', points: points[1] }, { id: 'r3', points: points[2], comment: '表达尚可' }], ...(reason ? { reason } : {}) }, as(who));

    test('阅卷: anonymous submissions, double marking, arbitration, audited changes', async () => {
      const tasks = await call('GET', '/api/console/grading/tasks', undefined, as('g1'));
      assert.equal(tasks.status, 200, tasks.raw);
      const caseTask = tasks.body.tasks.find((x: any) => x.code === 'T-CASE');
      assert.deepEqual([caseTask.submissions, caseTask.forMe, caseTask.doubleMarking], [1, 1, 3]);
      const next = await call('GET', `/api/console/grading/tasks/${caseTask.questionId}/next`, undefined, as('g1'));
      assert.equal(next.status, 200, next.raw);
      const item = next.body.item;
      markingId = item.markingId;
      assert.match(item.answer.text, /try\/except/);
      assert.deepEqual(item.task.rubric.map((r: any) => r.points), [8, 8, 4]);
      for (const who of [demo.candidates[0]!.name, demo.candidates[0]!.ticketNo, demo.candidates[0]!.idNumber, attempt.attemptId]) {
        assert.ok(!next.raw.includes(who), 'a grader never sees who wrote the answer');
      }
      const tooMany = await mark('g1', markingId, [9, 8, 4]);
      assert.equal(tooMany.status, 400);
      assert.equal(tooMany.body.error.code, 'INVALID_MARK');
      assert.equal((await mark('g1', markingId, [8, 8, 4])).body.marking.state, 'needs-second');
      assert.equal((await call('GET', `/api/console/grading/tasks/${caseTask.questionId}/next`, undefined, as('g1'))).body.item, null, 'one grader marks a submission once');
      const second = await call('GET', `/api/console/grading/tasks/${caseTask.questionId}/next`, undefined, as('g2'));
      assert.equal(second.body.item.markingId, markingId);
      assert.equal((await mark('g2', markingId, [6, 4, 2])).body.marking.state, 'needs-arbitration');
      const noReason = await mark('g1', markingId, [7, 8, 4]);
      assert.equal(noReason.body.error.code, 'REASON_REQUIRED');
      assert.equal((await mark('g3', markingId, [8, 7, 2])).body.marking.state, 'final');
      let a = await t.ctx.db.selectFrom('attempts').selectAll().where('id', '=', attempt.attemptId).executeTakeFirstOrThrow();
      assert.equal(a.grading_state, 'complete');
      assert.equal(Number(a.manual_score), 18.5, 'arbitration 17 averaged with the nearer first mark 20');
      assert.equal(Number(a.score), 98.5);

      const changed = await mark('g1', markingId, [8, 6, 2], '复核后发现改进方案不完整');
      assert.equal(changed.status, 200, changed.raw);
      a = await t.ctx.db.selectFrom('attempts').selectAll().where('id', '=', attempt.attemptId).executeTakeFirstOrThrow();
      assert.equal(Number(a.score), 80 + 16.5, 'arbitration 17 now averaged with 16');
      const audit = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', 'in', ['mark.create', 'mark.update']).orderBy('at').execute();
      assert.deepEqual(audit.map((r) => [r.actor, r.action]), [['g1', 'mark.create'], ['g2', 'mark.create'], ['g3', 'mark.create'], ['g1', 'mark.update']]);
      const update = audit[3]!;
      assert.equal(JSON.parse(update.before!).total, 20);
      assert.equal(JSON.parse(update.after!).total, 16);
      assert.equal(JSON.parse(update.after!).reason, '复核后发现改进方案不完整');
      const forbidden = await call('GET', `/api/console/plans/${demo.planId}/results`, undefined, as('g1'));
      assert.equal(forbidden.status, 403, 'graders do not see scores by candidate');
    });

    test('results: theory, practical and the combined score with pass/fail', async () => {
      // Candidate 0 answers the theory paper perfectly; candidate 1 hands in both papers empty.
      const enter = async (who: number, sitting: string) => ({ body: early.get(`${who}/${sitting}`) });
      const theory = (await enter(0, theoryId)).body;
      let seq = 1;
      for (const question of theory.questions) {
        const row = await t.ctx.db.selectFrom('questions').select('answer_key').where('id', '=', question.id).executeTakeFirstOrThrow();
        const saved = await call('PUT', `/api/candidate/attempts/${theory.attemptId}/answers/${question.id}`, { answer: JSON.parse(row.answer_key) as Key, seq: seq++ }, tokens[0]);
        assert.equal(saved.status, 200, saved.raw);
      }
      assert.equal((await call('POST', `/api/candidate/attempts/${theory.attemptId}/submit`, undefined, tokens[0])).status, 200);
      for (const sitting of [theoryId, practicalId]) {
        const a = (await enter(1, sitting)).body;
        assert.equal((await call('POST', `/api/candidate/attempts/${a.attemptId}/submit`, undefined, tokens[1])).status, 200);
      }
      const res = await call('GET', `/api/console/plans/${demo.planId}/results`, undefined, as(demo.operator.username));
      assert.equal(res.status, 200, res.raw);
      const [first, second, third] = res.body.rows;
      assert.deepEqual(res.body.settings, { weights: { theory: 0.4, practical: 0.6 }, passMark: 60, decimals: 1 });
      assert.deepEqual([first.theory.score, first.practical.score, first.practical.auto, first.practical.manual], [100, 96.5, 80, 16.5]);
      assert.equal(first.combined, 97.9);
      assert.equal(first.passed, true);
      assert.deepEqual([second.theory.score, second.practical.score, second.practical.state, second.combined, second.passed], [0, 0, 'final', 0, false]);
      assert.deepEqual([third.theory.state, third.combined, third.passed], ['not_entered', null, null]);
      const breakdown = await call('GET', `/api/console/attempts/${first.practical.attemptId}/practical`, undefined, as(demo.operator.username));
      assert.equal(breakdown.status, 200, breakdown.raw);
      const caseRow = breakdown.body.tasks.find((x: any) => x.code === 'T-CASE');
      assert.deepEqual([caseRow.auto, caseRow.manual, caseRow.marking], [0, 16.5, 'final']);
    });

    test('a job whose worker died is graded again after its lease, and counted once', async () => {
      // Candidate 2 hands in one code task; a "worker" claims its job and dies.
      const a = early.get(`2/${practicalId}`);
      const sumId = a.questions.find((x: any) => codeOf.get(x.id) === 'T-CODE-SUM').id;
      await call('PUT', `/api/candidate/attempts/${a.attemptId}/answers/${sumId}`, { answer: { files: { 'main.py': SUM_OK } }, seq: 1 }, tokens[2]);
      await t.grading!.close(); // stop the runner so the job stays with the dead "worker"
      await call('POST', `/api/candidate/attempts/${a.attemptId}/submit`, undefined, tokens[2]);
      const claimed = await claimJob(t.ctx.db, t.ctx.dialect, t.clock.now(), 60_000);
      assert.equal(claimed?.attempt_id, a.attemptId);
      const runner = new InProcessGrading(t.ctx, () => new Grader({ slots: 1 }), { concurrency: 1, pollMs: 100, leaseMs: 60_000 });
      runner.start();
      try {
        await new Promise((r) => setTimeout(r, 700));
        const waiting = await t.ctx.db.selectFrom('grading_jobs').select(['state']).where('id', '=', claimed!.id).executeTakeFirstOrThrow();
        assert.equal(waiting.state, 'running', 'a live lease is left alone');
        t.clock.advance(61_000);
        const done = await until('the re-graded job', async () => {
          const row = await t.ctx.db.selectFrom('grading_jobs').selectAll().where('id', '=', claimed!.id).executeTakeFirstOrThrow();
          return row.state === 'done' && row;
        });
        assert.equal(Number(done.earned), 20);
        assert.equal(done.tries, 2);
        const score = await t.ctx.db.selectFrom('attempts').select(['auto_score']).where('id', '=', a.attemptId).executeTakeFirstOrThrow();
        assert.equal(Number(score.auto_score), 20);
      } finally {
        await runner.close();
      }
    });
  });
}

describe('without a sandbox, nothing runs and jobs wait', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp(await freshDatabase('sqlite'), undefined, {
      grading: (ctx) => new InProcessGrading(ctx, () => new Grader({ slots: 1, bwrapPath: '/nonexistent/bwrap' }), { concurrency: 1, pollMs: 100 }),
    });
  });
  after(async () => t?.close());

  test('Run answers GRADER_UNAVAILABLE with the reason; handed-in jobs stay queued; the operator sees why', async () => {
    t.clock.set(T0 - MIN);
    assert.ok((await importBank(t.ctx.db, FIXTURE, 'test')).ok);
    const demo = await createDemo(t.ctx, { candidates: 1, level: 'junior', startsAt: T0, papers: 'practical' });
    t.clock.set(T0 + MIN);
    const c = demo.candidates[0]!;
    const token = (await t.app.inject({ method: 'POST', url: '/api/candidate/login', payload: { ticketNo: c.ticketNo, idNumber: c.idNumber } })).json().token;
    const auth = { authorization: `Bearer ${token}` };
    const a = (await t.app.inject({ method: 'POST', url: `/api/candidate/sittings/${demo.sittingId}/attempt`, headers: auth })).json();
    const code = await t.ctx.db.selectFrom('questions').select('id').where('code', '=', 'T-CODE-SUM').executeTakeFirstOrThrow();
    await t.app.inject({ method: 'PUT', url: `/api/candidate/attempts/${a.attemptId}/answers/${code.id}`, headers: auth, payload: { answer: { files: { 'main.py': SUM_OK } }, seq: 1 } });
    const run = await t.app.inject({ method: 'POST', url: `/api/candidate/attempts/${a.attemptId}/questions/${code.id}/run`, headers: auth, payload: { files: { 'main.py': SUM_OK } } });
    assert.equal(run.statusCode, 503);
    assert.equal(run.json().error.code, 'GRADER_UNAVAILABLE');
    assert.match(run.json().error.message, /bubblewrap|bwrap/);
    t.clock.set(T0 + 31 * MIN);
    await t.app.inject({ method: 'POST', url: `/api/candidate/attempts/${a.attemptId}/submit`, headers: auth });
    await new Promise((r) => setTimeout(r, 1000));
    const job = await t.ctx.db.selectFrom('grading_jobs').selectAll().where('question_id', '=', code.id).executeTakeFirstOrThrow();
    assert.equal(job.state, 'queued');
    assert.equal(job.earned, null);
    const op = (await t.app.inject({ method: 'POST', url: '/api/staff/login', payload: { username: demo.operator.username, password: demo.operator.password } })).json().token;
    const status = (await t.app.inject({ method: 'GET', url: '/api/console/grading/status', headers: { authorization: `Bearer ${op}` } })).json();
    assert.equal(status.sandbox.available, false);
    assert.match(status.sandbox.reason, /bubblewrap|bwrap/);
    assert.ok(status.jobs.queued >= 1);
  });
});
