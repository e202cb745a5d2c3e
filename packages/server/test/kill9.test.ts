import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { openContext } from '../src/bootstrap.ts';
import { createDemo } from '../src/modules/demo/demo.ts';
import { databaseKinds, freshDatabase, type TestDatabase } from './helpers.ts';
import { startServerProcess } from './server-process.ts';

async function withContext<T>(db: TestDatabase, fn: (ctx: Awaited<ReturnType<typeof openContext>>) => Promise<T>): Promise<T> {
  const ctx = await openContext({ DATABASE_URL: db.url, DATABASE_SCHEMA: db.schema, LOG_LEVEL: 'silent', KAOWU_SECRET: undefined }, { log: pino({ level: 'silent' }) });
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

const json = async (res: Response) => ({ status: res.status, body: (await res.json()) as any });

for (const { kind, skip } of await databaseKinds()) {
  describe(`kill -9 in the middle of a stream of saves, on ${kind}`, { skip }, () => {
    test('every acknowledged save is there after the restart', { timeout: 120_000 }, async () => {
      const db = await freshDatabase(kind);
      const demo = await withContext(db, (ctx) => createDemo(ctx, { candidates: 4, level: 'junior', startsAt: Date.now() - 60_000 }));
      let server = await startServerProcess(db);
      // Acknowledged saves: attemptId → questionId → { seq, answer }.
      const acked = new Map<string, Map<string, { seq: number; answer: unknown }>>();
      let sent = 0;
      try {
        const sessions = await Promise.all(
          demo.candidates.map(async (c) => {
            const login = await json(await fetch(`${server.base}/api/candidate/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ticketNo: c.ticketNo, idNumber: c.idNumber }) }));
            assert.equal(login.status, 200);
            const token = login.body.token as string;
            const attempt = await json(await fetch(`${server.base}/api/candidate/sittings/${demo.sittingId}/attempt`, { method: 'POST', headers: { authorization: `Bearer ${token}` } }));
            assert.equal(attempt.status, 200);
            acked.set(attempt.body.attemptId, new Map());
            return { token, attempt: attempt.body };
          }),
        );

        // Each candidate streams saves, 4 in flight at a time, until the server dies.
        // Lane `l` only ever saves questions l, l+4, l+8, … (indices below a multiple
        // of 4), so no two lanes share a question: each question has at most one save
        // in flight and its seqs go out, and are acknowledged, in order.
        let killed = false;
        const seq = new Map<string, number>();
        const LANES = 4;
        const stream = async (s: (typeof sessions)[number], lane: number) => {
          const usable = s.attempt.questions.length - (s.attempt.questions.length % LANES);
          for (let i = 0; !killed; i++) {
            const q = s.attempt.questions[(lane + LANES * i) % usable];
            const key = `${s.attempt.attemptId}/${q.id}`;
            const n = (seq.get(key) ?? 0) + 1;
            seq.set(key, n);
            const answer = q.type === 'truefalse' ? n % 2 === 0 : q.type === 'single' ? q.options[n % q.options.length].id : [q.options[0].id, q.options[1 + (n % (q.options.length - 1))].id];
            sent++;
            try {
              const res = await fetch(`${server.base}/api/candidate/attempts/${s.attempt.attemptId}/answers/${q.id}`, {
                method: 'PUT',
                headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' },
                body: JSON.stringify({ answer, seq: n }),
              });
              if (res.status !== 200) throw new Error(`save answered ${res.status}: ${await res.text()}`);
              const ack = (await res.json()) as { seq: number };
              assert.equal(ack.seq, n);
              acked.get(s.attempt.attemptId)!.set(q.id, { seq: n, answer });
            } catch (err) {
              if (!killed) throw err;
            }
          }
        };
        const streams = sessions.flatMap((s) => Array.from({ length: LANES }, (_, lane) => stream(s, lane)));
        const ackCount = () => [...acked.values()].reduce((n, m) => n + m.size, 0);
        // Saves for 1.5 s, longer on a slow machine until more than 20 are acknowledged.
        await new Promise((r) => setTimeout(r, 1500));
        for (const until = Date.now() + 30_000; ackCount() <= 20 && Date.now() < until; ) await new Promise((r) => setTimeout(r, 50));
        killed = true;
        await server.kill9();
        await Promise.all(streams);
        assert.ok(ackCount() > 20, `only ${ackCount()} distinct acknowledged answers before the kill (sent ${sent})`);

        server = await startServerProcess(db);
        // Read back through the database itself…
        await withContext(db, async (ctx) => {
          for (const [attemptId, answers] of acked) {
            const rows = await ctx.db.selectFrom('answers').select(['question_id', 'seq', 'answer']).where('attempt_id', '=', attemptId).execute();
            const stored = new Map(rows.map((r) => [r.question_id, r]));
            for (const [questionId, a] of answers) {
              const row = stored.get(questionId);
              assert.ok(row, `acknowledged answer ${attemptId}/${questionId} is missing`);
              assert.ok(row.seq >= a.seq, `stored seq ${row.seq} < acknowledged ${a.seq}`);
              if (row.seq === a.seq) assert.deepEqual(JSON.parse(row.answer), a.answer);
            }
          }
        });
        // …and through the API, as the candidate's client would see it on resume.
        for (const s of sessions) {
          const resumed = await json(await fetch(`${server.base}/api/candidate/sittings/${demo.sittingId}/attempt`, { method: 'POST', headers: { authorization: `Bearer ${s.token}` } }));
          assert.equal(resumed.status, 200);
          for (const [questionId, a] of acked.get(s.attempt.attemptId)!) {
            assert.ok(resumed.body.answers[questionId].seq >= a.seq);
          }
        }
      } finally {
        await server.stop();
        await db.drop();
      }
    });
  });
}
