/**
 * 考场编排: placing a plan's candidates into rooms and seats. Pure, no I/O;
 * the same input (seed included) always gives the same arrangement.
 *
 * Choices:
 * - One level per room (one paper at a time). A room's capacity is its seat
 *   count, or ceil(seats / 2) with `everyOtherSeat` (physical seats 1, 3, 5, …
 *   are used; seat numbers returned are always the physical ones 1..seats).
 *   Seats are numbered row by row, `seatsPerRow` (default 8) to a row:
 *   seat s is in row ceil(s / seatsPerRow), column ((s - 1) % seatsPerRow) + 1.
 * - Neighbours are physical: left/right in the same row and front/back in the
 *   same column. With `everyOtherSeat` the seat between two used seats is empty,
 *   so only front/back neighbours remain (none at all when seatsPerRow is odd).
 * - Stability: an `existing` seat of a candidate still in `candidates` is kept
 *   exactly, and its room keeps its level. Seats of candidates no longer listed
 *   are freed. A kept seat that is no longer usable (unknown room, seat out of
 *   range or even under `everyOtherSeat`, seat taken twice, or a room holding a
 *   different level) is re-arranged with a problem saying why.
 * - Rooms per level: a level first fills the free seats of the rooms it already
 *   holds, then takes empty rooms, levels with the most candidates still to seat
 *   first (so when seats run short, the largest level is served first): the
 *   smallest empty room that takes all that remain, else the largest empty room.
 *   So each level uses as few rooms as it can and only its last room is partly
 *   filled. Who is left without a seat when seats run out: the last candidates
 *   of that level in input order.
 * - Classes (班级; `institutionId` + `classId`; no class never counts as same
 *   class): a level's new candidates are grouped by class, largest class first,
 *   members shuffled with the seed. Free seats of rooms that keep published
 *   candidates are filled seat by seat with the largest class not next to the
 *   seat. The rest, as one list, is split into two halves, and each empty room
 *   takes its share from the front of both. A room thus holds a few classes, none
 *   (unless one class is over half the level) more than half the room, which
 *   keeps same-class neighbours avoidable and the number of majors, class
 *   teachers and counsellors per room (回避 for proctors) small.
 * - Seats in a room: partly filled rooms use a checkerboard first (seats with no
 *   used neighbour). Classes are laid out two ways — largest class first over one
 *   colour of the checkerboard then the other, and greedily seat by seat (the
 *   largest class not already next to the seat) — each repaired by swaps that
 *   remove same-class neighbours; the better one is kept, with a few seeded
 *   restarts if neither reaches zero. What remains is reported per room.
 */
import { LEVELS, LEVEL_NAMES, type Level } from './levels.ts';
import { seededRandom, shuffled, type Random } from './random.ts';

export const DEFAULT_SEATS_PER_ROW = 8;
/** The most seats a room's row may have (每排座位数 1–20). */
export const MAX_SEATS_PER_ROW = 20;

export interface ArrangementCandidate {
  id: string;
  level: Level;
  classId: string | null;
  institutionId?: string;
}

export interface ArrangementRoom {
  id: string;
  name: string;
  seats: number;
  /** Columns per row; default 8. */
  seatsPerRow?: number;
}

export interface SeatAssignment {
  candidateId: string;
  roomId: string;
  seatNo: number;
}

export interface ArrangementInput {
  candidates: readonly ArrangementCandidate[];
  rooms: readonly ArrangementRoom[];
  everyOtherSeat?: boolean;
  /** A published arrangement: these seats do not move. */
  existing?: readonly SeatAssignment[];
  seed?: string;
}

export interface ArrangedSeat extends SeatAssignment {
  /** 1-based. */
  row: number;
  /** 1-based. */
  column: number;
}

export interface ArrangedRoom {
  roomId: string;
  level: Level;
  used: number;
  capacity: number;
  /** Pairs of same-class candidates sitting left/right or front/back of each other. */
  adjacentSameClass: number;
}

export interface ArrangementResult {
  /** In room input order, then by seat number. */
  seats: ArrangedSeat[];
  /** Candidate ids, in input order. */
  unplaced: string[];
  /** In Chinese, for the operator. */
  problems: string[];
  /** Rooms holding at least one candidate, in room input order. */
  rooms: ArrangedRoom[];
}

