import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  arrange, roomCapacity, seatPosition, ticketNumber, type ArrangementCandidate, type ArrangementInput, type ArrangementResult, type ArrangementRoom,
} from '../src/arrangement.ts';
import { LEVELS, type Level } from '../src/levels.ts';
import { seededRandom } from '../src/random.ts';

function people(n: number, level: Level, classes: number, prefix: string = level): ArrangementCandidate[] {
  return Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${i}`, level, classId: classes ? `${prefix}-class-${i % classes}` : null }));
}

function rooms(n: number, seats = 40, seatsPerRow?: number): ArrangementRoom[] {
  return Array.from({ length: n }, (_, i) => ({ id: `room-${i + 1}`, name: `第${i + 1}考场`, seats, ...(seatsPerRow ? { seatsPerRow } : {}) }));
}

/** Same-class pairs left/right or front/back, counted from the returned seats alone. */
function adjacentPairs(input: ArrangementInput, result: ArrangementResult, roomId: string): number {
  const cand = new Map(input.candidates.map((c) => [c.id, c]));
  const at = new Map<string, string | null>();
  for (const s of result.seats) if (s.roomId === roomId) at.set(`${s.row},${s.column}`, cand.get(s.candidateId)!.classId);
  let n = 0;
  for (const [key, cls] of at) {
    if (cls === null) continue;
    const [row, col] = key.split(',').map(Number) as [number, number];
    if (at.get(`${row},${col + 1}`) === cls) n++;
    if (at.get(`${row + 1},${col}`) === cls) n++;
  }
  return n;
}

/** The invariants every arrangement keeps. */
function checkInvariants(input: ArrangementInput, result: ArrangementResult): void {
  const cand = new Map(input.candidates.map((c) => [c.id, c]));
  const roomById = new Map(input.rooms.map((r) => [r.id, r]));
  const seen = new Set<string>();
  const seatsTaken = new Set<string>();
  const levelOf = new Map<string, Level>();
  const used = new Map<string, number>();
  for (const s of result.seats) {
    assert.ok(cand.has(s.candidateId), `${s.candidateId} is a candidate`);
    assert.ok(!seen.has(s.candidateId), `${s.candidateId} seated once`);
    seen.add(s.candidateId);
    const room = roomById.get(s.roomId)!;
    assert.ok(Number.isInteger(s.seatNo) && s.seatNo >= 1 && s.seatNo <= room.seats, `seat ${s.seatNo} exists in ${room.id}`);
    if (input.everyOtherSeat) assert.equal(s.seatNo % 2, 1, 'every other seat: odd seats only');
    assert.ok(!seatsTaken.has(`${s.roomId}#${s.seatNo}`), 'a seat holds one candidate');
    seatsTaken.add(`${s.roomId}#${s.seatNo}`);
    assert.deepEqual({ row: s.row, column: s.column }, seatPosition(s.seatNo, room.seatsPerRow));
    const level = cand.get(s.candidateId)!.level;
    assert.equal(levelOf.get(s.roomId) ?? level, level, `room ${s.roomId} holds one level`);
    levelOf.set(s.roomId, level);
    used.set(s.roomId, (used.get(s.roomId) ?? 0) + 1);
  }
  for (const id of result.unplaced) assert.ok(!seen.has(id), `${id} is either seated or unplaced`);
  assert.equal(seen.size + result.unplaced.length, new Set(input.candidates.map((c) => c.id)).size, 'everyone is accounted for');
  for (const r of result.rooms) {
    const room = roomById.get(r.roomId)!;
    assert.equal(r.capacity, roomCapacity(room.seats, input.everyOtherSeat));
    assert.equal(r.used, used.get(r.roomId));
    assert.ok(r.used <= r.capacity, `${r.roomId}: ${r.used} ≤ ${r.capacity}`);
    assert.equal(r.level, levelOf.get(r.roomId));
    assert.equal(r.adjacentSameClass, adjacentPairs(input, result, r.roomId), `${r.roomId}: reported adjacency matches the seats`);
  }
  assert.equal(result.rooms.length, used.size);
}

