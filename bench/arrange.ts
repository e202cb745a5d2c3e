/**
 * Arrangement benchmark (考场编排 and 监考分配): how long a large site takes.
 *
 *   npx tsx bench/arrange.ts [--runs N] [--candidates N] [--rooms N] [--proctors N]
 *
 * A site of 10,000 candidates in the three levels (3,400 / 3,300 / 3,300), 80
 * classes of 4 institutions (each class one level and one of 10 majors, sizes
 * uneven), 260 rooms of 40 seats, and 600 proctors (80 head teachers, 20
 * counsellors of 4 classes each, 60% teaching one major). Measured, N runs each
 * (default 7; the first is a warm-up and not counted):
 *   arrange        the whole site from scratch;
 *   rearrange      the same again on top of the published result, with 300
 *                  candidates withdrawn and 300 registered late;
 *   assignProctors the rooms of the arrangement, with 回避.
 * Wall-clock times are the figures; CPU times (this process, user + system) and the
 * load average are printed next to them, to read them on a busy machine.
 * Target: 10,000 candidates arranged in under 2 s.
 * Prints one JSON object on stdout; progress goes to stderr.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import {
  LEVELS, arrange, assignProctors, seededRandom, type ArrangementCandidate, type ArrangementInput, type ArrangementResult, type Proctor,
  type ProctorCandidate,
} from '@kaowu/core';
import { round } from './lib/stats.ts';

const log = (msg: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    candidates: { type: 'string', default: '10000' },
    rooms: { type: 'string', default: '260' },
    proctors: { type: 'string', default: '600' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  process.stderr.write('npx tsx bench/arrange.ts [--runs N] [--candidates N] [--rooms N] [--proctors N]\n');
  process.exit(0);
}
const RUNS = Math.max(1, Number(args.runs));
const N = Number(args.candidates);
const ROOMS = Number(args.rooms);
const PROCTORS = Number(args.proctors);
const CLASSES = 80;
const MAJORS = 10;

// ---------------------------------------------------------------- the site
const random = seededRandom('bench-arrange');
const pick = (n: number) => Math.floor(random() * n);
const classes = Array.from({ length: CLASSES }, (_, i) => ({
  id: `class-${i}`,
  institutionId: `inst-${i % 4}`,
  level: LEVELS[i % 3]!,
  majorId: `major-${i % MAJORS}`,
  weight: 0.5 + random(), // uneven sizes
}));
const levelShare = [0.34, 0.33, 0.33];
const candidates: ArrangementCandidate[] = [];
const majorOf = new Map<string, string>();
LEVELS.forEach((level, l) => {
  const own = classes.filter((c) => c.level === level);
  const total = own.reduce((s, c) => s + c.weight, 0);
  const n = l === LEVELS.length - 1 ? N - candidates.length : Math.round(N * levelShare[l]!);
  for (let i = 0; i < n; i++) {
    let x = random() * total;
    let k = own[0]!;
    for (const c of own) if ((x -= c.weight) <= 0) (k = c), (x = Infinity);
    const id = `cand-${candidates.length}`;
    candidates.push({ id, level, classId: k.id, institutionId: k.institutionId });
    majorOf.set(id, k.majorId);
  }
});
const rooms = Array.from({ length: ROOMS }, (_, i) => ({ id: `room-${i + 1}`, name: `第${i + 1}考场`, seats: 40 }));
const proctors: Proctor[] = Array.from({ length: PROCTORS }, (_, j) => ({
  id: `proctor-${j}`,
  name: `监考员${j}`,
  majorIds: random() < 0.6 ? [`major-${pick(MAJORS)}`] : [],
  headTeacherOfClassIds: j < CLASSES ? [`class-${j}`] : [],
  counsellorOfClassIds: j >= CLASSES && j < CLASSES + 20 ? [0, 1, 2, 3].map((k) => `class-${((j - CLASSES) * 4 + k) % CLASSES}`) : [],
}));
const proctorCandidates: ProctorCandidate[] = candidates.map((c) => ({ id: c.id, majorId: majorOf.get(c.id)!, classId: c.classId }));

// ---------------------------------------------------------------- timing
/** Wall-clock ms of each run, and this process's CPU ms (user + system) of each run. */
function time<T>(label: string, fn: () => T): { ms: number[]; cpuMs: number[]; last: T } {
  const ms: number[] = [];
  const cpuMs: number[] = [];
  let last!: T;
  for (let i = 0; i <= RUNS; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    last = fn();
    const dt = performance.now() - t0;
    const c = process.cpuUsage(c0);
    if (i > 0) ms.push(dt), cpuMs.push((c.user + c.system) / 1000); // run 0 warms up
    log(`${label} run ${i}${i === 0 ? ' (warm-up)' : ''}: ${dt.toFixed(1)} ms (cpu ${((c.user + c.system) / 1000).toFixed(1)} ms)`);
  }
  return { ms, cpuMs, last };
}
const median = (xs: number[]) => {
  const a = xs.slice().sort((x, y) => x - y);
  return a.length % 2 ? a[(a.length - 1) / 2]! : (a[a.length / 2 - 1]! + a[a.length / 2]!) / 2;
};
const stats = (xs: number[]) => ({ p50: round(median(xs), 1), max: round(Math.max(...xs), 1) });

