import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AnswerValue, Key } from '@kaowu/core';
import { createDemo, type DemoResult } from '../src/modules/demo/demo.ts';
import { databaseKinds, freshDatabase, startTestApp, type TestApp } from './helpers.ts';

const T0 = Date.parse('2026-06-20T00:30:00.000Z'); // 08:30 in Asia/Shanghai
const MIN = 60_000;

for (const { kind, skip } of await databaseKinds()) {
  describe(`candidate API on ${kind}`, { skip }, () => {
    let t: TestApp;
    let demo: DemoResult;
    const tokens = new Map<string, string>();

    before(async () => {
      t = await startTestApp(await freshDatabase(kind));
      t.clock.set(T0 - 10 * MIN);
      demo = await createDemo(t.ctx, { candidates: 8, level: 'junior', startsAt: T0 });
    });
    after(async () => t?.close());

    const call = async (method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown, who?: number) => {
      const token = who === undefined ? undefined : tokens.get(demo.candidates[who]!.ticketNo);
      const res = await t.app.inject({ method, url, payload: body as object, headers: token ? { authorization: `Bearer ${token}` } : {} });
      return { status: res.statusCode, body: res.json() as any, raw: res.body };
    };
    const login = async (i: number) => {
      const c = demo.candidates[i]!;
      const res = await call('POST', '/api/candidate/login', { ticketNo: c.ticketNo, idNumber: c.idNumber.toLowerCase() });
      assert.equal(res.status, 200, res.raw);
      tokens.set(c.ticketNo, res.body.token);
      return res.body;
    };
    const enter = (i: number) => call('POST', `/api/candidate/sittings/${demo.sittingId}/attempt`, undefined, i);
    const keyOf = async (questionId: string) => {
      const row = await t.ctx.db.selectFrom('questions').select(['answer_key', 'type']).where('id', '=', questionId).executeTakeFirstOrThrow();
      return { key: JSON.parse(row.answer_key) as Key, type: row.type };
    };

    test('log-in: bad credentials are refused; the sitting shows as upcoming, then waiting', async () => {
      const bad = await call('POST', '/api/candidate/login', { ticketNo: demo.candidates[0]!.ticketNo, idNumber: '110101200001011234' });
      assert.equal(bad.status, 401);
      assert.equal(bad.body.error.code, 'INVALID_CREDENTIALS');
      const empty = await call('POST', '/api/candidate/login', { ticketNo: '', idNumber: '' });
      assert.equal(empty.status, 400);
      assert.equal(empty.body.error.code, 'VALIDATION_FAILED');

      const first = await login(0);
      assert.equal(first.candidate.level, 'junior');
      assert.deepEqual(first.sittings.map((s: any) => [s.id, s.paper, s.state]), [[demo.sittingId, 'theory', 'upcoming']]);
      t.clock.set(T0 - 4 * MIN);
      for (let i = 0; i < demo.candidates.length; i++) await login(i);
      const again = await login(0);
      assert.equal(again.sittings[0].state, 'waiting');
    });

    test('before the start: NOT_STARTED with startsAt and no questions', async () => {
      const res = await enter(0);
      assert.equal(res.status, 409);
      assert.equal(res.body.error.code, 'NOT_STARTED');
      assert.equal(res.body.error.startsAt, new Date(T0).toISOString());
      assert.equal(res.body.questions, undefined);
      assert.doesNotMatch(res.raw, /stem/);
    });

    test('no token, a bad token, or another candidate\'s attempt: refused', async () => {
      const none = await t.app.inject({ method: 'POST', url: `/api/candidate/sittings/${demo.sittingId}/attempt` });
      assert.equal(none.statusCode, 401);
      const forged = await t.app.inject({ method: 'POST', url: `/api/candidate/sittings/${demo.sittingId}/attempt`, headers: { authorization: 'Bearer eyJraW5kIjoiY2FuZGlkYXRlIn0.xxx' } });
      assert.equal(forged.statusCode, 401);
      assert.equal(forged.json().error.code, 'INVALID_TOKEN');
    });

    let paper: any;
    test('entering: a 50-question, 100-point paper by the blueprint, with no key or explanation', async () => {
      t.clock.set(T0 + MIN);
      const res = await enter(0);
      assert.equal(res.status, 200, res.raw);
      paper = res.body;
      const count = (type: string) => paper.questions.filter((q: any) => q.type === type).length;
      assert.deepEqual([count('single'), count('multiple'), count('truefalse')], [30, 10, 10]);
      assert.equal(paper.questions.reduce((s: number, q: any) => s + q.points, 0), 100);
      assert.equal(new Set(paper.questions.map((q: any) => q.id)).size, 50);
      assert.equal(paper.deadline, new Date(T0 + 90 * MIN).toISOString());
      assert.equal(paper.rules.submitOpensAt, new Date(T0 + 30 * MIN).toISOString());
      assert.equal(paper.rules.submitClosesAt, new Date(T0 + 85 * MIN).toISOString());
      assert.deepEqual(paper.answers, {});
      for (const q of paper.questions) {
        assert.deepEqual(Object.keys(q).sort(), (q.code ? ['code', 'id', 'options', 'points', 'stem', 'type'] : ['id', 'options', 'points', 'stem', 'type']));
      }
      const explanations = await t.ctx.db.selectFrom('questions').select('explanation').where('id', 'in', paper.questions.map((q: any) => q.id)).execute();
      for (const e of explanations) assert.ok(!res.raw.includes(e.explanation), 'an explanation leaked');
      assert.doesNotMatch(res.raw, /"(answer_key|key|explanation)"/);
    });

    test('resuming gives the identical paper; other candidates get their own order', async () => {
      const again = await enter(0);
      assert.equal(again.status, 200);
      assert.equal(again.body.attemptId, paper.attemptId);
      assert.deepEqual(again.body.questions, paper.questions);
      const other = await enter(1);
      assert.equal(other.status, 200);
      assert.notDeepEqual(other.body.questions.map((q: any) => q.id), paper.questions.map((q: any) => q.id));
    });

    test('saving: acknowledged with seq; an older seq is acknowledged and ignored; bad answers change nothing', async () => {
      const q = paper.questions.find((x: any) => x.type === 'single');
      const url = `/api/candidate/attempts/${paper.attemptId}/answers/${q.id}`;
      const first = await call('PUT', url, { answer: q.options[0].id, seq: 2 }, 0);
      assert.equal(first.status, 200, first.raw);
      assert.equal(first.body.seq, 2);
      const stale = await call('PUT', url, { answer: q.options[1].id, seq: 1 }, 0);
      assert.equal(stale.status, 200);
      assert.equal(stale.body.seq, 2);
      const wrongShape = await call('PUT', url, { answer: ['A', 'B'], seq: 3 }, 0);
      assert.equal(wrongShape.status, 400);
      assert.equal(wrongShape.body.error.code, 'INVALID_ANSWER');
      const unknown = await call('PUT', url, { answer: 'Z', seq: 3 }, 0);
      assert.equal(unknown.status, 400);
      const noSeq = await call('PUT', url, { answer: 'A' }, 0);
      assert.equal(noSeq.status, 400);
      const notMine = await call('PUT', url, { answer: q.options[1].id, seq: 9 }, 1);
      assert.equal(notMine.status, 404);
      const notInPaper = await call('PUT', `/api/candidate/attempts/${paper.attemptId}/answers/nope`, { answer: 'A', seq: 1 }, 0);
      assert.equal(notInPaper.status, 404);
      const resumed = await enter(0);
      assert.deepEqual(resumed.body.answers, { [q.id]: { answer: q.options[0].id, seq: 2 } });
    });

    test('hand-in: not in the first 30 minutes; then scored by the key; not twice', async () => {
      t.clock.set(T0 + 10 * MIN);
      const early = await call('POST', `/api/candidate/attempts/${paper.attemptId}/submit`, undefined, 0);
      assert.equal(early.status, 409);
      assert.equal(early.body.error.code, 'SUBMIT_TOO_EARLY');

      // Answer every question: the key where the index is even, a wrong answer where odd.
      let expected = 0;
      for (const [i, q] of paper.questions.entries()) {
        const { key } = await keyOf(q.id);
        let answer: AnswerValue;
        if (i % 2 === 0) {
          answer = key;
          expected += q.points;
        } else if (q.type === 'truefalse') answer = !key;
        else if (q.type === 'single') answer = q.options.find((o: any) => o.id !== key).id;
        else answer = q.options.filter((o: any) => !(key as string[]).includes(o.id)).map((o: any) => o.id).slice(0, 1).concat((key as string[]).slice(0, 1));
        const res = await call('PUT', `/api/candidate/attempts/${paper.attemptId}/answers/${q.id}`, { answer, seq: 10 }, 0);
        assert.equal(res.status, 200, res.raw);
      }
      t.clock.set(T0 + 31 * MIN);
      const ok = await call('POST', `/api/candidate/attempts/${paper.attemptId}/submit`, undefined, 0);
      assert.equal(ok.status, 200, ok.raw);
      assert.equal(ok.body.submittedAt, new Date(T0 + 31 * MIN).toISOString());
      const twice = await call('POST', `/api/candidate/attempts/${paper.attemptId}/submit`, undefined, 0);
      assert.equal(twice.body.error.code, 'ALREADY_SUBMITTED');
      const row = await t.ctx.db.selectFrom('attempts').selectAll().where('id', '=', paper.attemptId).executeTakeFirstOrThrow();
      assert.equal(Number(row.score), expected);
      assert.equal(Number(row.max_score), 100);
      assert.equal(row.submit_reason, 'candidate');
      const late = await call('PUT', `/api/candidate/attempts/${paper.attemptId}/answers/${paper.questions[0].id}`, { answer: null, seq: 99 }, 0);
      assert.equal(late.body.error.code, 'ALREADY_SUBMITTED');
      const resume = await enter(0);
      assert.equal(resume.body.error.code, 'ALREADY_SUBMITTED');
    });

    test('entry closes 30 minutes after the start for those who had not entered', async () => {
      const res = await enter(2);
      assert.equal(res.status, 409);
      assert.equal(res.body.error.code, 'ENTRY_CLOSED');
      const relog = await login(2);
      assert.equal(relog.sittings[0].state, 'closed');
      const resumed = await enter(1); // entered at the start: may resume
      assert.equal(resumed.status, 200);
    });

    test('full-screen exit on the theory paper submits it', async () => {
      t.clock.set(T0 + MIN);
      const entered = await enter(3);
      assert.equal(entered.status, 200);
      assert.equal(entered.body.rules.fullscreenRequired, true);
      t.clock.set(T0 + 40 * MIN);
      const focus = await call('POST', `/api/candidate/attempts/${entered.body.attemptId}/events`, { type: 'focus-loss', at: new Date().toISOString() }, 3);
      assert.deepEqual(focus.body, { recorded: true, action: 'none' });
      const exit = await call('POST', `/api/candidate/attempts/${entered.body.attemptId}/events`, { type: 'fullscreen-exit', at: new Date().toISOString() }, 3);
      assert.equal(exit.body.action, 'submitted');
      const status = await call('GET', `/api/candidate/attempts/${entered.body.attemptId}/status`, undefined, 3);
      assert.equal(status.body.state, 'submitted');
      const row = await t.ctx.db.selectFrom('attempts').select(['submit_reason', 'fullscreen_exits']).where('id', '=', entered.body.attemptId).executeTakeFirstOrThrow();
      assert.deepEqual(row, { submit_reason: 'fullscreen-exit', fullscreen_exits: 1 });
      const bad = await call('POST', `/api/candidate/attempts/${entered.body.attemptId}/events`, { type: 'bogus', at: 'x' }, 3);
      assert.equal(bad.status, 400);
    });

    test('the last 5 minutes: no hand-in; after the deadline: TIME_OVER unless changed before it, within the grace', async () => {
      t.clock.set(T0 + 20 * MIN);
      const a = (await enter(4)).body;
      t.clock.set(T0 + 86 * MIN);
      const closed = await call('POST', `/api/candidate/attempts/${a.attemptId}/submit`, undefined, 4);
      assert.equal(closed.body.error.code, 'SUBMIT_CLOSED');
      const q = a.questions.find((x: any) => x.type === 'truefalse');
      const url = `/api/candidate/attempts/${a.attemptId}/answers/${q.id}`;
      assert.equal((await call('PUT', url, { answer: true, seq: 1 }, 4)).status, 200);
      t.clock.set(T0 + 90 * MIN + 5_000);
      const over = await call('PUT', url, { answer: false, seq: 2 }, 4);
      assert.equal(over.status, 409);
      assert.equal(over.body.error.code, 'TIME_OVER');
      const inFlight = await call('PUT', url, { answer: false, seq: 2, changedAt: new Date(T0 + 90 * MIN - 1000).toISOString() }, 4);
      assert.equal(inFlight.status, 200, inFlight.raw);
      const submitLate = await call('POST', `/api/candidate/attempts/${a.attemptId}/submit`, undefined, 4);
      assert.equal(submitLate.body.error.code, 'TIME_OVER');
      t.clock.set(T0 + 90 * MIN + 31_000);
      const tooLate = await call('PUT', url, { answer: true, seq: 3, changedAt: new Date(T0 + 90 * MIN - 1000).toISOString() }, 4);
      assert.equal(tooLate.body.error.code, 'TIME_OVER');
    });

    test('at the deadline the server hands in every open attempt, scored, whether or not the client is there', async () => {
      const handedIn = await t.delivery.finalizeDue();
      assert.ok(handedIn >= 2, `handed in ${handedIn}`);
      const open = await t.ctx.db.selectFrom('attempts').select('id').where('state', '=', 'in_progress').execute();
      assert.deepEqual(open, []);
      const rows = await t.ctx.db.selectFrom('attempts').selectAll().where('submit_reason', '=', 'deadline').execute();
      for (const r of rows) {
        assert.equal(r.submitted_at, r.deadline_at);
        assert.equal(Number(r.max_score), 100);
        assert.ok(r.score !== null);
      }
      assert.equal(await t.delivery.finalizeDue(), 0);
    });
  });
}
