// The proctor console's pure parts: its routes and who may open them, the
// seat states and actions in Chinese, the ages of saves and the countdown,
// the order of 我的监考 (today first), the reconnect backoff.
//
//   node --import tsx --test web/console/test/proctor.test.ts

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canOpen, homeRoute, sectionOf, sectionsFor } from '../src/access.ts';
import { href, parseHash, type Route } from '../src/router.ts';
import type { ProctorAction, ProctorRoomItem, Seat } from '../src/proctor/api.ts';
import { liveUrl } from '../src/proctor/api.ts';
import {
  actionLabel, actionLog, countdown, defaultAbsenceReason, eventBadges, formatAge, formatDuration, groupByDay, SEAT_STATE_LABELS, seatActions,
} from '../src/proctor/labels.ts';
import { backoffMs } from '../src/proctor/live.ts';

test('the proctor routes parse and print back', () => {
  const cases: [string, Route][] = [
    ['#/proctor', { name: 'proctor' }],
    ['#/proctor/s1/rooms/r1', { name: 'proctorRoom', sittingId: 's1', roomId: 'r1' }],
    ['#/proctor/s1/sites/site-9', { name: 'proctorSite', sittingId: 's1', siteId: 'site-9' }],
  ];
  for (const [hash, route] of cases) {
    assert.deepEqual(parseHash(hash), route, hash);
    assert.equal(href(route), hash);
  }
  // Parameters are escaped and unescaped; a broken escape is a 404, not a crash.
  const odd: Route = { name: 'proctorRoom', sittingId: 'a/b', roomId: '第1考场' };
  assert.deepEqual(parseHash(href(odd)), odd);
  assert.equal(parseHash('#/proctor/%E0%A4%A/rooms/x').name, 'notFound');
  assert.equal(parseHash('#/proctor/s1/rooms').name, 'notFound');
  assert.equal(parseHash('#/proctor/s1/rooms/r1/extra').name, 'notFound');
  // The one-parameter routes still work.
  assert.deepEqual(parseHash('#/sittings/abc'), { name: 'sitting', sittingId: 'abc' });
  assert.deepEqual(parseHash('#/sites/x%20y'), { name: 'site', siteId: 'x y' });
});

test('监考 is in the menu of every role that may be assigned, and only theirs', () => {
  for (const role of ['proctor', 'teacher', 'coordinator', 'institution_admin', 'operator']) {
    assert.ok(sectionsFor(role).some((s) => s.key === 'proctor' && s.label === '监考'), role);
    assert.ok(canOpen(role, { name: 'proctorRoom', sittingId: 's', roomId: 'r' }), role);
    assert.ok(canOpen(role, { name: 'proctorSite', sittingId: 's', siteId: 'x' }), role);
  }
  for (const role of ['grader', 'student', 'site_technician']) {
    assert.ok(!sectionsFor(role).some((s) => s.key === 'proctor'), role);
    assert.ok(!canOpen(role, { name: 'proctorRoom', sittingId: 's', roomId: 'r' }), role);
  }
  assert.equal(sectionOf({ name: 'proctorRoom', sittingId: 's', roomId: 'r' }), 'proctor');
  assert.equal(sectionOf({ name: 'proctorSite', sittingId: 's', siteId: 'x' }), 'proctor');
  // A proctor lands on their rooms; the others keep their first section.
  assert.deepEqual(homeRoute('proctor'), { name: 'proctor' });
  assert.deepEqual(homeRoute('operator'), { name: 'plans' });
  assert.deepEqual(homeRoute('teacher'), { name: 'people' });
  assert.deepEqual(homeRoute('grader'), { name: 'grading' });
});

test('seat states, actions and events in Chinese', () => {
  assert.deepEqual(Object.values(SEAT_STATE_LABELS), ['未登录', '候考', '作答中', '申请换机', '已交卷', '缺考', '取消资格']);
  assert.equal(actionLabel('warning'), '违纪：警告');
  assert.equal(actionLabel('compensation'), '补时');
  assert.equal(actionLabel('switch-approve'), '批准换机');
  assert.equal(actionLabel('something-new'), 'something-new');
  assert.deepEqual(eventBadges({ fullscreenExit: 2, focusLoss: 0, reconnect: 1, reload: 3, offline: 1, secondClient: 1 }), ['离开全屏 2', '重连 1', '另一台机器']);
  assert.deepEqual(eventBadges({ fullscreenExit: 0, focusLoss: 5, reconnect: 0, reload: 0, offline: 0, secondClient: 0 }), ['切换窗口 5']);
});

test('the age of a save and the countdown, on the clock given', () => {
  const now = Date.parse('2026-07-18T01:00:00Z');
  assert.equal(formatAge(null, now), '未保存');
  assert.equal(formatAge('2026-07-18T01:00:00Z', now), '刚刚');
  assert.equal(formatAge('2026-07-18T00:59:48Z', now), '12 秒前');
  assert.equal(formatAge('2026-07-18T00:57:00Z', now), '3 分钟前');
  assert.equal(formatAge('2026-07-17T23:55:00Z', now), '1 小时 5 分钟前');
  assert.equal(formatAge('2026-07-17T23:00:00Z', now), '2 小时前');
  assert.equal(formatAge('2026-07-18T01:00:05Z', now), '刚刚', 'a save a little ahead of a stale clock is not in the future');
  assert.equal(formatDuration(65_000), '01:05');
  assert.equal(formatDuration(3_909_000), '1:05:09');
  assert.equal(formatDuration(-5), '00:00');
  const [start, end] = ['2026-07-18T01:00:00Z', '2026-07-18T02:30:00Z'];
  assert.deepEqual(countdown(start, end, now - 90_000), { phase: 'before', label: '距开考', value: '01:30' });
  assert.deepEqual(countdown(start, end, now + 60_000), { phase: 'during', label: '距结束', value: '1:29:00' });
  assert.equal(countdown(start, end, Date.parse(end)).phase, 'after');
  assert.equal(defaultAbsenceReason(start, '2026-07-18T01:15:00Z'), '开考 15 分钟后未入场');
});

