/**
 * 监考分配 with 回避: proctors to rooms. Pure, no I/O, deterministic.
 *
 * - A room of n candidates needs max(perRoomMin, 2 × ceil(n / perCandidates))
 *   proctors (2 per 40 candidates by default); a room with no candidates needs none.
 * - A proctor is in at most one room.
 * - 回避: a proctor who teaches the major of any candidate in the room, or is the
 *   head teacher (班主任) or counsellor (辅导员) of any candidate's class, is never
 *   put in that room.
 * - It is a bipartite b-matching (rooms with their needs × proctors), solved as a
 *   maximum flow: a greedy start (most constrained room first, each taking the
 *   proctors fit for the fewest rooms), then augmenting paths (BFS over rooms: a
 *   proctor may move from one room to another that then takes a replacement). So
 *   whenever every room can be staffed, every room is staffed; otherwise as many
 *   seats as possible are filled and each short room gets a problem saying why.
 * - `existing` assignments that are still allowed are kept (up to the room's need;
 *   a proctor listed twice keeps the first). They move only when no other way
 *   staffs a short room; each such move is reported as a problem of the room left.
 */

export interface ProctorRoom {
  roomId: string;
  name: string;
  candidateIds: readonly string[];
}

export interface ProctorCandidate {
  id: string;
  majorId: string | null;
  classId: string | null;
}

export interface Proctor {
  id: string;
  name: string;
  /** Majors (专业) the proctor teaches. */
  majorIds: readonly string[];
  /** Classes the proctor is 班主任 of. */
  headTeacherOfClassIds: readonly string[];
  /** Classes the proctor is 辅导员 of. */
  counsellorOfClassIds: readonly string[];
}

export interface ProctorAssignment {
  roomId: string;
  proctorId: string;
}

export interface ProctorAssignmentInput {
  rooms: readonly ProctorRoom[];
  candidates: readonly ProctorCandidate[];
  proctors: readonly Proctor[];
  /** Candidates per pair of proctors; default 40. */
  perCandidates?: number;
  /** Fewest proctors in a room with candidates; default 2. */
  perRoomMin?: number;
  existing?: readonly ProctorAssignment[];
}

export interface ProctorAssignmentResult {
  /** In room input order, then proctor input order. */
  assignments: ProctorAssignment[];
  /** In Chinese, for the operator. */
  problems: { roomId: string; message: string }[];
}

export const DEFAULT_CANDIDATES_PER_PROCTOR_PAIR = 40;
export const DEFAULT_PROCTORS_PER_ROOM = 2;

/** Proctors a room of `candidates` needs. */
export function proctorsNeeded(candidates: number, perCandidates = DEFAULT_CANDIDATES_PER_PROCTOR_PAIR, perRoomMin = DEFAULT_PROCTORS_PER_ROOM): number {
  if (candidates <= 0) return 0;
  return Math.max(perRoomMin, 2 * Math.ceil(candidates / Math.max(1, perCandidates)));
}

const AVOID_REASON = '任教本考场考生专业或为其班主任/辅导员';

