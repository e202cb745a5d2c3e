import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assignProctors, proctorsNeeded, type Proctor, type ProctorAssignmentInput, type ProctorAssignmentResult, type ProctorCandidate, type ProctorRoom,
} from '../src/proctor-assignment.ts';
import { seededRandom } from '../src/random.ts';

function proctor(id: string, opts: Partial<Omit<Proctor, 'id'>> = {}): Proctor {
  return { id, name: opts.name ?? `监考员${id}`, majorIds: opts.majorIds ?? [], headTeacherOfClassIds: opts.headTeacherOfClassIds ?? [], counsellorOfClassIds: opts.counsellorOfClassIds ?? [] };
}

/** Candidates of one major and class, and the room holding them. */
function roomOf(roomId: string, n: number, majorId: string | null, classId: string | null): { room: ProctorRoom; candidates: ProctorCandidate[] } {
  const candidates = Array.from({ length: n }, (_, i) => ({ id: `${roomId}-c${i}`, majorId, classId }));
  return { room: { roomId, name: roomId, candidateIds: candidates.map((c) => c.id) }, candidates };
}

/** Whether proctor p must avoid the room (checked from scratch, pair by pair). */
function mustAvoid(input: ProctorAssignmentInput, p: Proctor, room: ProctorRoom): boolean {
  const cand = new Map(input.candidates.map((c) => [c.id, c]));
  return room.candidateIds.some((id) => {
    const c = cand.get(id);
    if (!c) return false;
    return (
      (c.majorId !== null && p.majorIds.includes(c.majorId)) ||
      (c.classId !== null && (p.headTeacherOfClassIds.includes(c.classId) || p.counsellorOfClassIds.includes(c.classId)))
    );
  });
}

function checkAssignments(input: ProctorAssignmentInput, result: ProctorAssignmentResult, expectComplete: boolean): void {
  const proctors = new Map(input.proctors.map((p) => [p.id, p]));
  const rooms = new Map(input.rooms.map((r) => [r.roomId, r]));
  const used = new Set<string>();
  const count = new Map<string, number>();
  for (const a of result.assignments) {
    assert.ok(!used.has(a.proctorId), `${a.proctorId} is in one room only`);
    used.add(a.proctorId);
    const p = proctors.get(a.proctorId)!;
    const room = rooms.get(a.roomId)!;
    assert.ok(p && room);
    assert.ok(!mustAvoid(input, p, room), `回避: ${a.proctorId} may not proctor ${a.roomId}`);
    count.set(a.roomId, (count.get(a.roomId) ?? 0) + 1);
  }
  for (const room of input.rooms) {
    const need = proctorsNeeded(room.candidateIds.length, input.perCandidates, input.perRoomMin);
    const have = count.get(room.roomId) ?? 0;
    assert.ok(have <= need, `${room.roomId}: no more proctors than needed`);
    if (expectComplete) assert.equal(have, need, `${room.roomId} staffed`);
    const short = result.problems.some((p) => p.roomId === room.roomId && /缺 \d+ 名监考员/.test(p.message));
    assert.equal(short, have < need, `${room.roomId}: a problem exactly when short`);
  }
}

test('2 proctors per 40 candidates, at least perRoomMin', () => {
  const table: [number, number | undefined, number | undefined, number][] = [
    [0, undefined, undefined, 0],
    [1, undefined, undefined, 2],
    [40, undefined, undefined, 2],
    [41, undefined, undefined, 4],
    [80, undefined, undefined, 4],
    [81, undefined, undefined, 6],
    [10, undefined, 3, 3],
    [41, 30, undefined, 4],
    [61, 30, undefined, 6],
  ];
  for (const [n, per, min, expected] of table) assert.equal(proctorsNeeded(n, per, min), expected, `${n} candidates`);

  const big = roomOf('R41', 41, 'm1', 'k1');
  const small = roomOf('R12', 12, 'm1', 'k1');
  const input: ProctorAssignmentInput = { rooms: [big.room, small.room], candidates: [...big.candidates, ...small.candidates], proctors: Array.from({ length: 8 }, (_, i) => proctor(`p${i}`)) };
  const result = assignProctors(input);
  checkAssignments(input, result, true);
  assert.equal(result.assignments.filter((a) => a.roomId === 'R41').length, 4);
  assert.equal(result.assignments.filter((a) => a.roomId === 'R12').length, 2);
  assert.deepEqual(result.problems, []);
});