/** Row and column (1-based) of a physical seat. */
export function seatPosition(seatNo: number, seatsPerRow: number = DEFAULT_SEATS_PER_ROW): { row: number; column: number } {
  const cols = validColumns(seatsPerRow);
  return { row: Math.floor((seatNo - 1) / cols) + 1, column: ((seatNo - 1) % cols) + 1 };
}

/** Candidates a room can take: every seat, or every other one. */
export function roomCapacity(seats: number, everyOtherSeat = false): number {
  const n = validSeats(seats);
  return everyOtherSeat ? Math.ceil(n / 2) : n;
}

const validSeats = (seats: number) => (Number.isFinite(seats) && seats > 0 ? Math.floor(seats) : 0);
const validColumns = (cols: number | undefined) =>
  cols !== undefined && Number.isFinite(cols) && cols >= 1 ? Math.floor(cols) : DEFAULT_SEATS_PER_ROW;

// ---------------------------------------------------------------- admission tickets

/**
 * 准考证号: 15 digits, fixed width, so that distinct parts never give the same number:
 *   plan code 6 digits (e.g. the sitting date yyMMdd) | site code 4 digits |
 *   room index 3 digits (1-based position of the room in the site, 001–999) |
 *   seat number 2 digits (01–99).
 * Codes must already have their full width (no padding, so "012" and "12" cannot
 * collide); anything that does not fit throws a RangeError.
 */
export const TICKET_NUMBER_WIDTHS = { planCode: 6, siteCode: 4, roomIndex: 3, seatNo: 2 } as const;

export interface TicketNumberParts {
  planCode: string;
  siteCode: string;
  roomIndex: number;
  seatNo: number;
}

export function ticketNumber(parts: TicketNumberParts): string {
  const w = TICKET_NUMBER_WIDTHS;
  const code = (value: string, width: number, what: string) => {
    if (!new RegExp(`^\\d{${width}}$`).test(value)) throw new RangeError(`${what}应为 ${width} 位数字：${JSON.stringify(value)}`);
    return value;
  };
  const num = (value: number, width: number, what: string) => {
    if (!Number.isInteger(value) || value < 1 || value >= 10 ** width) throw new RangeError(`${what}应为 1–${10 ** width - 1} 的整数：${value}`);
    return String(value).padStart(width, '0');
  };
  return (
    code(parts.planCode, w.planCode, '计划代码') +
    code(parts.siteCode, w.siteCode, '站点代码') +
    num(parts.roomIndex, w.roomIndex, '考场序号') +
    num(parts.seatNo, w.seatNo, '座位号')
  );
}

// ---------------------------------------------------------------- the grid of one room

const EMPTY = -1;

/** A room's shape; shared by the rooms of the same shape. */
interface Grid {
  seats: number;
  cols: number;
  capacity: number;
  /** usable[s] for s in 1..seats. */
  usable: Uint8Array;
  /** Checkerboard colour of each seat. */
  colour: Uint8Array;
  /** Usable neighbours of each seat (index 0 unused). */
  neighbours: number[][];
}

function makeGrid(seats: number, cols: number, everyOtherSeat: boolean): Grid {
  const usable = new Uint8Array(seats + 1);
  const colour = new Uint8Array(seats + 1);
  for (let s = 1; s <= seats; s++) {
    usable[s] = everyOtherSeat ? s % 2 : 1;
    colour[s] = (Math.floor((s - 1) / cols) + ((s - 1) % cols)) & 1;
  }
  const neighbours: number[][] = [[]];
  for (let s = 1; s <= seats; s++) {
    const col = (s - 1) % cols;
    const list: number[] = [];
    if (usable[s]) {
      if (col > 0 && usable[s - 1]) list.push(s - 1);
      if (col < cols - 1 && s + 1 <= seats && usable[s + 1]) list.push(s + 1);
      if (s - cols >= 1 && usable[s - cols]) list.push(s - cols);
      if (s + cols <= seats && usable[s + cols]) list.push(s + cols);
    }
    neighbours.push(list);
  }
  return { seats, cols, capacity: roomCapacity(seats, everyOtherSeat), usable, colour, neighbours };
}