export function assignProctors(input: ProctorAssignmentInput): ProctorAssignmentResult {
  const perCandidates = input.perCandidates ?? DEFAULT_CANDIDATES_PER_PROCTOR_PAIR;
  const perRoomMin = input.perRoomMin ?? DEFAULT_PROCTORS_PER_ROOM;
  const problems: { roomId: string; message: string }[] = [];

  // Proctors, once each.
  const proctors: Proctor[] = [];
  const proctorNo = new Map<string, number>();
  for (const p of input.proctors) {
    if (proctorNo.has(p.id)) continue;
    proctorNo.set(p.id, proctors.length);
    proctors.push(p);
  }
  const P = proctors.length;

  // Who must avoid whom: by major and by class.
  const byMajor = new Map<string, number[]>();
  const byClass = new Map<string, number[]>();
  const index = (map: Map<string, number[]>, key: string, j: number) => {
    const list = map.get(key);
    if (list) list.push(j);
    else map.set(key, [j]);
  };
  proctors.forEach((p, j) => {
    for (const m of p.majorIds) index(byMajor, m, j);
    for (const c of p.headTeacherOfClassIds) index(byClass, c, j);
    for (const c of p.counsellorOfClassIds) index(byClass, c, j);
  });
  const candidateById = new Map(input.candidates.map((c) => [c.id, c]));

  const rooms = input.rooms;
  const R = rooms.length;
  const need = new Int32Array(R);
  /** allowed[r * P + j] = 1 when proctor j may proctor room r. */
  const allowed = new Uint8Array(R * P);
  const allowedCount = new Int32Array(R);
  rooms.forEach((room, r) => {
    need[r] = proctorsNeeded(room.candidateIds.length, perCandidates, perRoomMin);
    allowed.fill(1, r * P, (r + 1) * P);
    const majors = new Set<string>();
    const classes = new Set<string>();
    let unknown = 0;
    for (const id of room.candidateIds) {
      const c = candidateById.get(id);
      if (!c) {
        unknown++;
        continue;
      }
      if (c.majorId !== null) majors.add(c.majorId);
      if (c.classId !== null) classes.add(c.classId);
    }
    for (const m of majors) for (const j of byMajor.get(m) ?? []) allowed[r * P + j] = 0;
    for (const c of classes) for (const j of byClass.get(c) ?? []) allowed[r * P + j] = 0;
    let n = 0;
    for (let j = 0; j < P; j++) n += allowed[r * P + j]!;
    allowedCount[r] = n;
    if (unknown > 0) problems.push({ roomId: room.roomId, message: `考场 ${room.name} 有 ${unknown} 名考生的资料缺失，无法核对其回避关系` });
  });
  const roomNo = new Map<string, number>();
  rooms.forEach((room, r) => {
    if (!roomNo.has(room.roomId)) roomNo.set(room.roomId, r);
  });

  // roomOf[j]: the room of proctor j, or -1.
  const roomOf = new Int32Array(P).fill(-1);
  const pinned = new Uint8Array(P);
  const have = new Int32Array(R);
  for (const e of input.existing ?? []) {
    const r = roomNo.get(e.roomId);
    const j = proctorNo.get(e.proctorId);
    if (r === undefined || j === undefined || roomOf[j] !== -1 || have[r]! >= need[r]! || !allowed[r * P + j]) continue;
    roomOf[j] = r;
    pinned[j] = 1;
    have[r]!++;
  }

  // Greedy start: most constrained rooms first (fewest allowed proctors per seat to
  // fill), each taking the free proctors allowed in the fewest rooms.
  const flexibility = new Int32Array(P);
  for (let r = 0; r < R; r++) if (need[r]! > 0) for (let j = 0; j < P; j++) flexibility[j]! += allowed[r * P + j]!;
  const roomOrder = Array.from({ length: R }, (_, r) => r).sort(
    (a, b) => allowedCount[a]! / Math.max(1, need[a]!) - allowedCount[b]! / Math.max(1, need[b]!) || a - b,
  );
  const proctorOrder = Array.from({ length: P }, (_, j) => j).sort((a, b) => flexibility[a]! - flexibility[b]! || a - b);
  for (const r of roomOrder) {
    for (const j of proctorOrder) {
      if (have[r]! >= need[r]!) break;
      if (roomOf[j] === -1 && allowed[r * P + j]) {
        roomOf[j] = r;
        have[r]!++;
      }
    }
  }

  // Augmenting paths: from a short room, through proctors it may take (moving
  // them out of their room, which then looks for a replacement), to a free proctor.
  const moved: { proctor: number; from: number; to: number }[] = [];
  const augment = (start: number, movePinned: boolean): boolean => {
    const prevRoom = new Int32Array(R).fill(-2); // the room we came from, -1 at start
    const viaProctor = new Int32Array(R).fill(-1); // the proctor that moves out of this room
    prevRoom[start] = -1;
    const queue = [start];
    for (let q = 0; q < queue.length; q++) {
      const r = queue[q]!;
      for (let j = 0; j < P; j++) {
        if (!allowed[r * P + j]) continue;
        const holder = roomOf[j]!;
        if (holder === r) continue;
        if (holder === -1) {
          // Found: j goes to r; walk back, each proctor moving into the room before.
          let room = r;
          let proctor = j;
          for (;;) {
            const from = roomOf[proctor]!;
            roomOf[proctor] = room;
            if (pinned[proctor] && from !== -1 && from !== room) moved.push({ proctor, from, to: room });
            if (room === start) break;
            const next = viaProctor[room]!;
            room = prevRoom[room]!;
            proctor = next;
          }
          have[start]!++;
          return true;
        }
        if (prevRoom[holder] !== -2 || (pinned[j] && !movePinned)) continue;
        prevRoom[holder] = r;
        viaProctor[holder] = j;
        queue.push(holder);
      }
    }
    return false;
  };
  for (const movePinned of [false, true]) {
    for (const r of roomOrder) {
      while (have[r]! < need[r]! && augment(r, movePinned));
    }
  }

  // Problems.
  let free = 0;
  for (let j = 0; j < P; j++) if (roomOf[j] === -1) free++;
  const totalNeed = need.reduce((s, n) => s + n, 0);
  rooms.forEach((room, r) => {
    const missing = need[r]! - have[r]!;
    if (missing <= 0) return;
    const avoid = P - allowedCount[r]!;
    let why: string;
    if (allowedCount[r]! === 0 && P > 0) why = `全部 ${P} 名监考员均需回避（${AVOID_REASON}）`;
    else if (free > 0) {
      why = `未安排的 ${free} 名监考员均需回避（${AVOID_REASON}）`;
      why += allowedCount[r]! < need[r]! ? `；全部 ${P} 名监考员中只有 ${allowedCount[r]} 名无需回避` : `；无需回避的 ${allowedCount[r]} 名已安排在其他考场且无法替换`;
    } else {
      why = `监考员人数不足（共 ${P} 名，各考场共需 ${totalNeed} 名）`;
      if (avoid > 0) why += `，另有 ${avoid} 名需回避本考场`;
    }
    problems.push({ roomId: room.roomId, message: `考场 ${room.name} 缺 ${missing} 名监考员：${why}` });
  });
  for (const m of moved) {
    const from = rooms[m.from]!;
    problems.push({
      roomId: from.roomId,
      message: `监考员 ${proctors[m.proctor]!.name} 已由考场 ${from.name} 调往考场 ${rooms[m.to]!.name}（否则该考场无法满足回避要求），请通知本人`,
    });
  }

  const assignments: ProctorAssignment[] = [];
  const members: number[][] = rooms.map(() => []);
  for (let j = 0; j < P; j++) if (roomOf[j]! >= 0) members[roomOf[j]!]!.push(j);
  rooms.forEach((room, r) => {
    for (const j of members[r]!) assignments.push({ roomId: room.roomId, proctorId: proctors[j]!.id });
  });
  return { assignments, problems };
}
