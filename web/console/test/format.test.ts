import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  auditValueLabel, autoStateLabel, checkVerdictLabel, combinedFormula, formatDateTime, formatPoints, formatRange, formatScore, formatTimeNear, itemTypeLabel,
  MARKING_STATE_LABELS, PAPER_RESULT_LABELS, passLabel, roundLabel, seatLayoutLabel, submitReasonLabel,
} from '../src/format.ts';

test('times are shown in Beijing time (UTC+8), whatever the machine zone', () => {
  assert.equal(formatDateTime('2026-11-26T00:30:00.000Z'), '2026-11-26 08:30:00');
  assert.equal(formatDateTime('2026-11-25T16:30:00Z'), '2026-11-26 00:30:00');
  assert.equal(formatDateTime(null), '—');
  assert.equal(formatDateTime('not a time'), '—');
  assert.equal(formatRange('2026-11-26T00:30:00Z', '2026-11-26T02:00:00Z'), '2026-11-26 08:30–10:00');
  assert.equal(formatRange('2026-11-26T15:00:00Z', '2026-11-26T16:30:00Z'), '2026-11-26 23:00–2026-11-27 00:30');
});

test('attempt times on the sitting day drop the date', () => {
  const start = '2026-11-26T00:30:00Z';
  assert.equal(formatTimeNear('2026-11-26T01:02:03Z', start), '09:02:03');
  assert.equal(formatTimeNear('2026-11-26T17:00:00Z', start), '2026-11-27 01:00:00');
  assert.equal(formatTimeNear(null, start), '—');
});

test('submit reasons and scores in Chinese', () => {
  assert.equal(submitReasonLabel('candidate'), '考生交卷');
  assert.equal(submitReasonLabel('deadline'), '到时自动交卷');
  assert.equal(submitReasonLabel('fullscreen-exit'), '离开全屏强制交卷');
  assert.equal(submitReasonLabel('disqualified'), '取消考试资格');
  assert.equal(submitReasonLabel('proctor'), '监考强制交卷');
  assert.equal(submitReasonLabel(null), '—');
  assert.equal(formatScore(86, 100), '86 / 100');
  assert.equal(formatScore(null, null), '—');
});

test('阅卷 and 成绩 labels in Chinese', () => {
  assert.equal(combinedFormula({ weights: { theory: 0.4, practical: 0.6 }, passMark: 60, decimals: 1 }), '综合成绩 = 0.4 × 理论 + 0.6 × 实操，60 分合格');
  assert.equal(formatPoints(8.5), '8.5');
  assert.equal(formatPoints(0.1 + 0.2), '0.3');
  assert.equal(formatPoints(null), '—');
  assert.deepEqual(passLabel(true), { text: '合格', color: 'success' });
  assert.deepEqual(passLabel(false), { text: '不合格', color: 'error' });
  assert.deepEqual(passLabel(null), { text: '待定', color: 'default' });
  assert.equal(roundLabel(1), '第 1 评');
  assert.equal(roundLabel(2), '第 2 评');
  assert.equal(roundLabel(3), '仲裁');
  assert.equal(checkVerdictLabel('passed'), '通过');
  assert.equal(checkVerdictLabel('timeout'), '超时');
  assert.equal(itemTypeLabel('case'), '案例分析题');
  assert.deepEqual(Object.values(MARKING_STATE_LABELS), ['待评', '待二评', '待仲裁', '已定分']);
  assert.deepEqual(Object.values(PAPER_RESULT_LABELS), ['未参加', '作答中', '判分中', '已定分', '取消考试资格', '缺考']);
  assert.equal(autoStateLabel('queued'), '排队中');
});

test('a room layout: seats per row and rows, the back row possibly short', () => {
  assert.equal(seatLayoutLabel(40, 8), '每排 8 座 / 5 排');
  assert.equal(seatLayoutLabel(40, 6), '每排 6 座 / 7 排');
  assert.equal(seatLayoutLabel(30, 5), '每排 5 座 / 6 排');
});

test('audit values: 是/否, lists joined, empty and null told apart, objects as JSON', () => {
  assert.equal(auditValueLabel(true), '是');
  assert.equal(auditValueLabel(false), '否');
  assert.equal(auditValueLabel(['10.20.1.0/24', '10.20.2.0/24']), '10.20.1.0/24、10.20.2.0/24');
  assert.equal(auditValueLabel([]), '（无）');
  assert.equal(auditValueLabel(null), '（空）');
  assert.equal(auditValueLabel(undefined), '');
  assert.equal(auditValueLabel(40), '40');
  assert.equal(auditValueLabel({ everyOtherSeat: true }), 'everyOtherSeat：是');
  assert.equal(auditValueLabel('2026-12-12T09:00:00.000Z'), '2026-12-12 17:00:00', 'a stored time in Beijing time');
  assert.equal(auditValueLabel('2026-12-12'), '2026-12-12', 'a date is not a stored time');
  const names = {
    field: (k: string) => ({ level: '等级', paper: '试卷', startsAt: '开考时间', durationMin: '时长（分钟）' })[k] ?? k,
    value: (k: string, v: unknown) => (k === 'paper' && v === 'theory' ? '理论' : k === 'level' && v === 'junior' ? '初级' : null),
  };
  assert.equal(
    auditValueLabel([{ level: 'junior', paper: 'theory', startsAt: '2026-12-26T00:30:00.000Z', durationMin: 90 }, { level: 'junior', paper: 'practical', startsAt: '2026-12-26T02:10:00.000Z', durationMin: null }], names),
    '等级：初级，试卷：理论，开考时间：2026-12-26 08:30:00，时长（分钟）：90\n等级：初级，试卷：practical，开考时间：2026-12-26 10:10:00，时长（分钟）：（空）',
  );
});
