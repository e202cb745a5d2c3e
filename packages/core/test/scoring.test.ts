import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerProblem, scoreAnswer, scorePaper, type AnswerValue, type Key, type PartialCreditMode } from '../src/index.ts';

test('scoring one answer', () => {
  const table: [string, Key, AnswerValue | undefined, PartialCreditMode, number][] = [
    ['single', 'B', 'B', 'none', 2],
    ['single', 'B', 'C', 'none', 0],
    ['single', 'B', null, 'none', 0],
    ['single', 'B', undefined, 'none', 0],
    ['truefalse', true, true, 'none', 2],
    ['truefalse', true, false, 'none', 0],
    ['truefalse', false, false, 'none', 2],
    ['multiple', ['A', 'C'], ['C', 'A'], 'none', 2],
    ['multiple', ['A', 'C'], ['A'], 'none', 0],
    ['multiple', ['A', 'C'], ['A'], 'half', 1],
    ['multiple', ['A', 'C', 'D'], ['A'], 'proportional', 0.67],
    ['multiple', ['A', 'C', 'D'], ['A', 'D'], 'proportional', 1.33],
    ['multiple', ['A', 'C'], ['A', 'B'], 'half', 0], // a wrong option earns nothing
    ['multiple', ['A', 'C'], ['A', 'B', 'C'], 'proportional', 0],
    ['multiple', ['A', 'C'], [], 'half', 0],
    ['multiple', ['A', 'C'], 'A', 'half', 0],
  ];
  for (const [type, key, answer, partial, expected] of table) {
    assert.equal(scoreAnswer({ type: type as 'single', key }, 2, answer, partial), expected, `${type} ${JSON.stringify(key)} ← ${JSON.stringify(answer)} (${partial})`);
  }
});

test('scoring a paper', () => {
  const items = [
    { question: { id: 'q1', type: 'single' as const, key: 'A' }, points: 2 },
    { question: { id: 'q2', type: 'multiple' as const, key: ['A', 'B'] }, points: 2 },
    { question: { id: 'q3', type: 'truefalse' as const, key: false }, points: 2 },
  ];
  assert.deepEqual(scorePaper(items, { q1: 'A', q2: ['A'], q3: false }), { score: 4, maxScore: 6, perQuestion: { q1: 2, q2: 0, q3: 2 } });
  assert.deepEqual(scorePaper(items, { q2: ['B'] }, 'half').score, 1);
  assert.deepEqual(scorePaper(items, {}).score, 0);
});

test('answer shapes', () => {
  const single = { type: 'single' as const, optionIds: ['A', 'B', 'C', 'D'] };
  const multiple = { type: 'multiple' as const, optionIds: ['A', 'B', 'C', 'D'] };
  const tf = { type: 'truefalse' as const, optionIds: [] };
  assert.equal(answerProblem(single, 'A'), null);
  assert.equal(answerProblem(single, null), null);
  assert.match(answerProblem(single, 'E')!, /不存在/);
  assert.match(answerProblem(single, ['A'])!, /单选/);
  assert.equal(answerProblem(multiple, ['A', 'D']), null);
  assert.match(answerProblem(multiple, ['A', 'A'])!, /重复/);
  assert.match(answerProblem(multiple, 'A')!, /多选/);
  assert.equal(answerProblem(tf, false), null);
  assert.match(answerProblem(tf, 'true')!, /判断/);
});