test('seat positions and capacities', () => {
  const table: [number, number | undefined, number, number][] = [
    [1, undefined, 1, 1],
    [8, undefined, 1, 8],
    [9, undefined, 2, 1],
    [40, undefined, 5, 8],
    [7, 6, 2, 1],
    [12, 6, 2, 6],
  ];
  for (const [seatNo, cols, row, column] of table) assert.deepEqual(seatPosition(seatNo, cols), { row, column }, `seat ${seatNo}/${cols}`);
  assert.equal(roomCapacity(40), 40);
  assert.equal(roomCapacity(40, true), 20);
  assert.equal(roomCapacity(41, true), 21);
  assert.equal(roomCapacity(0), 0);
});

test('capacity is never exceeded and each room holds one level', () => {
  const cases: { name: string; input: ArrangementInput; unplaced: number; roomsUsed?: number }[] = [
    { name: 'exact fit', input: { candidates: people(80, 'junior', 4), rooms: rooms(2) }, unplaced: 0, roomsUsed: 2 },
    { name: 'three levels', input: { candidates: [...people(45, 'junior', 3), ...people(30, 'intermediate', 2), ...people(41, 'advanced', 5)], rooms: rooms(6) }, unplaced: 0, roomsUsed: 5 },
    { name: 'levels do not share a room', input: { candidates: [...people(5, 'junior', 1), ...people(5, 'intermediate', 1), ...people(5, 'advanced', 1)], rooms: rooms(2) }, unplaced: 5 },
    { name: 'too few seats', input: { candidates: people(100, 'intermediate', 5), rooms: rooms(2) }, unplaced: 20 },
    { name: 'odd rooms', input: { candidates: [...people(70, 'junior', 7), ...people(33, 'advanced', 3)], rooms: [...rooms(2, 30, 6), ...rooms(2, 45, 9).map((r) => ({ ...r, id: `${r.id}b` }))] }, unplaced: 0 },
    { name: 'no class at all', input: { candidates: people(50, 'junior', 0), rooms: rooms(2) }, unplaced: 0 },
    { name: 'every other seat', input: { candidates: people(50, 'junior', 5), rooms: rooms(3), everyOtherSeat: true }, unplaced: 0, roomsUsed: 3 },
    { name: 'every other seat, too few', input: { candidates: people(50, 'junior', 5), rooms: rooms(2), everyOtherSeat: true }, unplaced: 10 },
    { name: 'no rooms', input: { candidates: people(3, 'advanced', 1), rooms: [] }, unplaced: 3 },
    { name: 'no candidates', input: { candidates: [], rooms: rooms(3) }, unplaced: 0, roomsUsed: 0 },
  ];
  for (const { name, input, unplaced, roomsUsed } of cases) {
    const result = arrange(input);
    checkInvariants(input, result);
    assert.equal(result.unplaced.length, unplaced, name);
    if (roomsUsed !== undefined) assert.equal(result.rooms.length, roomsUsed, name);
  }
});

test('every other seat uses the odd seats only, up to ceil(seats / 2)', () => {
  const input: ArrangementInput = { candidates: people(21, 'junior', 3), rooms: [{ id: 'r', name: '1', seats: 41 }], everyOtherSeat: true };
  const result = arrange(input);
  checkInvariants(input, result);
  assert.deepEqual(result.seats.map((s) => s.seatNo).sort((a, b) => a - b), Array.from({ length: 21 }, (_, i) => 2 * i + 1));
  assert.deepEqual(result.rooms[0], { roomId: 'r', level: 'junior', used: 21, capacity: 21, adjacentSameClass: 0 });
  const more = arrange({ ...input, candidates: people(22, 'junior', 3) });
  assert.deepEqual(more.unplaced, ['junior-21']);
});

test('40 candidates of 4 classes of 10 in a room of 40: no two of a class side by side or one behind the other', () => {
  for (let seed = 0; seed < 50; seed++) {
    const input: ArrangementInput = { candidates: people(40, 'advanced', 4), rooms: rooms(1), seed: `s${seed}` };
    const result = arrange(input);
    checkInvariants(input, result);
    assert.equal(adjacentPairs(input, result, 'room-1'), 0, `seed ${seed}`);
    assert.equal(result.rooms[0]!.adjacentSameClass, 0);
    assert.deepEqual(result.problems, []);
  }
});