test('回避 by major, by head teacher and by counsellor', () => {
  const a = roomOf('A', 30, 'python', 'class-1');
  const input: ProctorAssignmentInput = {
    rooms: [a.room],
    candidates: a.candidates,
    proctors: [
      proctor('teacher', { majorIds: ['java', 'python'] }),
      proctor('head', { headTeacherOfClassIds: ['class-1'] }),
      proctor('counsellor', { counsellorOfClassIds: ['class-2', 'class-1'] }),
      proctor('other-major', { majorIds: ['java'], headTeacherOfClassIds: ['class-2'] }),
      proctor('admin'),
    ],
  };
  const result = assignProctors(input);
  checkAssignments(input, result, true);
  assert.deepEqual(result.assignments, [
    { roomId: 'A', proctorId: 'other-major' },
    { roomId: 'A', proctorId: 'admin' },
  ]);
});

test('matching succeeds where filling rooms in order with the first free proctor fails', () => {
  // Room 1 can take anyone; room 2 only p1 and p2 (p3 and p4 teach its major).
  // In order, room 1 would take p1 and p2 and leave room 2 with nobody.
  const r1 = roomOf('R1', 40, 'm1', 'k1');
  const r2 = roomOf('R2', 40, 'm2', 'k2');
  const input: ProctorAssignmentInput = {
    rooms: [r1.room, r2.room],
    candidates: [...r1.candidates, ...r2.candidates],
    proctors: [proctor('p1'), proctor('p2'), proctor('p3', { majorIds: ['m2'] }), proctor('p4', { majorIds: ['m2'] })],
  };
  const result = assignProctors(input);
  checkAssignments(input, result, true);
  assert.deepEqual(result.assignments, [
    { roomId: 'R1', proctorId: 'p3' },
    { roomId: 'R1', proctorId: 'p4' },
    { roomId: 'R2', proctorId: 'p1' },
    { roomId: 'R2', proctorId: 'p2' },
  ]);

  // Three rooms of one major each, six proctors, every room fit for four of them.
  // Any room-by-room greedy start (here: R1 takes p2 and p4, R2 p3 and p5) leaves R3
  // one short with only p1 free; the augmenting path R3 ← p4 from R1, R1 ← p6 fixes it.
  const rooms3 = ['m0', 'm1', 'm2'].map((m, r) => roomOf(`R${r + 1}`, 30, m, null));
  const tight: ProctorAssignmentInput = {
    rooms: rooms3.map((x) => x.room),
    candidates: rooms3.flatMap((x) => x.candidates),
    proctors: [
      proctor('p1'),
      proctor('p2', { majorIds: ['m1', 'm2'] }),
      proctor('p3', { majorIds: ['m0'] }),
      proctor('p4', { majorIds: ['m1'] }),
      proctor('p5', { majorIds: ['m0'] }),
      proctor('p6', { majorIds: ['m2'] }),
    ],
  };
  const solved = assignProctors(tight);
  checkAssignments(tight, solved, true);
  assert.deepEqual(solved.problems, []);

  // The same, with room 1 already holding p1 and p2 from a published assignment:
  // the matching moves them (augmenting path) and says so.
  const moved = assignProctors({ ...input, existing: [{ roomId: 'R1', proctorId: 'p1' }, { roomId: 'R1', proctorId: 'p2' }] });
  checkAssignments(input, moved, true);
  assert.equal(moved.problems.length, 2);
  for (const p of moved.problems) assert.match(p.message, /已由考场 R1 调往考场 R2/);
});

