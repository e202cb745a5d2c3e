import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AnswerQueue,
  AutosaveSender,
  classifyFailure,
  isAnswered,
  loadPending,
  mergeAnswers,
  pendingKey,
  setAsideKey,
} from '../src/autosave.ts';
import { memoryKV, type KV } from '../src/storage.ts';
import type { Answer, PutAnswerBody } from '../src/types.ts';
import { FakeTimers, settle } from './fake-timers.ts';

const A = 'att-1';

function stored(kv: KV, attemptId = A): Record<string, { answer: unknown; seq: number; changedAt?: string }> {
  const raw = kv.getItem(pendingKey(attemptId));
  return raw ? JSON.parse(raw) : {};
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(code);
  }
}

interface Call {
  questionId: string;
  body: PutAnswerBody;
  at: number;
  resolve(seq?: number): void;
  reject(err: unknown): void;
}

/** A fake server whose answers the test gives by hand. */
function fakePut(timers: FakeTimers) {
  const calls: Call[] = [];
  const put = (questionId: string, body: PutAnswerBody) =>
    new Promise<{ seq: number }>((res, rej) => {
      calls.push({
        questionId,
        body: JSON.parse(JSON.stringify(body)),
        at: timers.now,
        resolve: (seq) => res({ seq: seq ?? body.seq }),
        reject: rej,
      });
    });
  return { calls, put };
}

function setup(opts: { kv?: KV; server?: Record<string, { answer: Answer; seq: number }> } = {}) {
  const kv = opts.kv ?? memoryKV();
  const timers = new FakeTimers();
  const queue = new AnswerQueue(kv, A, opts.server ?? {});
  const fake = fakePut(timers);
  const events: string[] = [];
  const sender = new AutosaveSender({
    queue,
    put: fake.put,
    timers,
    random: () => 0.5, // no jitter
    onClosed: (code) => events.push('closed:' + code),
    onUnauthorized: () => events.push('unauthorized'),
    onRejected: (q) => events.push('rejected:' + q),
  });
  const change = (q: string, answer: Answer, changedAt?: string) => {
    queue.change(q, answer, changedAt);
    sender.changed();
  };
  return { kv, timers, queue, sender, calls: fake.calls, events, change };
}