/** Same-class neighbour pairs in a room; cls[s] is a class number or EMPTY. */
function countConflicts(grid: Grid, cls: Int32Array): number {
  let n = 0;
  for (let s = 1; s <= grid.seats; s++) {
    const c = cls[s]!;
    if (c === EMPTY) continue;
    for (const t of grid.neighbours[s]!) if (t > s && cls[t] === c) n++;
  }
  return n;
}

/** Neighbours of seat x holding class c, not counting seat `skip`. */
function sameAround(grid: Grid, cls: Int32Array, x: number, c: number, skip: number): number {
  if (c === EMPTY) return 0;
  let n = 0;
  for (const t of grid.neighbours[x]!) if (t !== skip && cls[t] === c) n++;
  return n;
}

/**
 * Free usable seats of a room; all of them in order of preference (the larger
 * checkerboard colour first); the m to fill, in seat order.
 */
function chooseSeats(grid: Grid, lockedCls: Int32Array, m: number): { free: number[]; preferred: number[]; chosen: number[]; first: number } {
  const free: number[] = [];
  let even = 0;
  for (let s = 1; s <= grid.seats; s++) {
    if (!grid.usable[s] || lockedCls[s] !== EMPTY) continue;
    free.push(s);
    if (grid.colour[s] === 0) even++;
  }
  const first = even >= free.length - even ? 0 : 1;
  const preferred = [...free.filter((s) => grid.colour[s] === first), ...free.filter((s) => grid.colour[s] !== first)];
  return { free, preferred, chosen: preferred.slice(0, m).sort((a, b) => a - b), first };
}

/**
 * Swaps candidates between movable seats (and into free ones) while that removes
 * same-class neighbours. `who[s]` (person index or EMPTY) moves along with cls.
 */
function repair(grid: Grid, cls: Int32Array, who: Int32Array, movable: readonly number[]): void {
  const maxRounds = 4 * movable.length + 10;
  for (let round = 0; round < maxRounds; round++) {
    let improved = false;
    for (const s of movable) {
      const cs = cls[s]!;
      if (cs === EMPTY || sameAround(grid, cls, s, cs, 0) === 0) continue;
      let bestDelta = 0;
      let best = 0;
      for (const t of movable) {
        const ct = cls[t]!;
        if (t === s || ct === cs) continue;
        const delta =
          sameAround(grid, cls, t, cs, s) - sameAround(grid, cls, s, cs, t) + sameAround(grid, cls, s, ct, t) - sameAround(grid, cls, t, ct, s);
        if (delta < bestDelta) {
          bestDelta = delta;
          best = t;
        }
      }
      if (best) {
        cls[s] = cls[best]!;
        cls[best] = cs;
        const w = who[s]!;
        who[s] = who[best]!;
        who[best] = w;
        improved = true;
      }
    }
    if (!improved) return;
  }
}

/** Picks, seat by seat, the largest class (by `left`) not already next to the seat. */
function greedyPick(grid: Grid, cls: Int32Array, s: number, classes: readonly number[], left: readonly number[]): number {
  let pick = -1;
  let fallback = -1;
  for (let j = 0; j < classes.length; j++) {
    const n = left[j]!;
    if (n === 0) continue;
    if (fallback < 0 || n > left[fallback]!) fallback = j;
    if ((pick < 0 || n > left[pick]!) && sameAround(grid, cls, s, classes[j]!, 0) === 0) pick = j;
  }
  return pick >= 0 ? pick : fallback;
}

/**
 * Seats people (their class numbers in `personCls`) on the free usable seats of a
 * room whose locked seats are already in `lockedCls`. `initial`, when given, is a
 * first layout to try (seat → person). Returns each person's seat and the room's
 * same-class pairs.
 */
