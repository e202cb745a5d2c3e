import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatClock, formatCountdown, formatDate, formatDateTime, formatDurationWords, optionLabel } from '../src/format.ts';
import { countUnanswered, groupQuestions, orderQuestions, toggleOption } from '../src/paper.ts';
import { autoEnterTarget } from '../src/session.ts';
import type { Question, SittingSummary } from '../src/types.ts';

describe('format (Asia/Shanghai, by hand)', () => {
  it('shows UTC times in Beijing time', () => {
    assert.equal(formatDateTime('2026-11-26T00:30:00.000Z'), '2026-11-26 08:30:00');
    assert.equal(formatDateTime('2026-11-25T16:00:00.000Z'), '2026-11-26 00:00:00');
    assert.equal(formatClock('2026-11-26T02:00:00Z'), '10:00');
    assert.equal(formatDate('2026-11-26T00:30:00Z'), '2026年11月26日（星期四）');
    assert.equal(formatDateTime('nonsense'), '—');
  });

  it('formats countdowns rounded up to the second, never negative', () => {
    assert.equal(formatCountdown(90 * 60_000), '01:30:00');
    assert.equal(formatCountdown(90 * 60_000 - 1), '01:30:00');
    assert.equal(formatCountdown(59_001), '00:01:00');
    assert.equal(formatCountdown(400), '00:00:01');
    assert.equal(formatCountdown(0), '00:00:00');
    assert.equal(formatCountdown(-5000), '00:00:00');
    assert.equal(formatDurationWords(5 * 60_000), '5 分钟');
    assert.equal(formatDurationWords(30_000), '30 秒');
    assert.equal(formatDurationWords(65 * 60_000), '1 小时 5 分钟');
  });

  it('labels options by position', () => {
    assert.deepEqual([0, 1, 2, 3, 7].map(optionLabel), ['A', 'B', 'C', 'D', 'H']);
  });
});

const q = (id: string, type: Question['type'], options = ['A', 'B', 'C', 'D']): Question => ({
  id,
  type,
  stem: id,
  options: type === 'truefalse' ? [] : options.map((o) => ({ id: o, text: o })),
  points: type === 'multiple' ? 3 : 2,
});

describe('paper helpers', () => {
  it('orders by type, keeping the candidate order inside each type, and numbers 1..n', () => {
    const qs = [q('t1', 'truefalse'), q('s1', 'single'), q('m1', 'multiple'), q('s2', 'single'), q('t2', 'truefalse')];
    const ordered = orderQuestions(qs);
    assert.deepEqual(
      ordered.map((x) => [x.number, x.question.id]),
      [
        [1, 's1'],
        [2, 's2'],
        [3, 'm1'],
        [4, 't1'],
        [5, 't2'],
      ],
    );
    const groups = groupQuestions(ordered);
    assert.deepEqual(
      groups.map((g) => [g.title, g.items.length, g.points]),
      [
        ['单选题', 2, 4],
        ['多选题', 1, 3],
        ['判断题', 2, 4],
      ],
    );
  });

  it('toggles multiple-choice options in display order; empty is null', () => {
    const m = q('m', 'multiple', ['C', 'A', 'D', 'B']); // shuffled for this candidate
    let a = toggleOption(m, null, 'B', true);
    assert.deepEqual(a, ['B']);
    a = toggleOption(m, a, 'C', true);
    assert.deepEqual(a, ['C', 'B']);
    a = toggleOption(m, a, 'B', false);
    a = toggleOption(m, a, 'C', false);
    assert.equal(a, null);
  });

  it('counts unanswered questions', () => {
    const qs = [q('a', 'single'), q('b', 'multiple'), q('c', 'truefalse'), q('d', 'truefalse')];
    const answers: Record<string, unknown> = { a: 'B', b: [], c: false };
    assert.equal(countUnanswered(qs, (id) => (answers[id] ?? null) as never), 2);
  });
});

describe('auto-enter', () => {
  const s = (id: string, state: SittingSummary['state']): SittingSummary => ({
    id,
    state,
    paper: 'theory',
    name: id,
    startsAt: '2026-11-26T00:30:00Z',
    endsAt: '2026-11-26T02:00:00Z',
  });
  it('enters the only open or waiting sitting, otherwise lists', () => {
    assert.equal(autoEnterTarget([s('a', 'open'), s('b', 'upcoming')])?.id, 'a');
    assert.equal(autoEnterTarget([s('a', 'submitted'), s('b', 'waiting')])?.id, 'b');
    assert.equal(autoEnterTarget([s('a', 'open'), s('b', 'waiting')]), null);
    assert.equal(autoEnterTarget([s('a', 'closed')]), null);
  });
});