function seat(over: Partial<Seat>): Seat {
  return {
    seatNo: 1, registrationId: 'r', name: '张三', ticketNo: '1', state: 'not-signed-in', attemptId: null, lastSaveAt: null, deadline: null, extensionMin: 0,
    submittedAt: null, submitReason: null, events: { fullscreenExit: 0, focusLoss: 0, reconnect: 0, reload: 0, offline: 0, secondClient: 0 }, warnings: 0,
    refusals: [], signIn: null, switchRequest: null, absentReason: null, hasPhoto: false, ...over,
  };
}

test('what may be done to a seat follows its state', () => {
  const idle = seatActions(seat({}), false);
  assert.ok(!Object.values(idle).some(Boolean), 'nothing for a seat not signed in before entry closes');
  assert.ok(seatActions(seat({}), true).absence, 'absence after entry closes');
  const answering = seatActions(seat({ state: 'answering', attemptId: 'a' }), true);
  assert.ok(answering.warning && answering.compensation && answering.forceSubmit && answering.disqualify);
  assert.ok(!answering.absence && !answering.cancelAbsence);
  const submitted = seatActions(seat({ state: 'submitted', attemptId: 'a' }), true);
  assert.ok(!submitted.compensation && !submitted.forceSubmit && submitted.warning);
  assert.ok(seatActions(seat({ state: 'absent' }), true).cancelAbsence);
  assert.ok(!seatActions(seat({ state: 'absent' }), true).warning);
  assert.ok(seatActions(seat({ state: 'switch-pending', attemptId: 'a', switchRequest: { id: 'x', requestedAt: '', ip: null } }), true).switchDecision);
  assert.ok(!seatActions(seat({ state: 'disqualified', attemptId: 'a' }), true).disqualify);
});

test('我的监考: today first, then the days to come, then the past', () => {
  const item = (startsAt: string, roomName: string | null): ProctorRoomItem => ({
    sittingId: startsAt, sittingName: 'x', paper: 'theory', level: 'junior', startsAt, endsAt: startsAt, planId: 'p', siteId: 's', siteName: '考点',
    roomId: roomName, roomName, duty: roomName ? 'proctor' : 'chief', seats: 40,
  });
  const now = Date.parse('2026-07-18T03:00:00Z'); // 11:00 in Beijing
  const groups = groupByDay(
    [
      item('2026-07-10T01:00:00Z', '第1考场'),
      item('2026-07-25T01:00:00Z', '第1考场'),
      item('2026-07-18T06:00:00Z', '第2考场'),
      item('2026-07-18T01:00:00Z', '第10考场'),
      item('2026-07-18T01:00:00Z', '第2考场'),
      item('2026-07-18T01:00:00Z', null),
      item('2026-07-19T01:00:00Z', '第1考场'),
      item('2026-06-01T01:00:00Z', '第1考场'),
      // 23:30 UTC on the 17th is 07:30 on the 18th in Beijing: today.
      item('2026-07-17T23:30:00Z', '第3考场'),
    ],
    now,
  );
  assert.deepEqual(groups.map((g) => [g.date, g.when]), [
    ['2026-07-18', 'today'],
    ['2026-07-19', 'coming'],
    ['2026-07-25', 'coming'],
    ['2026-07-10', 'past'],
    ['2026-06-01', 'past'],
  ]);
  assert.deepEqual(groups[0]!.items.map((i) => i.roomName), ['第3考场', null, '第2考场', '第10考场', '第2考场']);
});

test('the live socket: its address follows the page, and reconnects back off to 30 s', () => {
  assert.equal(liveUrl({ protocol: 'http:', host: '127.0.0.1:3000' }), 'ws://127.0.0.1:3000/api/console/proctor/live');
  assert.equal(liveUrl({ protocol: 'https:', host: 'kaowu.example.cn' }), 'wss://kaowu.example.cn/api/console/proctor/live');
  const noJitter = () => 0;
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 20].map((n) => backoffMs(n, noJitter)), [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  assert.equal(backoffMs(1, () => 1), 1250);
});

test('the action log: newest first, one line for a bulk absence', () => {
  const act = (id: string, kind: string, at: string, seatNo: number | null, reason = 'r', by = '监考员甲'): ProctorAction => ({
    id, kind, registrationId: seatNo === null ? null : `reg${seatNo}`, seatNo, name: seatNo === null ? null : `考生${seatNo}`, minutes: null, reason, by, at,
  });
  const rows = actionLog([
    act('1', 'warning', '2026-07-18T01:10:00Z', 3),
    act('2', 'absence', '2026-07-18T01:31:00Z', 9, '开考 30 分钟后未入场'),
    act('3', 'absence', '2026-07-18T01:31:00Z', 4, '开考 30 分钟后未入场'),
    act('4', 'absence', '2026-07-18T01:31:00Z', 7, '开考 30 分钟后未入场'),
    act('5', 'absence', '2026-07-18T01:35:00Z', 12, '迟到未入场'),
    act('6', 'broadcast', '2026-07-18T01:40:00Z', null),
  ]);
  assert.deepEqual(rows.map((r) => [r.action.kind, r.people.map((p) => p.seatNo)]), [
    ['broadcast', [null]],
    ['absence', [12]],
    ['absence', [4, 7, 9]],
    ['warning', [3]],
  ]);
});