describe('AnswerQueue', () => {
  it('gives every change the next seq and stores it at once', () => {
    const kv = memoryKV();
    const q = new AnswerQueue(kv, A, { q1: { answer: 'A', seq: 3 } });
    assert.equal(q.answer('q1'), 'A');
    const c = q.change('q1', 'B', '2026-11-26T00:31:00.000Z');
    assert.equal(c.seq, 4);
    assert.deepEqual(stored(kv), { q1: { answer: 'B', seq: 4, changedAt: '2026-11-26T00:31:00.000Z' } });
    q.change('q1', 'C');
    q.change('q2', ['A', 'C']);
    assert.equal(q.seq('q1'), 5);
    assert.equal(q.seq('q2'), 1);
    assert.equal(q.pendingCount, 2);
    assert.deepEqual(stored(kv).q2, { answer: ['A', 'C'], seq: 1 });
  });

  it('sets changes aside when another computer takes over: kept, never sent again, not restored on a return', () => {
    const kv = memoryKV();
    const q = new AnswerQueue(kv, A, { q1: { answer: 'A', seq: 3 } });
    q.change('q1', 'B');
    q.change('q2', 'C');
    assert.equal(q.setAside(), 2);
    assert.equal(q.pendingCount, 0);
    assert.equal(q.hasSendable, false);
    assert.deepEqual(stored(kv), {});
    assert.deepEqual(Object.keys(JSON.parse(kv.getItem(setAsideKey(A)) ?? '{}')), ['q1', 'q2']);
    // Back on this computer later (the other one failed too): the server's answers win.
    const back = new AnswerQueue(kv, A, { q1: { answer: 'D', seq: 6 } });
    assert.equal(back.restored, 0);
    assert.equal(back.answer('q1'), 'D');
    assert.equal(back.answer('q2'), null);
  });

  it('keeps pending stores of different attempts apart', () => {
    const kv = memoryKV();
    new AnswerQueue(kv, 'x').change('q1', 'A');
    new AnswerQueue(kv, 'y').change('q1', 'B');
    assert.equal(stored(kv, 'x').q1?.answer, 'A');
    assert.equal(stored(kv, 'y').q1?.answer, 'B');
  });

  it('takes only the latest change per question, one request per question', () => {
    const q = new AnswerQueue(memoryKV(), A);
    q.change('q1', 'A');
    q.change('q1', 'B');
    q.change('q2', true);
    const batch = q.take();
    assert.deepEqual(
      batch.map((b) => [b.questionId, b.body.answer, b.body.seq]),
      [
        ['q1', 'B', 2],
        ['q2', true, 1],
      ],
    );
    // In flight: not taken again, even after a newer change.
    q.change('q1', 'C');
    assert.deepEqual(q.take(), []);
    assert.equal(q.ack('q1', 2, 2), 'superseded');
    assert.deepEqual(
      q.take().map((b) => [b.questionId, b.body.seq]),
      [['q1', 3]],
    );
  });

  it('removes a change when the response seq is ≥ the sent seq', () => {
    const kv = memoryKV();
    const q = new AnswerQueue(kv, A);
    q.change('q1', 'A');
    q.take();
    assert.equal(q.ack('q1', 1, 1), 'acked');
    assert.equal(q.pendingCount, 0);
    assert.equal(kv.getItem(pendingKey(A)), null);

    // The server already had something newer (seq 7): acknowledged and ignored;
    // the next local change must go above it.
    q.change('q2', 'B');
    q.take();
    assert.equal(q.ack('q2', 1, 7), 'acked');
    assert.equal(q.pendingCount, 0);
    assert.equal(q.change('q2', 'C').seq, 8);
  });

  it('keeps a change the server stored below the sent seq', () => {
    const q = new AnswerQueue(memoryKV(), A);
    q.change('q1', 'A');
    q.take();
    assert.equal(q.ack('q1', 1, 0), 'retry');
    assert.equal(q.pendingCount, 1);
  });

  it('drops a change the server refuses for good, unless a newer one exists', () => {
    const q = new AnswerQueue(memoryKV(), A);
    q.change('q1', 'Z');
    q.take();
    q.drop('q1', 1);
    assert.equal(q.pendingCount, 0);
    q.change('q2', 'Z');
    q.take();
    q.change('q2', 'A');
    q.drop('q2', 1);
    assert.equal(q.pendingCount, 1);
  });

  it('tells answered from unanswered', () => {
    assert.equal(isAnswered(null), false);
    assert.equal(isAnswered(undefined), false);
    assert.equal(isAnswered([]), false);
    assert.equal(isAnswered(['A']), true);
    assert.equal(isAnswered(false), true);
    assert.equal(isAnswered('B'), true);
  });
});

describe('merge after a reload', () => {
  it('local pending with a higher seq wins and stays pending; older ones are dropped', () => {
    const server = {
      q1: { answer: 'A', seq: 2 },
      q2: { answer: 'B', seq: 5 },
      q3: { answer: true, seq: 1 },
    };
    const pending = {
      q1: { answer: 'C', seq: 3, changedAt: 't' }, // newer than server → wins
      q2: { answer: 'D', seq: 5 }, // server already has seq 5 → dropped
      q4: { answer: ['A', 'B'], seq: 1 }, // server has nothing → wins
    };
    const m = mergeAnswers(server, pending);
    assert.deepEqual(m.answers, {
      q1: { answer: 'C', seq: 3 },
      q2: { answer: 'B', seq: 5 },
      q3: { answer: true, seq: 1 },
      q4: { answer: ['A', 'B'], seq: 1 },
    });
    assert.deepEqual(Object.keys(m.pending).sort(), ['q1', 'q4']);
  });

  it('a new queue over the same storage restores and re-sends pending changes', async () => {
    const kv = memoryKV();
    const first = setup({ kv });
    first.change('q1', 'B');
    first.change('q2', false);
    // Page reloads before anything was sent.
    const second = setup({ kv, server: { q1: { answer: 'A', seq: 0 }, q2: { answer: true, seq: 4 } } });
    assert.equal(second.queue.restored, 1);
    assert.equal(second.queue.answer('q1'), 'B');
    assert.equal(second.queue.answer('q2'), true); // the server's seq 4 beats the local seq 1
    second.sender.flush();
    await settle();
    assert.deepEqual(
      second.calls.map((c) => [c.questionId, c.body.answer, c.body.seq]),
      [['q1', 'B', 1]],
    );
    second.calls[0]!.resolve();
    await settle();
    assert.equal(second.queue.pendingCount, 0);
    assert.equal(kv.getItem(pendingKey(A)), null);
  });

  it('ignores a malformed pending store', () => {
    const kv = memoryKV();
    kv.setItem(pendingKey(A), '{not json');
    assert.deepEqual(loadPending(kv, A), {});
    kv.setItem(pendingKey(A), JSON.stringify({ q1: { answer: 'A', seq: 2 }, q2: { answer: 3, seq: 1 }, q3: { seq: -1 } }));
    assert.deepEqual(loadPending(kv, A), { q1: { answer: 'A', seq: 2, changedAt: undefined } });
  });
});