/** Brute force: can every room be staffed? */
function feasible(input: ProctorAssignmentInput): boolean {
  const needs = input.rooms.map((r) => proctorsNeeded(r.candidateIds.length, input.perCandidates, input.perRoomMin));
  const ok = input.rooms.map((r) => input.proctors.map((p) => !mustAvoid(input, p, r)));
  const left = needs.slice();
  const go = (j: number): boolean => {
    if (left.every((n) => n === 0)) return true;
    if (j === input.proctors.length) return false;
    let remaining = 0;
    for (const n of left) remaining += n;
    if (remaining > input.proctors.length - j) return false;
    for (let r = 0; r < left.length; r++) {
      if (left[r]! > 0 && ok[r]![j]) {
        left[r]!--;
        if (go(j + 1)) return true;
        left[r]!++;
      }
    }
    return go(j + 1);
  };
  return go(0);
}

test('a full assignment is found whenever one exists (against brute force on random small sites)', () => {
  const random = seededRandom('proctors');
  const pick = (n: number) => Math.floor(random() * n);
  let feasibleSeen = 0, infeasibleSeen = 0;
  for (let t = 0; t < 300; t++) {
    const majors = ['m0', 'm1', 'm2', 'm3'];
    const classes = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5'];
    const rooms: ProctorRoom[] = [];
    const candidates: ProctorCandidate[] = [];
    const nRooms = 2 + pick(3);
    for (let r = 0; r < nRooms; r++) {
      const n = 1 + pick(60);
      const ids: string[] = [];
      for (let i = 0; i < n; i++) {
        const id = `t${t}r${r}c${i}`;
        candidates.push({ id, majorId: random() < 0.9 ? majors[pick(2) + (r % 3)]! : null, classId: random() < 0.9 ? classes[pick(6)]! : null });
        ids.push(id);
      }
      rooms.push({ roomId: `r${r}`, name: `${r + 1}`, candidateIds: ids });
    }
    const proctors = Array.from({ length: 4 + pick(9) }, (_, j) =>
      proctor(`p${j}`, {
        majorIds: random() < 0.6 ? [majors[pick(4)]!] : [],
        headTeacherOfClassIds: random() < 0.3 ? [classes[pick(6)]!] : [],
        counsellorOfClassIds: random() < 0.2 ? [classes[pick(6)]!, classes[pick(6)]!] : [],
      }),
    );
    const input: ProctorAssignmentInput = { rooms, candidates, proctors };
    const expected = feasible(input);
    const result = assignProctors(input);
    checkAssignments(input, result, expected);
    assert.equal(result.problems.length === 0, expected, `case ${t}`);
    if (expected) feasibleSeen++;
    else infeasibleSeen++;
  }
  assert.ok(feasibleSeen > 50 && infeasibleSeen > 50, `${feasibleSeen} feasible, ${infeasibleSeen} infeasible cases`);
});

test('a room that cannot be staffed is named, with the reason', () => {
  const r1 = roomOf('R1', 40, 'python', 'k1');
  const r2 = roomOf('R2', 40, 'java', 'k2');
  const r2Room = { ...r2.room, name: '第2考场' };
  const candidates = [...r1.candidates, ...r2.candidates];
  // Room 2 (java, class k2): p3–p5 teach java and p2 is k2's counsellor, so only p1 may go there.
  const input: ProctorAssignmentInput = {
    rooms: [r1.room, r2Room],
    candidates,
    proctors: [proctor('p1'), proctor('p2', { counsellorOfClassIds: ['k2'] }), proctor('p3', { majorIds: ['java'] }), proctor('p4', { majorIds: ['java'] }), proctor('p5', { majorIds: ['java'] })],
  };
  const result = assignProctors(input);
  checkAssignments(input, result, false);
  assert.equal(result.assignments.filter((a) => a.roomId === 'R1').length, 2);
  assert.deepEqual(result.assignments.filter((a) => a.roomId === 'R2'), [{ roomId: 'R2', proctorId: 'p1' }]);
  assert.deepEqual(result.problems, [
    {
      roomId: 'R2',
      message: '考场 第2考场 缺 1 名监考员：未安排的 2 名监考员均需回避（任教本考场考生专业或为其班主任/辅导员）；全部 5 名监考员中只有 1 名无需回避',
    },
  ]);

  // Too few proctors altogether.
  const few = assignProctors({ ...input, proctors: [proctor('a'), proctor('b'), proctor('c')] });
  checkAssignments({ ...input, proctors: [proctor('a'), proctor('b'), proctor('c')] }, few, false);
  assert.equal(few.problems.length, 1);
  assert.match(few.problems[0]!.message, /^考场 (R1|第2考场) 缺 1 名监考员：监考员人数不足（共 3 名，各考场共需 4 名）$/);

  // Everyone must avoid the room.
  const none = assignProctors({ ...input, proctors: [proctor('x', { majorIds: ['java'] }), proctor('y', { majorIds: ['java'] })] });
  assert.deepEqual(none.problems, [{ roomId: 'R2', message: '考场 第2考场 缺 2 名监考员：全部 2 名监考员均需回避（任教本考场考生专业或为其班主任/辅导员）' }]);
});