test('no same-class neighbours whenever no class is over half a room (random rooms, many shapes)', () => {
  const random = seededRandom('rooms');
  let checked = 0;
  for (let t = 0; t < 400; t++) {
    const seats = 20 + Math.floor(random() * 41);
    const seatsPerRow = 5 + Math.floor(random() * 6);
    const everyOtherSeat = random() < 0.25;
    const capacity = roomCapacity(seats, everyOtherSeat);
    const n = capacity - Math.floor(random() * capacity * 0.3);
    const k = 2 + Math.floor(random() * 6);
    const sizes = Array<number>(k).fill(0);
    for (let i = 0; i < n; i++) sizes[Math.floor(random() * k)]!++;
    if (Math.max(...sizes) > Math.floor(n / 2)) continue;
    const candidates = sizes.flatMap((size, c) => Array.from({ length: size }, (_, i) => ({ id: `c${c}-${i}`, level: 'junior' as const, classId: `k${c}` })));
    const input: ArrangementInput = { candidates, rooms: [{ id: 'r', name: 'r', seats, seatsPerRow }], everyOtherSeat, seed: `t${t}` };
    const result = arrange(input);
    checkInvariants(input, result);
    assert.equal(result.rooms[0]!.adjacentSameClass, 0, JSON.stringify({ seats, seatsPerRow, everyOtherSeat, sizes }));
    checked++;
  }
  assert.ok(checked > 200, `${checked} rooms checked`);
});

test('a class too large to spread is reported, not hidden', () => {
  const input: ArrangementInput = { candidates: people(40, 'junior', 1), rooms: rooms(1) };
  const result = arrange(input);
  checkInvariants(input, result);
  assert.ok(result.rooms[0]!.adjacentSameClass > 0);
  assert.ok(result.problems.some((p) => p.includes('第1考场') && p.includes('同班考生')), result.problems.join('\n'));
});

test('classes are spread over the rooms of a level: none takes over half of any room', () => {
  // 400 juniors of 8 classes of 50 in 10 rooms.
  const input: ArrangementInput = { candidates: people(400, 'junior', 8), rooms: rooms(10) };
  const result = arrange(input);
  checkInvariants(input, result);
  const perRoom = new Map<string, Map<string, number>>();
  const cls = new Map(input.candidates.map((c) => [c.id, c.classId!]));
  for (const s of result.seats) {
    const m = perRoom.get(s.roomId) ?? new Map<string, number>();
    m.set(cls.get(s.candidateId)!, (m.get(cls.get(s.candidateId)!) ?? 0) + 1);
    perRoom.set(s.roomId, m);
  }
  for (const [roomId, m] of perRoom) {
    assert.ok(Math.max(...m.values()) <= 20, `${roomId}: ${JSON.stringify([...m])}`);
    assert.ok(m.size <= 4, `${roomId} holds few classes: ${m.size}`);
  }
  assert.ok(result.rooms.every((r) => r.adjacentSameClass === 0));
});

test('as few rooms as needed: full rooms, the smallest room that fits the rest', () => {
  const input: ArrangementInput = {
    candidates: people(85, 'junior', 5),
    rooms: [
      { id: 'a', name: 'A', seats: 40 },
      { id: 'b', name: 'B', seats: 30 },
      { id: 'c', name: 'C', seats: 40 },
      { id: 'd', name: 'D', seats: 10 },
      { id: 'e', name: 'E', seats: 40 },
    ],
  };
  const result = arrange(input);
  checkInvariants(input, result);
  assert.deepEqual(result.rooms.map((r) => [r.roomId, r.used]), [['a', 40], ['c', 40], ['d', 5]]);
});

test('unplaced candidates are the last ones of their level, with a problem in Chinese', () => {
  const input: ArrangementInput = { candidates: people(100, 'intermediate', 5), rooms: rooms(2) };
  const result = arrange(input);
  checkInvariants(input, result);
  assert.deepEqual(result.unplaced, Array.from({ length: 20 }, (_, i) => `intermediate-${80 + i}`));
  assert.deepEqual(result.problems, ['中级 还有 20 名考生无考场可排：考场座位不足']);

  // Rooms go to the levels with the most candidates first; each short level is reported.
  const mixed: ArrangementInput = { candidates: [...people(10, 'junior', 2), ...people(100, 'intermediate', 5), ...people(30, 'advanced', 2)], rooms: rooms(2) };
  const r = arrange(mixed);
  checkInvariants(mixed, r);
  assert.deepEqual(r.unplaced, [
    ...Array.from({ length: 10 }, (_, i) => `junior-${i}`),
    ...Array.from({ length: 20 }, (_, i) => `intermediate-${80 + i}`),
    ...Array.from({ length: 30 }, (_, i) => `advanced-${i}`),
  ]);
  assert.deepEqual(r.problems, ['初级 还有 10 名考生无考场可排：考场座位不足', '中级 还有 20 名考生无考场可排：考场座位不足', '高级 还有 30 名考生无考场可排：考场座位不足']);
});