describe('AutosaveSender', () => {
  it('debounces, sends only the latest change, within 500 ms', async () => {
    const t = setup();
    assert.equal(t.sender.state, 'saved');
    t.change('q1', 'A', '2026-11-26T00:31:00.000Z');
    await t.timers.advance(100);
    t.change('q1', 'B', '2026-11-26T00:31:00.100Z');
    assert.equal(t.sender.state, 'saving');
    assert.equal(t.calls.length, 0);
    await t.timers.advance(500);
    assert.equal(t.calls.length, 1);
    const call = t.calls[0]!;
    assert.ok(call.at - 100 <= 500, 'sent within the debounce');
    assert.deepEqual(call.body, { answer: 'B', seq: 2, changedAt: '2026-11-26T00:31:00.100Z' });
    call.resolve(2);
    await settle();
    assert.equal(t.sender.state, 'saved');
    assert.equal(t.sender.pendingCount, 0);
    assert.equal(t.kv.getItem(pendingKey(A)), null);
  });

  it('sends a change made while the previous one is in flight right after the ack', async () => {
    const t = setup();
    t.change('q1', 'A');
    await t.timers.advance(500);
    assert.equal(t.calls.length, 1);
    t.change('q1', 'B');
    await t.timers.advance(500);
    assert.equal(t.calls.length, 1, 'one request per question in flight');
    t.calls[0]!.resolve(1);
    await settle();
    assert.equal(t.calls.length, 2);
    assert.deepEqual(t.calls[1]!.body, { answer: 'B', seq: 2 });
    t.calls[1]!.resolve(2);
    await settle();
    assert.equal(t.sender.state, 'saved');
  });

  it('retries network errors and 5xx with backoff 1 s → 5 s, then recovers', async () => {
    const t = setup();
    t.change('q1', 'A');
    await t.timers.advance(400);
    const gaps: number[] = [];
    for (let i = 0; i < 6; i++) {
      const call = t.calls[t.calls.length - 1]!;
      const failedAt = t.timers.now;
      call.reject(i % 2 ? new HttpError(503, 'UNAVAILABLE') : new TypeError('Failed to fetch'));
      await settle();
      assert.equal(t.sender.state, 'offline');
      assert.equal(t.sender.pendingCount, 1);
      await t.timers.advance(5000);
      const next = t.calls[t.calls.length - 1]!;
      assert.notEqual(next, call, 'retried');
      gaps.push(next.at - failedAt);
    }
    assert.deepEqual(gaps, [1000, 2000, 4000, 5000, 5000, 5000]);
    // A change during the outage is carried by the next retry (latest only).
    const inflight = t.calls[t.calls.length - 1]!;
    t.change('q1', 'B');
    inflight.reject(new TypeError('Failed to fetch'));
    await settle();
    const before = t.calls.length;
    await t.timers.advance(5000);
    assert.equal(t.calls.length, before + 1);
    const last = t.calls[t.calls.length - 1]!;
    assert.deepEqual(last.body, { answer: 'B', seq: 2 });
    last.resolve();
    await settle();
    assert.equal(t.sender.state, 'saved');
    assert.equal(t.sender.failureCount, 0);
  });

  it('flushes at once when the browser comes back online', async () => {
    const t = setup();
    t.change('q1', 'A');
    await t.timers.advance(300);
    t.sender.setOnline(false);
    t.calls[0]!.reject(new TypeError('Failed to fetch'));
    await settle();
    assert.equal(t.sender.state, 'offline');
    await t.timers.advance(200); // backoff (1 s) not over yet
    assert.equal(t.calls.length, 1);
    t.sender.setOnline(true);
    await settle();
    assert.equal(t.calls.length, 2, 'sent without waiting for the backoff');
    t.calls[1]!.resolve();
    await settle();
    assert.equal(t.sender.state, 'saved');
  });

  it('stops on 409 TIME_OVER / ALREADY_SUBMITTED and keeps the pending store', async () => {
    const t = setup();
    t.change('q1', 'A');
    t.change('q2', 'B');
    await t.timers.advance(300);
    assert.equal(t.calls.length, 2);
    t.calls[0]!.reject(new HttpError(409, 'TIME_OVER'));
    await settle();
    assert.deepEqual(t.events, ['closed:TIME_OVER']);
    assert.equal(t.sender.stopped, true);
    t.calls[1]!.reject(new HttpError(409, 'ALREADY_SUBMITTED'));
    await settle();
    assert.deepEqual(t.events, ['closed:TIME_OVER'], 'reported once');
    t.change('q3', 'C');
    await t.timers.advance(10_000);
    assert.equal(t.calls.length, 2, 'nothing more is sent');
    assert.ok(stored(t.kv).q1, 'pending kept');
  });

  it('stops on 401 and keeps the pending store for after the log-in', async () => {
    const t = setup();
    t.change('q1', 'A');
    await t.timers.advance(300);
    t.calls[0]!.reject(new HttpError(401, 'UNAUTHORIZED'));
    await settle();
    assert.deepEqual(t.events, ['unauthorized']);
    assert.deepEqual(stored(t.kv), { q1: { answer: 'A', seq: 1 } });
  });

  it('drops a change refused with 400/404 and goes on with the others', async () => {
    const t = setup();
    t.change('q1', 'Z');
    await t.timers.advance(300);
    t.calls[0]!.reject(new HttpError(400, 'INVALID_ANSWER'));
    await settle();
    assert.deepEqual(t.events, ['rejected:q1']);
    assert.equal(t.sender.pendingCount, 0);
    assert.equal(t.sender.stopped, false);
    t.change('q2', 'A');
    await t.timers.advance(300);
    assert.equal(t.calls.length, 2);
  });

  it('waitIdle resolves true once everything is saved, false on timeout', async () => {
    const t = setup();
    assert.equal(await t.sender.waitIdle(1000), true);
    t.change('q1', 'A');
    t.sender.flush();
    await settle();
    const idle = t.sender.waitIdle(5000);
    t.calls[0]!.resolve();
    assert.equal(await idle, true);

    t.change('q2', 'A');
    t.sender.flush();
    await settle();
    t.calls[1]!.reject(new TypeError('offline'));
    const late = t.sender.waitIdle(3000);
    let result: boolean | null = null;
    void late.then((v) => (result = v));
    await t.timers.advance(900);
    assert.equal(result, null);
    t.calls[2]?.reject(new TypeError('offline'));
    await t.timers.advance(3000);
    assert.equal(result, false);
  });

  it('limits concurrent requests', async () => {
    const t = setup();
    for (let i = 0; i < 10; i++) t.change('q' + i, 'A');
    await t.timers.advance(300);
    assert.equal(t.calls.length, 4);
    t.calls[0]!.resolve();
    await settle();
    assert.equal(t.calls.length, 5);
  });

  it('classifies failures', () => {
    assert.equal(classifyFailure(new TypeError('x')).kind, 'retry');
    assert.equal(classifyFailure(new HttpError(500, 'X')).kind, 'retry');
    assert.equal(classifyFailure(new HttpError(429, 'X')).kind, 'retry');
    assert.equal(classifyFailure(new HttpError(401, 'X')).kind, 'unauthorized');
    assert.deepEqual(classifyFailure(new HttpError(409, 'TIME_OVER')), { kind: 'closed', code: 'TIME_OVER' });
    assert.equal(classifyFailure(new HttpError(409, 'ALREADY_SUBMITTED')).kind, 'closed');
    assert.equal(classifyFailure(new HttpError(404, 'QUESTION_NOT_IN_PAPER')).kind, 'rejected');
  });
});

