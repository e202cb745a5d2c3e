import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDateTime, formatRange, formatScore, formatTimeNear, submitReasonLabel } from '../src/format.ts';

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
  assert.equal(submitReasonLabel('proctor'), '监考强制交卷');
  assert.equal(submitReasonLabel(null), '—');
  assert.equal(formatScore(86, 100), '86 / 100');
  assert.equal(formatScore(null, null), '—');
});
