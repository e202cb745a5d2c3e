import { test } from 'node:test';
import assert from 'node:assert/strict';
import { roomWarnings, siteWarnings, sparesNeeded, type RoomFacts } from '../src/room-checks.ts';
import { proctorsNeeded } from '../src/proctor-assignment.ts';

test('spares needed: 3 per room, or 1 per 10 candidates, whichever the room meets', () => {
  const table: [number, number][] = [[0, 0], [1, 1], [10, 1], [11, 2], [20, 2], [21, 3], [30, 3], [40, 3], [45, 3], [120, 3]];
  for (const [n, spares] of table) assert.equal(sparesNeeded(n), spares, `${n} candidates`);
});

test('proctors: 2 per 40 candidates (started)', () => {
  const table: [number, number][] = [[0, 0], [1, 2], [40, 2], [41, 4], [80, 4], [81, 6]];
  for (const [n, proctors] of table) assert.equal(proctorsNeeded(n), proctors, `${n} candidates`);
});

test('room warnings, as a table', () => {
  const room = (f: Partial<RoomFacts>): RoomFacts => ({ seats: 40, spareMachines: 3, placed: 0, proctors: null, ...f });
  const table: [string, RoomFacts, string[]][] = [
    ['a standard room, nothing placed', room({}), []],
    ['a standard room, full, 2 proctors', room({ placed: 40, proctors: 2 }), []],
    ['30 seats', room({ seats: 30 }), ['SEATS_BELOW_STANDARD']],
    ['30 seats, 2 spares', room({ seats: 30, spareMachines: 2 }), ['SEATS_BELOW_STANDARD', 'SPARES_TOO_FEW']],
    ['20 placed in a 30-seat room, 2 spares (10:1)', room({ seats: 30, spareMachines: 2, placed: 20 }), ['SEATS_BELOW_STANDARD']],
    ['60 seats, 3 spares', room({ seats: 60, spareMachines: 3 }), []],
    ['no spares', room({ spareMachines: 0 }), ['SPARES_TOO_FEW']],
    ['proctors not assigned yet', room({ placed: 40, proctors: null }), []],
    ['one proctor for 40', room({ placed: 40, proctors: 1 }), ['PROCTORS_TOO_FEW']],
    ['45 placed in 60 seats, 2 proctors', room({ seats: 60, placed: 45, proctors: 2 }), ['PROCTORS_TOO_FEW']],
    ['45 placed in 60 seats, 4 proctors', room({ seats: 60, placed: 45, proctors: 4 }), []],
    ['proctors but nobody placed', room({ proctors: 0 }), []],
    ['more placed than seats', room({ seats: 40, placed: 42, proctors: 4 }), ['SEATS_BELOW_PLACED']],
    ['everything wrong', room({ seats: 30, spareMachines: 0, placed: 35, proctors: 1 }), ['SEATS_BELOW_STANDARD', 'SPARES_TOO_FEW', 'PROCTORS_TOO_FEW', 'SEATS_BELOW_PLACED']],
  ];
  for (const [name, facts, codes] of table) assert.deepEqual(roomWarnings(facts).map((w) => w.code), codes, name);
});

test('room warnings read as the manual says', () => {
  const w = roomWarnings({ seats: 30, spareMachines: 1, placed: 0, proctors: null });
  assert.equal(w[0]!.message, '标准考场应不少于 40 个考位（本考场 30 个）');
  assert.equal(w[1]!.message, '备用机不足：每个考场应配备 3 台备用机或按 10:1 的比例配备，本考场 30 个考位，应至少 3 台，现有 1 台');
  const p = roomWarnings({ seats: 60, spareMachines: 3, placed: 45, proctors: 2 });
  assert.equal(p[0]!.message, '监考员不足：每 40 名考生应配备 2 名监考员，本考场 45 人应配 4 名，现有 2 名');
  const s = roomWarnings({ seats: 40, spareMachines: 3, placed: 42, proctors: null });
  assert.equal(s[0]!.message, '座位数（40）少于已编排的考生人数（42 人），座位数应不少于考生人数');
});

test('site warnings', () => {
  assert.deepEqual(siteWarnings({ status: 'enabled', agreementStatus: 'signed', rooms: 2, overlappingRooms: [] }), []);
  const all = siteWarnings({ status: 'pending', agreementStatus: 'none', rooms: 0, overlappingRooms: [['一号机房', '二号机房']] });
  assert.deepEqual(all.map((w) => w.code), ['SITE_NOT_ENABLED', 'AGREEMENT_NOT_SIGNED', 'NO_ROOMS', 'IP_RANGES_OVERLAP']);
  assert.match(all[3]!.message, /“一号机房”与“二号机房”/);
  assert.match(siteWarnings({ status: 'enabled', agreementStatus: 'sent', rooms: 1, overlappingRooms: [] })[0]!.message, /已发送，尚未签署/);
});
