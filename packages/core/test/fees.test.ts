import { test } from 'node:test';
import assert from 'node:assert/strict';
import { settle, SETTLEMENT_MODES, SETTLEMENT_RULE } from '../src/index.ts';

test('the site institution pays 240 directly; another pays 300 and gets 60 back', () => {
  const s = settle(
    [
      { institutionId: 'other', institutionName: '乙职业学院', count: 15 },
      { institutionId: 'site', institutionName: '甲职业技术学院', count: 20 },
    ],
    'site',
  );
  assert.deepEqual(s.lines, [
    { institutionId: 'site', institutionName: '甲职业技术学院', registrations: 20, payable: 20 * 240, refund: 0, net: 4800, mode: '站点院校直缴 240 元/人' },
    { institutionId: 'other', institutionName: '乙职业学院', registrations: 15, payable: 15 * 300, refund: 15 * 60, net: 3600, mode: '缴 300 元/人，返还 60 元/人' },
  ]);
  assert.deepEqual(s.totals, { registrations: 35, payable: 4800 + 4500, refund: 900, net: 8400, operatorShare: 35 * 240, siteShare: 35 * 60 });
  assert.equal(SETTLEMENT_RULE, '每人每次 300 元：培训评价组织 240 元，考核站点 60 元');
  assert.equal(SETTLEMENT_MODES.refund, '缴 300 元/人，返还 60 元/人');
});

test('entries of one institution add up; empty ones are left out; bad counts are refused', () => {
  const s = settle(
    [
      { institutionId: 'a', institutionName: 'A', count: 2 },
      { institutionId: 'b', institutionName: 'B', count: 0 },
      { institutionId: 'a', institutionName: 'A', count: 3 },
    ],
    'site',
  );
  assert.deepEqual(s.lines.map((l) => [l.institutionId, l.registrations, l.net]), [['a', 5, 1200]]);
  assert.deepEqual(settle([], 'site').totals, { registrations: 0, payable: 0, refund: 0, net: 0, operatorShare: 0, siteShare: 0 });
  assert.throws(() => settle([{ institutionId: 'a', institutionName: 'A', count: -1 }], 'site'), RangeError);
  assert.throws(() => settle([{ institutionId: 'a', institutionName: 'A', count: 1.5 }], 'site'), RangeError);
});