describe('practical answers (files, text, upload)', () => {
  const big = (kb: number) => {
    // Python-looking text with Chinese comments, kb kilobytes of UTF-8 or so.
    const line = 'for i in range(10):  # 累加成绩\n    total += scores[i]\n';
    return line.repeat(Math.ceil((kb * 1024) / line.length)).slice(0, kb * 1024);
  };

  it('keeps a big files answer in the pending store and restores it after a reload', async () => {
    const kv = memoryKV();
    const first = setup({ kv });
    const files = { 'main.py': big(150), 'util.py': 'def f():\n    return 1\n' };
    first.change('code1', { files });
    assert.deepEqual(stored(kv).code1?.answer, { files });
    // Reload before the save went out: the server still has the starter files (seq 0, no answer).
    const second = setup({ kv, server: { case1: { answer: { text: '旧的' }, seq: 3 } } });
    assert.equal(second.queue.restored, 1);
    assert.deepEqual(second.queue.answer('code1'), { files });
    assert.deepEqual(second.queue.answer('case1'), { text: '旧的' });
    second.sender.flush();
    await settle();
    assert.equal(second.calls.length, 1);
    assert.deepEqual(second.calls[0]!.body, { answer: { files }, seq: 1 });
    second.calls[0]!.resolve();
    await settle();
    assert.equal(kv.getItem(pendingKey(A)), null);
  });

  it('copies a files answer: later edits of the caller\'s object change nothing pending', () => {
    const kv = memoryKV();
    const q = new AnswerQueue(kv, A);
    const files: Record<string, string> = { 'main.py': 'a' };
    q.change('code1', { files });
    files['main.py'] = 'b';
    files['x.py'] = 'c';
    assert.deepEqual(q.answer('code1'), { files: { 'main.py': 'a' } });
    assert.deepEqual(q.take()[0]!.body.answer, { files: { 'main.py': 'a' } });
  });

  it('restores text and upload answers and refuses malformed objects', () => {
    const kv = memoryKV();
    const upload = { id: 'u1', name: '项目.zip', size: 2048, sha256: 'f'.repeat(64) };
    kv.setItem(
      pendingKey(A),
      JSON.stringify({
        ok1: { answer: { text: '分析' }, seq: 2 },
        ok2: { answer: { files: { 'index.html': '<p>' } }, seq: 1 },
        ok3: { answer: { upload }, seq: 4 },
        bad1: { answer: { files: { 'main.py': 3 } }, seq: 1 },
        bad2: { answer: { files: {}, text: '' }, seq: 1 },
        bad3: { answer: { other: 'x' }, seq: 1 },
        bad4: { answer: { text: 5 }, seq: 1 },
        bad5: { answer: { files: ['main.py'] }, seq: 1 },
      }),
    );
    assert.deepEqual(Object.keys(loadPending(kv, A)).sort(), ['ok1', 'ok2', 'ok3']);
    assert.deepEqual(loadPending(kv, A).ok3!.answer, { upload });
  });

  it('an upload takes the next seq of the question and becomes its answer once stored', () => {
    const kv = memoryKV();
    const q = new AnswerQueue(kv, A, { up: { answer: null, seq: 2 } });
    assert.equal(q.nextSeq('up'), 3);
    assert.equal(q.nextSeq('other'), 1);
    const upload = { id: 'u2', name: 'p.zip', size: 10, sha256: 'a'.repeat(64) };
    q.saved('up', { upload }, 3);
    assert.deepEqual(q.answer('up'), { upload });
    assert.equal(q.seq('up'), 3);
    assert.equal(q.nextSeq('up'), 4);
    assert.equal(q.pendingCount, 0, 'nothing to send: the server has it');
    // An older stored answer does not replace a newer one.
    q.saved('up', { upload: { ...upload, id: 'old' } }, 2);
    assert.deepEqual(q.answer('up'), { upload });
    // A pending change at or below the stored seq is dropped.
    q.change('up', null);
    assert.equal(q.pendingCount, 1);
    q.saved('up', { upload }, 5);
    assert.equal(q.pendingCount, 0);
    assert.equal(kv.getItem(pendingKey(A)), null);
  });

  it('tells answered from unanswered for object answers', () => {
    assert.equal(isAnswered({ files: {} }), false);
    assert.equal(isAnswered({ files: { 'main.py': ' \n' } }), false);
    assert.equal(isAnswered({ files: { 'main.py': 'print(1)' } }), true);
    assert.equal(isAnswered({ text: '' }), false);
    assert.equal(isAnswered({ text: '有内容' }), true);
    assert.equal(isAnswered({ upload: { id: 'u', name: 'a.zip', size: 1, sha256: 'x' } }), true);
  });
});