function seatRoom(
  grid: Grid, lockedCls: Int32Array, personCls: readonly number[], random: Random, initial?: ReadonlyMap<number, number>,
): { seatOfPerson: Int32Array; conflicts: number } {
  const m = personCls.length;
  const { free, chosen, first } = chooseSeats(grid, lockedCls, m);
  const seatOfPerson = new Int32Array(m);
  if (m === 0) return { seatOfPerson, conflicts: countConflicts(grid, lockedCls) };

  // Classes of the newcomers, largest first; members keep their order.
  const members = new Map<number, number[]>();
  for (let i = 0; i < m; i++) {
    const list = members.get(personCls[i]!);
    if (list) list.push(i);
    else members.set(personCls[i]!, [i]);
  }
  const classes = [...members.keys()].sort((a, b) => members.get(b)!.length - members.get(a)!.length || a - b);

  type Layout = { cls: Int32Array; who: Int32Array; conflicts: number };
  const fresh = () => ({ cls: lockedCls.slice(), who: new Int32Array(grid.seats + 1).fill(EMPTY) });
  const finish = ({ cls, who }: { cls: Int32Array; who: Int32Array }): Layout => {
    repair(grid, cls, who, free);
    return { cls, who, conflicts: countConflicts(grid, cls) };
  };
  const put = (l: { cls: Int32Array; who: Int32Array }, s: number, i: number) => {
    l.cls[s] = personCls[i]!;
    l.who[s] = i;
  };

  // The given layout.
  const layoutGiven = (): Layout => {
    const l = fresh();
    for (const [s, i] of initial!) put(l, s, i);
    return finish(l);
  };
  // Largest class first along one colour, then the other.
  const layoutByColour = (): Layout => {
    const l = fresh();
    const order = [...chosen.filter((s) => grid.colour[s] === first), ...chosen.filter((s) => grid.colour[s] !== first)];
    let k = 0;
    for (const c of classes) for (const i of members.get(c)!) put(l, order[k++]!, i);
    return finish(l);
  };
  // Seat by seat, the largest remaining class not already next to it.
  const layoutGreedy = (seatOrder: readonly number[]): Layout => {
    const l = fresh();
    const left = classes.map((c) => members.get(c)!.length);
    const next = classes.map(() => 0);
    for (const s of seatOrder) {
      const j = greedyPick(grid, l.cls, s, classes, left);
      put(l, s, members.get(classes[j]!)![next[j]!++]!);
      left[j]!--;
    }
    return finish(l);
  };

  const tries: (() => Layout)[] = [];
  if (initial) tries.push(layoutGiven);
  tries.push(layoutByColour, () => layoutGreedy(chosen));
  for (let k = 0; k < 8; k++) tries.push(() => layoutGreedy(shuffled(chosen, random)));
  let best: Layout | null = null;
  for (const attempt of tries) {
    const layout = attempt();
    if (!best || layout.conflicts < best.conflicts) best = layout;
    if (best.conflicts === 0) break;
  }
  for (const s of free) if (best!.who[s] !== EMPTY) seatOfPerson[best!.who[s]!] = s;
  return { seatOfPerson, conflicts: best!.conflicts };
}

// ---------------------------------------------------------------- arrange

interface RoomState {
  room: ArrangementRoom;
  order: number;
  grid: Grid;
  level: Level | null;
  /** Kept candidates (indices) by seat. */
  kept: Map<number, number>;
  /** How many new candidates this room takes. */
  take: number;
  conflicts: number;
}

