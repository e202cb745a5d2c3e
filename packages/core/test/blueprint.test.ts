import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blueprintSpecSchema, blueprintTotal, BlueprintUnsatisfiable, drawPaper, seededRandom, type PoolQuestion } from '../src/index.ts';

const theory = blueprintSpecSchema.parse({
  sections: [
    { type: 'single', count: 30, points: 2 },
    { type: 'multiple', count: 10, points: 2 },
    { type: 'truefalse', count: 10, points: 2 },
  ],
});

function pool(single: number, multiple: number, tf: number): PoolQuestion[] {
  const make = (type: PoolQuestion['type'], n: number) =>
    Array.from({ length: n }, (_, i) => ({ id: `${type}-${i}`, type, topic: i % 2 ? '函数' : '列表', optionIds: type === 'truefalse' ? [] : ['A', 'B', 'C', 'D'] }));
  return [...make('single', single), ...make('multiple', multiple), ...make('truefalse', tf)];
}

test('the default theory blueprint is 100 points', () => {
  assert.equal(blueprintTotal(theory), 100);
  assert.equal(theory.multiplePartialCredit, 'none');
});

test('a drawn paper follows the blueprint, without repeats, for many seeds', () => {
  const p = pool(60, 20, 20);
  for (let seed = 0; seed < 200; seed++) {
    const paper = drawPaper(theory, p, seededRandom(`seed-${seed}`));
    assert.equal(paper.length, 50);
    assert.equal(new Set(paper.map((e) => e.questionId)).size, 50);
    assert.deepEqual(paper.slice(0, 30).map((e) => e.questionId.split('-')[0]), Array(30).fill('single'));
    assert.deepEqual(paper.slice(40).map((e) => e.questionId.split('-')[0]), Array(10).fill('truefalse'));
    for (const e of paper) {
      assert.deepEqual([...e.optionOrder].sort(), e.questionId.startsWith('truefalse') ? [] : ['A', 'B', 'C', 'D']);
    }
  }
});

test('the same seed draws the same paper; different seeds shuffle questions and options', () => {
  const p = pool(60, 20, 20);
  assert.deepEqual(drawPaper(theory, p, seededRandom('x')), drawPaper(theory, p, seededRandom('x')));
  const papers = Array.from({ length: 50 }, (_, i) => drawPaper(theory, p, seededRandom(`s${i}`)));
  const firstQuestions = new Set(papers.map((paper) => paper[0]!.questionId));
  assert.ok(firstQuestions.size > 20, `first question varies (${firstQuestions.size} distinct)`);
  const firstOptions = new Set(papers.map((paper) => paper[0]!.optionOrder[0]));
  assert.equal(firstOptions.size, 4);
});

test('every question of the pool is drawn about equally often', () => {
  const p = pool(60, 20, 20);
  const counts = new Map<string, number>();
  const n = 3000;
  for (let i = 0; i < n; i++) for (const e of drawPaper(theory, p, seededRandom(`f${i}`))) counts.set(e.questionId, (counts.get(e.questionId) ?? 0) + 1);
  // single: 30 of 60 each time → each drawn with probability 1/2.
  for (let i = 0; i < 60; i++) {
    const c = counts.get(`single-${i}`) ?? 0;
    assert.ok(Math.abs(c / n - 0.5) < 0.05, `single-${i} drawn ${c} times of ${n}`);
  }
});

test('topics restrict a section; a pool too small is refused with what is missing', () => {
  const spec = blueprintSpecSchema.parse({ sections: [{ type: 'single', count: 5, points: 2, topics: ['函数'] }] });
  const paper = drawPaper(spec, pool(20, 0, 0), seededRandom('t'));
  assert.ok(paper.every((e) => Number(e.questionId.split('-')[1]) % 2 === 1));
  assert.throws(() => drawPaper(theory, pool(29, 20, 20), seededRandom('t')), (err: unknown) => {
    assert.ok(err instanceof BlueprintUnsatisfiable);
    assert.deepEqual(err.shortages, [{ type: 'single', needed: 30, available: 29 }]);
    return true;
  });
});