test('the same input gives the same arrangement; another seed another one', () => {
  const input: ArrangementInput = { candidates: [...people(150, 'junior', 6), ...people(70, 'advanced', 3)], rooms: rooms(8), seed: 'plan-2026' };
  const a = arrange(input);
  assert.deepEqual(arrange(structuredClone(input)), a);
  const b = arrange({ ...input, seed: 'plan-2027' });
  checkInvariants(input, b);
  assert.notDeepEqual(b.seats, a.seats);
});

test('a published arrangement does not move: new candidates fill free seats, removed ones free theirs', () => {
  const first: ArrangementInput = { candidates: [...people(70, 'junior', 5), ...people(30, 'advanced', 3)], rooms: rooms(5), seed: 'x' };
  const a = arrange(first);
  checkInvariants(first, a);
  const existing = a.seats.map(({ candidateId, roomId, seatNo }) => ({ candidateId, roomId, seatNo }));

  // Re-running with the published seats changes nothing.
  assert.deepEqual(arrange({ ...first, existing }), a);
  assert.deepEqual(arrange({ ...first, existing, seed: 'another seed' }).seats, a.seats);

  // 10 juniors withdraw, 25 juniors and 5 advanced register late.
  const gone = new Set(Array.from({ length: 10 }, (_, i) => `junior-${i * 7}`));
  const second: ArrangementInput = {
    ...first,
    candidates: [...first.candidates.filter((c) => !gone.has(c.id)), ...people(25, 'junior', 3, 'late-j'), ...people(5, 'advanced', 1, 'late-a')],
    existing,
  };
  const b = arrange(second);
  checkInvariants(second, b);
  assert.deepEqual(b.unplaced, []);
  const before = new Map(a.seats.map((s) => [s.candidateId, s]));
  for (const s of b.seats) {
    const old = before.get(s.candidateId);
    if (old) assert.deepEqual(s, old, `${s.candidateId} keeps room and seat`);
  }
  for (const id of gone) assert.ok(!b.seats.some((s) => s.candidateId === id));
  // The juniors' rooms were full (40 + 30): the freed 10 seats are reused, and one more room opens.
  const juniorRoomsBefore = new Set(a.seats.filter((s) => s.candidateId.startsWith('junior')).map((s) => s.roomId));
  const freed = a.seats.filter((s) => gone.has(s.candidateId)).map((s) => `${s.roomId}#${s.seatNo}`);
  const taken = new Set(b.seats.map((s) => `${s.roomId}#${s.seatNo}`));
  for (const seat of freed) assert.ok(taken.has(seat), `freed seat ${seat} reused`);
  for (const s of b.seats.filter((s) => s.candidateId.startsWith('late-a'))) {
    assert.equal(s.roomId, a.seats.find((x) => x.candidateId === 'advanced-0')!.roomId, 'late advanced candidates join the advanced room');
  }
  const juniorRoomsAfter = new Set(b.seats.filter((s) => s.candidateId.includes('j')).map((s) => s.roomId));
  assert.equal(juniorRoomsAfter.size, juniorRoomsBefore.size + 1);

  // And a third run on top of the second is stable again.
  const existing2 = b.seats.map(({ candidateId, roomId, seatNo }) => ({ candidateId, roomId, seatNo }));
  assert.deepEqual(arrange({ ...second, existing: existing2 }).seats, b.seats);
});

test('rounds of withdrawals and late registrations: kept seats never move, invariants hold', () => {
  const random = seededRandom('rounds');
  let candidates = LEVELS.flatMap((level) => people(90, level, 6));
  let existing: ArrangementInput['existing'] = [];
  let late = 0;
  for (let round = 0; round < 12; round++) {
    const input: ArrangementInput = { candidates, rooms: [...rooms(6), ...rooms(3, 30, 6).map((r) => ({ ...r, id: `${r.id}s` }))], existing, seed: `r${round}` };
    const result = arrange(input);
    checkInvariants(input, result);
    const before = new Map(existing.map((e) => [e.candidateId, e]));
    for (const s of result.seats) {
      const old = before.get(s.candidateId);
      if (old) assert.deepEqual({ candidateId: s.candidateId, roomId: s.roomId, seatNo: s.seatNo }, old, `round ${round}`);
    }
    assert.deepEqual(result.problems.filter((p) => !p.includes('无考场可排')), [], `round ${round}`);
    existing = result.seats.map(({ candidateId, roomId, seatNo }) => ({ candidateId, roomId, seatNo }));
    candidates = candidates.filter(() => random() > 0.1);
    for (let k = 0; k < 25; k++) {
      const level = LEVELS[Math.floor(random() * 3)]!;
      candidates.push({ id: `late-${late++}`, level, classId: `${level}-class-${Math.floor(random() * 8)}` });
    }
  }
});

