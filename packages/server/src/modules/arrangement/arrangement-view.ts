/** The 考场编排 of one plan at one site as the console shows it: rooms, seat maps, the unplaced, and whether it can be published. */
import { LEVEL_NAMES, LEVELS, roomCapacity, seatPosition, type Level } from '@kaowu/core';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import {
  loadArrangement, loadRegistrants, loadRooms, loadSeats, neighbourSeats, parseOptions, parseProblems, userNames,
  type Registrant, type RoomRow, type SeatRow, type Target,
} from './load.ts';
import type { ArrangementView } from './schemas.ts';

const classKey = (r: Registrant) => (r.classId ? `${r.institutionId ?? ''}\u0000${r.classId}` : null);

/** The level most candidates of a room have (rooms hold one level; ties go to the lower level). */
export function roomLevel(levels: readonly Level[]): Level | null {
  if (levels.length === 0) return null;
  let best: Level = levels[0]!;
  let most = 0;
  for (const l of LEVELS) {
    const n = levels.filter((x) => x === l).length;
    if (n > most) (best = l), (most = n);
  }
  return best;
}

export interface ArrangementData {
  registrants: Registrant[];
  rooms: RoomRow[];
  seats: SeatRow[];
}

export async function loadArrangementData(db: Kysely<DB>, planId: string, siteId: string): Promise<ArrangementData> {
  const [registrants, rooms, seats] = await Promise.all([loadRegistrants(db, planId, siteId), loadRooms(db, siteId), loadSeats(db, planId, siteId)]);
  return { registrants, rooms, seats };
}

/** Why 发布 is refused when candidates are still without a seat. */
export function unplacedReason(count: number, sinceRun: number, problems: readonly string[]): string {
  if (sinceRun === count) return `${count} 名考生是编排之后报考的，请先重新编排`;
  const short = problems.some((p) => p.includes('座位不足'));
  return short
    ? `还有 ${count} 名考生未安排座位：考场座位不足，请增加考场或考位（或取消隔位就座）后重新编排`
    : `还有 ${count} 名考生未安排座位，请重新编排`;
}

export async function arrangementView(db: Kysely<DB>, target: Target, data?: ArrangementData): Promise<ArrangementView> {
  const { plan, site } = target;
  const [{ registrants, rooms, seats }, row] = await Promise.all([data ?? loadArrangementData(db, plan.id, site.id), loadArrangement(db, plan.id, site.id)]);
  const options = parseOptions(row?.options);
  const problems = parseProblems(row?.problems);
  const byId = new Map(registrants.map((r) => [r.registrationId, r]));
  const seatOf = new Map<string, SeatRow>();
  const seatsByRoom = new Map<string, SeatRow[]>();
  for (const s of seats) {
    if (!byId.has(s.registrationId)) continue;
    seatOf.set(s.registrationId, s);
    const list = seatsByRoom.get(s.roomId);
    if (list) list.push(s);
    else seatsByRoom.set(s.roomId, [s]);
  }

  const roomViews = rooms.map((room) => {
    const cols = Number(room.seats_per_row);
    const list = (seatsByRoom.get(room.id) ?? []).sort((a, b) => a.seatNo - b.seatNo);
    const total = Number(room.seats);
    const keyAt = new Map<number, string | null>(list.map((s) => [s.seatNo, classKey(byId.get(s.registrationId)!)]));
    let pairs = 0;
    const seatViews = list.map((s) => {
      const r = byId.get(s.registrationId)!;
      const key = classKey(r);
      let same = false;
      for (const n of neighbourSeats(s.seatNo, Math.max(total, s.seatNo), cols)) {
        if (key !== null && keyAt.get(n) === key) {
          same = true;
          if (n > s.seatNo) pairs++;
        }
      }
      const { row: seatRow, column } = seatPosition(s.seatNo, cols);
      return {
        seatNo: s.seatNo, row: seatRow, column, registrationId: r.registrationId, ticketNo: r.ticketNo, name: r.name, className: r.className,
        level: r.level, sameClassNeighbour: same,
      };
    });
    const level = roomLevel(seatViews.map((s) => s.level));
    return {
      id: room.id, name: room.name, location: room.location, totalSeats: total, capacity: roomCapacity(total, options.everyOtherSeat), seatsPerRow: cols,
      level, levelName: level ? LEVEL_NAMES[level] : null, used: seatViews.length, adjacentSameClass: pairs, seats: seatViews,
    };
  });

  const updatedAt = row ? Date.parse(row.updated_at) : null;
  const unplaced = registrants
    .filter((r) => !seatOf.has(r.registrationId))
    .map((r) => ({
      registrationId: r.registrationId, ticketNo: r.ticketNo, name: r.name, level: r.level, levelName: LEVEL_NAMES[r.level], className: r.className,
      registeredSinceRun: updatedAt !== null && Date.parse(r.registeredAt) > updatedAt,
    }));

  const byLevel = LEVELS.map((level) => ({
    level,
    levelName: LEVEL_NAMES[level],
    registered: registrants.filter((r) => r.level === level).length,
    placed: registrants.filter((r) => r.level === level && seatOf.has(r.registrationId)).length,
    rooms: roomViews.filter((r) => r.level === level).length,
  })).filter((l) => l.registered > 0 || l.rooms > 0);

  const state = row?.state ?? 'none';
  let publishBlocker: string | null = null;
  if (!row) publishBlocker = registrants.length ? '尚未编排：请先点击“编排”' : '本考核站点在该考试计划中还没有报考的考生';
  else if (registrants.length === 0) publishBlocker = '本考核站点在该考试计划中没有报考的考生';
  else if (unplaced.length > 0) publishBlocker = unplacedReason(unplaced.length, unplaced.filter((u) => u.registeredSinceRun).length, problems);
  else if (state === 'published') publishBlocker = '考场编排已发布';

  const publishedBy = row?.published_by ? ((await userNames(db, [row.published_by])).get(row.published_by) ?? null) : null;
  return {
    plan: { id: plan.id, name: plan.name, examDate: plan.exam_date },
    site: { id: site.id, code: site.code, name: site.name },
    state,
    options,
    everPublished: Boolean(row?.published_at),
    publishedAt: row?.published_at ?? null,
    publishedBy,
    updatedAt: row?.updated_at ?? null,
    problems,
    totals: {
      registered: registrants.length,
      placed: registrants.length - unplaced.length,
      unplaced: unplaced.length,
      capacity: roomViews.reduce((n, r) => n + r.capacity, 0),
      byLevel,
    },
    rooms: roomViews,
    unplaced,
    canPublish: publishBlocker === null,
    publishBlocker,
  };
}