log(`${N} candidates, ${CLASSES} classes, ${ROOMS} rooms of 40, ${PROCTORS} proctors; ${RUNS} runs`);
const input: ArrangementInput = { candidates, rooms, seed: 'bench' };
const first = time('arrange', () => arrange(input));
const result: ArrangementResult = first.last;

// Re-arrangement on top of the published seats: 300 withdraw, 300 register late.
const gone = new Set(candidates.filter((_, i) => i % 33 === 5).slice(0, 300).map((c) => c.id));
const late: ArrangementCandidate[] = Array.from({ length: 300 }, (_, i) => {
  const k = classes[pick(CLASSES)]!;
  return { id: `late-${i}`, level: k.level, classId: k.id, institutionId: k.institutionId };
});
const second: ArrangementInput = {
  candidates: [...candidates.filter((c) => !gone.has(c.id)), ...late],
  rooms,
  seed: 'bench',
  existing: result.seats.map(({ candidateId, roomId, seatNo }) => ({ candidateId, roomId, seatNo })),
};
const again = time('rearrange', () => arrange(second));
const seatBefore = new Map(result.seats.map((s) => [s.candidateId, `${s.roomId}#${s.seatNo}`]));
const kept = again.last.seats.filter((s) => seatBefore.get(s.candidateId) === `${s.roomId}#${s.seatNo}`).length;

const byRoom = new Map<string, string[]>();
for (const s of result.seats) {
  const list = byRoom.get(s.roomId) ?? [];
  list.push(s.candidateId);
  byRoom.set(s.roomId, list);
}
const roomName = new Map(rooms.map((r) => [r.id, r.name]));
const proctorRooms = result.rooms.map((r) => ({ roomId: r.roomId, name: roomName.get(r.roomId)!, candidateIds: byRoom.get(r.roomId)! }));
const classOf = new Map(candidates.map((c) => [c.id, c.classId]));
const staffed = time('assignProctors', () => assignProctors({ rooms: proctorRooms, candidates: proctorCandidates, proctors }));

const out = {
  candidates: N,
  rooms: ROOMS,
  arrangeMs: stats(first.ms),
  proctorMs: round(median(staffed.ms), 1),
  adjacentSameClass: result.rooms.reduce((s, r) => s + r.adjacentSameClass, 0),
  target: '< 2000 ms',
  arrangeCpuMs: stats(first.cpuMs),
  proctorCpuMs: round(median(staffed.cpuMs), 1),
  loadAverage: os.loadavg().map((x) => round(x, 1)),
  cores: os.cpus().length,
  runs: RUNS,
  classes: CLASSES,
  proctors: PROCTORS,
  placed: result.seats.length,
  unplaced: result.unplaced.length,
  roomsUsed: result.rooms.length,
  roomsUsedByLevel: Object.fromEntries(LEVELS.map((l) => [l, result.rooms.filter((r) => r.level === l).length])),
  maxClassesInARoom: Math.max(...[...byRoom.values()].map((ids) => new Set(ids.map((id) => classOf.get(id))).size)),
  rearrange: {
    ms: stats(again.ms),
    cpuMs: stats(again.cpuMs),
    withdrawn: gone.size,
    late: late.length,
    keptSeats: kept,
    unplaced: again.last.unplaced.length,
    adjacentSameClass: again.last.rooms.reduce((s, r) => s + r.adjacentSameClass, 0),
  },
  proctorMsMax: round(Math.max(...staffed.ms), 1),
  proctorAssignments: staffed.last.assignments.length,
  proctorsNeeded: proctorRooms.reduce((s, r) => s + Math.max(2, 2 * Math.ceil(r.candidateIds.length / 40)), 0),
  proctorProblems: staffed.last.problems.length,
  node: process.version,
};
process.stdout.write(JSON.stringify(out, null, 2) + '\n');
