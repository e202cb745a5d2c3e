import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { scorePaper, type AnswerValue, type Key } from '@kaowu/core';
import { createDemo } from '../src/modules/demo/demo.ts';
import { databaseKinds, freshDatabase, startTestApp, type TestApp } from './helpers.ts';

const T0 = Date.parse('2026-06-20T00:30:00.000Z');
const MIN = 60_000;

for (const { kind, skip } of await databaseKinds()) {
  describe(`hand-in racing a burst of saves, on ${kind}`, { skip }, () => {
    let t: TestApp;
    before(async () => (t = await startTestApp(await freshDatabase(kind))));
    after(async () => t?.close());

    test('every acknowledged save is in the scored paper; none is acknowledged after the hand-in', async () => {
      t.clock.set(T0 - MIN);
      const demo = await createDemo(t.ctx, { candidates: 1, level: 'junior', startsAt: T0 });
      const c = demo.candidates[0]!;
      const login = (await t.app.inject({ method: 'POST', url: '/api/candidate/login', payload: { ticketNo: c.ticketNo, idNumber: c.idNumber } })).json();
      const headers = { authorization: `Bearer ${login.token}` };
      t.clock.set(T0 + MIN);
      const paper = (await t.app.inject({ method: 'POST', url: `/api/candidate/sittings/${demo.sittingId}/attempt`, headers })).json();
      t.clock.set(T0 + 40 * MIN);
      const keys = new Map<string, Key>();
      for (const r of await t.ctx.db.selectFrom('questions').select(['id', 'answer_key']).where('id', 'in', paper.questions.map((q: any) => q.id)).execute()) {
        keys.set(r.id, JSON.parse(r.answer_key) as Key);
      }
      // Every question answered with its key, all at once, with the hand-in in the middle.
      const saves = paper.questions.map((q: any) =>
        t.app.inject({ method: 'PUT', url: `/api/candidate/attempts/${paper.attemptId}/answers/${q.id}`, headers, payload: { answer: keys.get(q.id), seq: 1 } }),
      );
      const submit = t.app.inject({ method: 'POST', url: `/api/candidate/attempts/${paper.attemptId}/submit`, headers });
      const more = paper.questions.slice(0, 10).map((q: any) =>
        t.app.inject({ method: 'PUT', url: `/api/candidate/attempts/${paper.attemptId}/answers/${q.id}`, headers, payload: { answer: null, seq: 2 } }),
      );
      const [submitted, ...results] = await Promise.all([submit, ...saves, ...more]);
      assert.equal(submitted.statusCode, 200, submitted.body);
      const acked = results.filter((r) => r.statusCode === 200).length;
      for (const r of results) assert.ok(r.statusCode === 200 || r.json().error.code === 'ALREADY_SUBMITTED', r.body);

      const attempt = await t.ctx.db.selectFrom('attempts').selectAll().where('id', '=', paper.attemptId).executeTakeFirstOrThrow();
      const stored = await t.ctx.db.selectFrom('answers').select(['question_id', 'answer', 'saved_at']).where('attempt_id', '=', paper.attemptId).execute();
      // The stored answers are exactly what was scored…
      const answers: Record<string, AnswerValue> = Object.fromEntries(stored.map((r) => [r.question_id, JSON.parse(r.answer) as AnswerValue]));
      const items = paper.questions.map((q: any) => ({ question: { id: q.id, type: q.type, key: keys.get(q.id)! }, points: q.points }));
      assert.equal(Number(attempt.score), scorePaper(items, answers).score, `score of ${acked} acknowledged saves`);
      // …and every stored answer was saved no later than the hand-in.
      for (const r of stored) assert.ok(r.saved_at <= attempt.submitted_at!, `${r.saved_at} after ${attempt.submitted_at}`);
      assert.equal(stored.length <= acked, true);
    });
  });
}