test('published seats that no longer hold are re-arranged, with the reason', () => {
  const candidates = [...people(3, 'junior', 1), ...people(2, 'advanced', 1)];
  const input: ArrangementInput = {
    candidates,
    rooms: rooms(3),
    everyOtherSeat: true,
    existing: [
      { candidateId: 'junior-0', roomId: 'room-1', seatNo: 1 }, // kept
      { candidateId: 'junior-1', roomId: 'room-9', seatNo: 1 }, // room gone
      { candidateId: 'junior-2', roomId: 'room-1', seatNo: 2 }, // even seat under every-other-seat
      { candidateId: 'advanced-0', roomId: 'room-1', seatNo: 5 }, // a junior room
      { candidateId: 'advanced-1', roomId: 'room-1', seatNo: 1 }, // seat taken
      { candidateId: 'withdrawn', roomId: 'room-2', seatNo: 1 }, // not a candidate any more: ignored
    ],
  };
  const result = arrange(input);
  checkInvariants(input, result);
  assert.deepEqual(result.seats.find((s) => s.candidateId === 'junior-0'), { candidateId: 'junior-0', roomId: 'room-1', seatNo: 1, row: 1, column: 1 });
  assert.equal(result.problems.length, 4, result.problems.join('\n'));
  assert.match(result.problems.join('\n'), /junior-1.*已不存在/);
  assert.match(result.problems.join('\n'), /junior-2.*隔位/);
  assert.match(result.problems.join('\n'), /advanced-0.*初级考场/);
  assert.match(result.problems.join('\n'), /advanced-1.*已排给考生 junior-0/);
  assert.deepEqual(result.unplaced, []);
});

test('ticket numbers: fixed width, digits only, refused when a part does not fit', () => {
  const table: [Parameters<typeof ticketNumber>[0], string][] = [
    [{ planCode: '260620', siteCode: '0012', roomIndex: 1, seatNo: 1 }, '260620001200101'],
    [{ planCode: '260620', siteCode: '9999', roomIndex: 999, seatNo: 99 }, '260620999999999'],
    [{ planCode: '000000', siteCode: '0000', roomIndex: 12, seatNo: 40 }, '000000000001240'],
  ];
  for (const [parts, expected] of table) assert.equal(ticketNumber(parts), expected);
  const ok = { planCode: '260620', siteCode: '0012', roomIndex: 1, seatNo: 1 };
  for (const bad of [{ planCode: '26062' }, { planCode: '2606201' }, { siteCode: '12' }, { siteCode: '12a4' }, { roomIndex: 0 }, { roomIndex: 1000 }, { seatNo: 100 }, { seatNo: 1.5 }]) {
    assert.throws(() => ticketNumber({ ...ok, ...bad }), RangeError, JSON.stringify(bad));
  }
});

test('ticket numbers are unique across a large arrangement', () => {
  const candidates = LEVELS.flatMap((level, l) => people([3400, 3300, 3300][l]!, level, 27));
  const siteRooms = rooms(260);
  const result = arrange({ candidates, rooms: siteRooms, seed: 'tickets' });
  assert.deepEqual(result.unplaced, []);
  const index = new Map(siteRooms.map((r, i) => [r.id, i + 1]));
  const numbers = result.seats.map((s) => ticketNumber({ planCode: '260620', siteCode: '0401', roomIndex: index.get(s.roomId)!, seatNo: s.seatNo }));
  assert.equal(numbers.length, 10_000);
  assert.equal(new Set(numbers).size, 10_000);
  assert.ok(numbers.every((n) => /^\d{15}$/.test(n)));
  assert.ok(result.rooms.every((r) => r.adjacentSameClass === 0));
});