test('published assignments are kept while still allowed', () => {
  const r1 = roomOf('R1', 40, 'm1', 'k1');
  const r2 = roomOf('R2', 40, 'm2', 'k2');
  const input: ProctorAssignmentInput = {
    rooms: [r1.room, r2.room],
    candidates: [...r1.candidates, ...r2.candidates],
    proctors: Array.from({ length: 6 }, (_, i) => proctor(`p${i}`, { majorIds: i === 5 ? ['m2'] : [] })),
    existing: [
      { roomId: 'R2', proctorId: 'p0' }, // kept
      { roomId: 'R2', proctorId: 'p5' }, // p5 now teaches m2: dropped
      { roomId: 'R1', proctorId: 'p0' }, // p0 already kept in R2
      { roomId: 'R9', proctorId: 'p1' }, // no such room
      { roomId: 'R1', proctorId: 'p4' }, // kept
    ],
  };
  const result = assignProctors(input);
  checkAssignments(input, result, true);
  const roomOfProctor = new Map(result.assignments.map((a) => [a.proctorId, a.roomId]));
  assert.equal(roomOfProctor.get('p0'), 'R2');
  assert.equal(roomOfProctor.get('p4'), 'R1');
  assert.notEqual(roomOfProctor.get('p5'), 'R2');
  assert.deepEqual(result.problems, []);
  // Re-running on its own output changes nothing.
  assert.deepEqual(assignProctors({ ...input, existing: result.assignments }), result);
});

test('deterministic, and 回避 holds in every pair of a large site', () => {
  const random = seededRandom('site');
  const majors = Array.from({ length: 10 }, (_, i) => `major-${i}`);
  const classes = Array.from({ length: 80 }, (_, i) => ({ id: `class-${i}`, major: majors[i % 10]! }));
  const candidates: ProctorCandidate[] = [];
  const rooms: ProctorRoom[] = [];
  for (let r = 0; r < 100; r++) {
    const ids: string[] = [];
    const roomClasses = [classes[(2 * r) % 80]!, classes[(2 * r + 37) % 80]!];
    for (let i = 0; i < 40; i++) {
      const k = roomClasses[i % 2]!;
      candidates.push({ id: `r${r}-${i}`, majorId: k.major, classId: k.id });
      ids.push(`r${r}-${i}`);
    }
    rooms.push({ roomId: `room-${r}`, name: `${r + 1}`, candidateIds: ids });
  }
  const proctors = Array.from({ length: 230 }, (_, j) =>
    proctor(`p${j}`, {
      majorIds: random() < 0.6 ? [majors[Math.floor(random() * 10)]!] : [],
      headTeacherOfClassIds: j < 80 ? [`class-${j}`] : [],
      counsellorOfClassIds: j >= 80 && j < 100 ? [0, 1, 2, 3].map((k) => `class-${(j - 80) * 4 + k}`) : [],
    }),
  );
  const input: ProctorAssignmentInput = { rooms, candidates, proctors };
  const result = assignProctors(input);
  checkAssignments(input, result, true);
  assert.deepEqual(result.problems, []);
  assert.equal(result.assignments.length, 200);
  assert.deepEqual(assignProctors(structuredClone(input)), result);
});