export function arrange(input: ArrangementInput): ArrangementResult {
  const everyOtherSeat = input.everyOtherSeat ?? false;
  const seed = input.seed ?? 'kaowu';
  const problems: string[] = [];

  // Candidates, once each, with a known level; from here on by index.
  // Unplaced candidates are reported in input order: their input positions.
  const cands: ArrangementCandidate[] = [];
  const inputPos: number[] = [];
  const unplacedPos: number[] = [];
  const indexOf = new Map<string, number>(); // -1: listed, but not arranged
  input.candidates.forEach((c, pos) => {
    if (indexOf.has(c.id)) {
      problems.push(`考生 ${c.id} 重复出现，只编排一次`);
      return;
    }
    if (!(LEVELS as readonly string[]).includes(c.level)) {
      problems.push(`考生 ${c.id} 的报考级别 ${String(c.level)} 无法识别，未编排`);
      indexOf.set(c.id, -1);
      unplacedPos.push(pos);
      return;
    }
    indexOf.set(c.id, cands.length);
    inputPos.push(pos);
    cands.push(c);
  });
  const n = cands.length;

  // Class numbers: one per (institution, class); no class → a number of its own.
  const cls = new Int32Array(n);
  const hasClass = new Uint8Array(n);
  {
    const classNo = new Map<string, number>();
    let next = 0;
    for (let i = 0; i < n; i++) {
      const c = cands[i]!;
      if (c.classId === null || c.classId === undefined) {
        cls[i] = next++;
        continue;
      }
      hasClass[i] = 1;
      const key = `${c.institutionId ?? ''}\u0000${c.classId}`;
      let k = classNo.get(key);
      if (k === undefined) classNo.set(key, (k = next++));
      cls[i] = k;
    }
  }

  // Rooms, once each; rooms of one shape share a grid.
  const rooms: RoomState[] = [];
  const roomById = new Map<string, RoomState>();
  const grids = new Map<string, Grid>();
  for (const room of input.rooms) {
    if (roomById.has(room.id)) {
      problems.push(`考场 ${room.name}（${room.id}）重复出现，只用一次`);
      continue;
    }
    const seats = validSeats(room.seats);
    const cols = validColumns(room.seatsPerRow);
    const shape = `${seats}x${cols}`;
    let grid = grids.get(shape);
    if (!grid) grids.set(shape, (grid = makeGrid(seats, cols, everyOtherSeat)));
    const state: RoomState = { room, order: rooms.length, grid, level: null, kept: new Map(), take: 0, conflicts: 0 };
    rooms.push(state);
    roomById.set(room.id, state);
  }

  // Keep what was published, where it still holds.
  const isKept = new Uint8Array(n);
  const seen = new Uint8Array(n); // a candidate's first published seat decides
  for (const e of input.existing ?? []) {
    const i = indexOf.get(e.candidateId);
    if (i === undefined || i < 0 || seen[i]) continue;
    seen[i] = 1;
    const state = roomById.get(e.roomId);
    let why: string | null = null;
    if (!state) why = `考场 ${e.roomId} 已不存在`;
    else if (!Number.isInteger(e.seatNo) || e.seatNo < 1 || e.seatNo > state.grid.seats) why = `考场 ${state.room.name} 没有第 ${e.seatNo} 座`;
    else if (!state.grid.usable[e.seatNo]) why = `隔位就座时第 ${e.seatNo} 座不用`;
    else if (state.kept.has(e.seatNo)) why = `该座位已排给考生 ${cands[state.kept.get(e.seatNo)!]!.id}`;
    if (why) {
      problems.push(`考生 ${e.candidateId} 的原座位（考场 ${state?.room.name ?? e.roomId} 第 ${e.seatNo} 座）不能保留：${why}，已重新编排`);
      continue;
    }
    state!.kept.set(e.seatNo, i);
    isKept[i] = 1;
  }
  // One level per room: the level most of its kept candidates have.
  for (const state of rooms) {
    if (state.kept.size === 0) continue;
    const counts = new Map<Level, number>();
    for (const i of state.kept.values()) counts.set(cands[i]!.level, (counts.get(cands[i]!.level) ?? 0) + 1);
    let level: Level = LEVELS[0];
    let most = -1;
    for (const l of LEVELS) if ((counts.get(l) ?? 0) > most) (level = l), (most = counts.get(l) ?? 0);
    state.level = level;
    for (const [seatNo, i] of [...state.kept]) {
      const c = cands[i]!;
      if (c.level === level) continue;
      state.kept.delete(seatNo);
      isKept[i] = 0;
      problems.push(
        `考生 ${c.id} 的原座位（考场 ${state.room.name} 第 ${seatNo} 座）不能保留：该考场为${LEVEL_NAMES[level]}考场，考生报考${LEVEL_NAMES[c.level]}，已重新编排`,
      );
    }
  }

  // New candidates per level, in input order.
  const fresh = new Map<Level, number[]>(LEVELS.map((l) => [l, []]));
  for (let i = 0; i < n; i++) if (!isKept[i]) fresh.get(cands[i]!.level)!.push(i);

  // Rooms per level: their own free seats first, then empty rooms.
  const roomsOf = new Map<Level, RoomState[]>(LEVELS.map((l) => [l, []]));
  const remaining = new Map<Level, number>();
  for (const level of LEVELS) {
    let need = fresh.get(level)!.length;
    for (const state of rooms) {
      if (state.level !== level) continue;
      roomsOf.get(level)!.push(state);
      state.take = Math.min(need, state.grid.capacity - state.kept.size);
      need -= state.take;
    }
    remaining.set(level, need);
  }
  const empty = rooms.filter((s) => s.level === null && s.grid.capacity > 0).sort((a, b) => b.grid.capacity - a.grid.capacity || a.order - b.order);
  const levelsByNeed = [...LEVELS].sort((a, b) => remaining.get(b)! - remaining.get(a)!);
  for (const level of levelsByNeed) {
    let need = remaining.get(level)!;
    while (need > 0 && empty.length > 0) {
      let k = -1;
      for (let i = 0; i < empty.length; i++) if (empty[i]!.grid.capacity >= need) k = i; // smallest that fits (list is largest first)
      const state = empty.splice(k >= 0 ? k : 0, 1)[0]!;
      state.level = level;
      state.take = Math.min(need, state.grid.capacity);
      need -= state.take;
      roomsOf.get(level)!.push(state);
    }
    remaining.set(level, need);
  }

  const placedRoom: (RoomState | null)[] = new Array(n).fill(null);
  const placedSeat = new Int32Array(n);
  const lockedOf = (state: RoomState) => {
    const locked = new Int32Array(state.grid.seats + 1).fill(EMPTY);
    for (const [seatNo, i] of state.kept) locked[seatNo] = cls[i]!;
    return locked;
  };
  const place = (state: RoomState, people: readonly number[], initial?: ReadonlyMap<number, number>) => {
    const { seatOfPerson, conflicts } = seatRoom(state.grid, lockedOf(state), people.map((i) => cls[i]!), seededRandom(`${seed}\u0000${state.room.id}`), initial);
    people.forEach((i, k) => {
      placedRoom[i] = state;
      placedSeat[i] = seatOfPerson[k]!;
    });
    state.conflicts = conflicts;
  };

  for (const level of LEVELS) {
    const list = fresh.get(level)!;
    const short = remaining.get(level)!;
    const placeable = list.slice(0, list.length - short);
    if (short > 0) {
      for (const i of list.slice(list.length - short)) unplacedPos.push(inputPos[i]!);
      problems.push(`${LEVEL_NAMES[level]} 还有 ${short} 名考生无考场可排：考场座位不足`);
    }
    const levelRooms = roomsOf.get(level)!.sort((a, b) => a.order - b.order);
    const random = seededRandom(`${seed}\u0000${level}`);

    // Class groups, largest first, members shuffled; unclassed last.
    const groups = new Map<number, number[]>();
    const loose: number[] = [];
    for (const i of placeable) {
      if (!hasClass[i]) {
        loose.push(i);
        continue;
      }
      const g = groups.get(cls[i]!);
      if (g) g.push(i);
      else groups.set(cls[i]!, [i]);
    }
    const order = [...groups.keys()].sort((a, b) => groups.get(b)!.length - groups.get(a)!.length || a - b);
    const pools = order.map((k) => shuffled(groups.get(k)!, random));
    if (loose.length) pools.push(shuffled(loose, random));
    const poolCls = pools.map((p) => (p === pools[order.length] ? EMPTY : cls[p[0]!]!));
    const next = pools.map(() => 0);
    const left = pools.map((p) => p.length);

    // Rooms already holding candidates: their free seats, room by room (the larger
    // checkerboard colour first), each given the largest class in the pool that is
    // not next to it (kept neighbours included). A seat where every class left would
    // sit next to its own is passed over while enough seats remain, and filled last.
    const lockedRooms = levelRooms.filter((st) => st.kept.size > 0);
    let toPlace = lockedRooms.reduce((sum, st) => sum + st.take, 0);
    const work = new Map<RoomState, { locked: Int32Array; people: number[]; initial: Map<number, number> }>();
    const seatsInOrder: [RoomState, number][] = [];
    for (const state of lockedRooms) {
      const locked = lockedOf(state);
      work.set(state, { locked, people: [], initial: new Map() });
      for (const s of chooseSeats(state.grid, locked, 0).preferred) seatsInOrder.push([state, s]);
    }
    const fill = (state: RoomState, s: number, j: number) => {
      const w = work.get(state)!;
      const i = pools[j]![next[j]!++]!;
      left[j]!--;
      w.locked[s] = poolCls[j] === EMPTY ? -2 - i : poolCls[j]!; // unclassed: a class of its own
      w.initial.set(s, w.people.length);
      w.people.push(i);
      toPlace--;
    };
    const passed: [RoomState, number][] = [];
    let seatsLeft = seatsInOrder.length;
    for (const [state, s] of seatsInOrder) {
      if (toPlace === 0) break;
      seatsLeft--;
      const w = work.get(state)!;
      const j = greedyPick(state.grid, w.locked, s, poolCls, left);
      if (sameAround(state.grid, w.locked, s, poolCls[j]!, 0) > 0 && seatsLeft >= toPlace) passed.push([state, s]);
      else fill(state, s, j);
    }
    for (const [state, s] of passed) {
      if (toPlace === 0) break;
      fill(state, s, greedyPick(state.grid, work.get(state)!.locked, s, poolCls, left));
    }
    for (const state of lockedRooms) {
      const w = work.get(state)!;
      state.take = w.people.length;
      if (w.people.length > 0) place(state, w.people, w.initial);
      else state.conflicts = countConflicts(state.grid, lockedOf(state));
    }

    // The rest, class by class, split in two halves; each empty room takes its share
    // from the front of both.
    const ordered: number[] = [];
    pools.forEach((p, j) => {
      for (let k = next[j]!; k < p.length; k++) ordered.push(p[k]!);
    });
    const emptyRooms = levelRooms.filter((s) => s.kept.size === 0);
    const firstHalf = emptyRooms.reduce((sum, s) => sum + Math.floor(s.take / 2), 0);
    let a = 0;
    let b = firstHalf;
    for (const state of emptyRooms) {
      const h = Math.floor(state.take / 2);
      const mine = [...ordered.slice(a, a + h), ...ordered.slice(b, b + state.take - h)];
      a += h;
      b += state.take - h;
      place(state, mine);
    }
  }

  // Output, room by room, seat by seat.
  const seats: ArrangedSeat[] = [];
  const summary: ArrangedRoom[] = [];
  const atSeat = new Map<RoomState, Int32Array>();
  const seatTable = (state: RoomState) => {
    let t = atSeat.get(state);
    if (!t) atSeat.set(state, (t = new Int32Array(state.grid.seats + 1).fill(EMPTY)));
    return t;
  };
  for (const state of rooms) for (const [seatNo, i] of state.kept) seatTable(state)[seatNo] = i;
  for (let i = 0; i < n; i++) if (placedRoom[i]) seatTable(placedRoom[i]!)[placedSeat[i]!] = i;
  for (const state of rooms) {
    const table = atSeat.get(state);
    if (!table || state.level === null) continue;
    let used = 0;
    for (let s = 1; s <= state.grid.seats; s++) {
      const i = table[s]!;
      if (i === EMPTY) continue;
      used++;
      seats.push({ candidateId: cands[i]!.id, roomId: state.room.id, seatNo: s, row: Math.floor((s - 1) / state.grid.cols) + 1, column: ((s - 1) % state.grid.cols) + 1 });
    }
    if (used === 0) continue;
    summary.push({ roomId: state.room.id, level: state.level, used, capacity: state.grid.capacity, adjacentSameClass: state.conflicts });
    if (state.conflicts > 0) {
      problems.push(`考场 ${state.room.name}（${LEVEL_NAMES[state.level]}）有 ${state.conflicts} 对同班考生前后或左右相邻：同一班级考生过多，无法完全错开`);
    }
  }

  const unplaced = unplacedPos.sort((x, y) => x - y).map((pos) => input.candidates[pos]!.id);
  return { seats, unplaced, problems, rooms: summary };
}
