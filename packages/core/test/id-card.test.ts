import { test } from 'node:test';
import assert from 'node:assert/strict';
import { idCheckChar, idNumberProblem, makeIdNumber } from '../src/index.ts';

test('GB 11643 check characters', () => {
  // The standard's own example: 11010519491231002X.
  assert.equal(idCheckChar('11010519491231002'), 'X');
  assert.equal(idNumberProblem('11010519491231002X'), null);
  assert.equal(idNumberProblem('11010519491231002x'), null);
  assert.match(idNumberProblem('110105194912310021')!, /校验位/);
  assert.match(idNumberProblem('1101051949123100')!, /18 位/);
  assert.match(idNumberProblem('11010519490231002X')!, /出生日期/);
  assert.match(idNumberProblem('1101051949123100AX')!, /数字/);
});

test('made-up numbers are valid', () => {
  for (let i = 0; i < 100; i++) {
    const id = makeIdNumber('310104', { y: 2001, m: 1 + (i % 12), d: 1 + (i % 28) }, i);
    assert.equal(idNumberProblem(id), null, id);
  }
});
