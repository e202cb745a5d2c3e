import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerProblem, combinedScore, drawPaper, resolveMarking, roundHalfUp, seededRandom, type Mark, type MarkingOutcome } from '../src/index.ts';

test('resolving marks: single and double marking with arbitration', () => {
  const double = { threshold: 3 };
  const table: [string, Mark[], { threshold: number } | undefined, MarkingOutcome][] = [
    ['single, none yet', [], undefined, { state: 'needs-first', total: null, nextRound: 1 }],
    ['single, one mark', [{ round: 1, total: 14 }], undefined, { state: 'final', total: 14, nextRound: null }],
    ['double, one mark', [{ round: 1, total: 14 }], double, { state: 'needs-second', total: null, nextRound: 2 }],
    ['double, close marks average', [{ round: 1, total: 14 }, { round: 2, total: 16.5 }], double, { state: 'final', total: 15.25, nextRound: null }],
    ['double, exactly the threshold apart', [{ round: 1, total: 10 }, { round: 2, total: 13 }], double, { state: 'final', total: 11.5, nextRound: null }],
    ['double, too far apart', [{ round: 1, total: 8 }, { round: 2, total: 16 }], double, { state: 'needs-arbitration', total: null, nextRound: 3 }],
    ['arbitrated: average with the nearer mark', [{ round: 1, total: 8 }, { round: 2, total: 16 }, { round: 3, total: 15 }], double, { state: 'final', total: 15.5, nextRound: null }],
    ['arbitrated toward the first', [{ round: 2, total: 16 }, { round: 1, total: 8 }, { round: 3, total: 9 }], double, { state: 'final', total: 8.5, nextRound: null }],
  ];
  for (const [name, marks, d, expected] of table) assert.deepEqual(resolveMarking(marks, d), expected, name);
});

test('combined score: 0.4 × theory + 0.6 × practical, pass at 60, rounded half up', () => {
  const table: [number | null, number | null, number | null, boolean | null][] = [
    [80, 70, 74, true],
    [60, 60, 60, true],
    [75, 62.5, 67.5, true],
    [100, 33, 59.8, false],
    [59.9, 59.9, 59.9, false],
    [61.25, 58.75, 59.8, false], // 24.5 + 35.25 = 59.75 → 59.8 (half up), still below 60
    [0, 100, 60, true],
    [null, 90, null, null],
    [90, null, null, null],
  ];
  for (const [theory, practical, combined, passed] of table) {
    assert.deepEqual(combinedScore(theory, practical), { combined, passed }, `${theory} / ${practical}`);
  }
  assert.deepEqual(combinedScore(70, 50, { weights: { theory: 0.5, practical: 0.5 }, passMark: 60, decimals: 0 }), { combined: 60, passed: true });
  assert.equal(roundHalfUp(0.1 + 0.2, 1), 0.3);
  assert.equal(roundHalfUp(2.675, 2), 2.68);
});

test('practical answers are checked for shape and size', () => {
  assert.equal(answerProblem({ type: 'code', optionIds: [] }, { files: { 'main.py': 'print(1)' } }), null);
  assert.match(answerProblem({ type: 'code', optionIds: [] }, { text: 'x' }) ?? '', /文件/);
  assert.match(answerProblem({ type: 'code', optionIds: [] }, { files: { 'main.py': 'x'.repeat(210 * 1024) } }) ?? '', /200 KB/);
  assert.equal(answerProblem({ type: 'case', optionIds: [] }, { text: '分析……' }), null);
  assert.match(answerProblem({ type: 'case', optionIds: [] }, { files: {} }) ?? '', /文字/);
  assert.match(answerProblem({ type: 'upload', optionIds: [] }, { text: 'x' }) ?? '', /上传/);
  assert.equal(answerProblem({ type: 'webpage', optionIds: [] }, null), null);
});

test('a practical blueprint draws any task type, never a theory question', () => {
  const pool = [
    ...['code', 'webpage', 'case', 'upload', 'code', 'code'].map((type, i) => ({ id: `T${i}`, type: type as 'code', topic: 't', optionIds: [] })),
    { id: 'Q1', type: 'single' as const, topic: 't', optionIds: ['A', 'B'] },
  ];
  const spec = { sections: [{ type: 'task' as const, count: 5, points: 20 }], multiplePartialCredit: 'none' as const, shuffleQuestions: true, shuffleOptions: true };
  for (let seed = 0; seed < 20; seed++) {
    const paper = drawPaper(spec, pool, seededRandom(`s${seed}`));
    assert.equal(paper.length, 5);
    assert.ok(paper.every((e) => e.questionId.startsWith('T') && e.points === 20 && e.optionOrder.length === 0));
  }
});
