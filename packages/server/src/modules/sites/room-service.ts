import type { Kysely, Selectable } from 'kysely';
import { normalizeRoomRanges } from '@kaowu/core';
import type { DB } from '../../db/schema.ts';
import type { RoomsTable } from '../../db/tables/administration.ts';
import { badRequest, conflict, notFound } from '../../http/errors.ts';
import { newId, nowIso } from '../../ids.ts';
import { shanghaiDate } from '../../time-format.ts';
import { auditChange } from '../accounts/scope.ts';
import type { StaffUser } from '../accounts/staff-auth.ts';
import { uniqueViolation } from '../../db/errors.ts';
import type { SiteRow } from './site-service.ts';

/**
 * 考场 of a site (part 5, 一、: 考场类型选择“机考”; 座位数要按照本考场内拟安排的考生数填报，
 * 或者大于考生人数). Rooms of a rejected or disabled site cannot change. A room's
 * seats cannot drop below the candidates already placed in it for a plan that
 * is still to come, nor below the highest seat number used; a room that has
 * ever held an arrangement or proctors cannot be deleted. Its seats per row
 * (每排座位数) may change at any time: seat numbers stay, so nobody moves.
 */

export type RoomRow = Selectable<RoomsTable>;

export interface RoomInput {
  name: string;
  location: string;
  seats: number;
  /** 每排座位数 */
  seatsPerRow: number;
  roomType: string;
  spareMachines: number;
  ipRanges: string[];
  /** 仅允许本考场 IP 登录 */
  restrictSignIn?: boolean;
}

function snapshot(r: RoomRow) {
  return { name: r.name, location: r.location, seats: r.seats, seatsPerRow: r.seats_per_row, roomType: r.room_type, spareMachines: r.spare_machines, ipRanges: parseRanges(r.ip_ranges), restrictSignIn: r.restrict_sign_in === 1 };
}

/** A room's stored IP ranges (a JSON list of CIDR strings); anything else reads as none. */
export function parseRanges(json: string): string[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

function assertEditable(site: SiteRow): void {
  if (site.status === 'rejected' || site.status === 'disabled') {
    throw conflict('SITE_NOT_EDITABLE', site.status === 'rejected' ? '考核站点申请未通过审核，不能设置考场' : '考核站点已停用，不能修改考场');
  }
}

/** Checked, normalised IP ranges, or a 400 listing every bad entry. */
function checkedRanges(list: string[]): string[] {
  const { ranges, problems } = normalizeRoomRanges(list);
  if (problems.length > 0) {
    throw badRequest('INVALID_IP_RANGE', problems.map((p) => p.message).join('；'), { problems });
  }
  return ranges;
}

const duplicateName = (name: string) => conflict('ROOM_NAME_TAKEN', `本站点已有名为“${name}”的考场，请换一个名称`);

async function nameTaken(db: Kysely<DB>, siteId: string, name: string, exceptId?: string): Promise<boolean> {
  let q = db.selectFrom('rooms').select('id').where('site_id', '=', siteId).where('name', '=', name);
  if (exceptId) q = q.where('id', '<>', exceptId);
  return Boolean(await q.executeTakeFirst());
}

export async function roomOfSite(db: Kysely<DB>, siteId: string, roomId: string): Promise<RoomRow> {
  const room = await db.selectFrom('rooms').selectAll().where('id', '=', roomId).where('site_id', '=', siteId).executeTakeFirst();
  if (!room) throw notFound('ROOM_NOT_FOUND', '考场不存在');
  return room;
}

export async function createRoom(db: Kysely<DB>, staff: StaffUser, site: SiteRow, input: RoomInput): Promise<RoomRow> {
  assertEditable(site);
  const ipRanges = checkedRanges(input.ipRanges);
  if (await nameTaken(db, site.id, input.name)) throw duplicateName(input.name);
  const row: RoomRow = {
    id: newId(), site_id: site.id, name: input.name, location: input.location, seats: input.seats, seats_per_row: input.seatsPerRow, room_type: input.roomType,
    spare_machines: input.spareMachines, ip_ranges: JSON.stringify(ipRanges), created_at: nowIso(),
    restrict_sign_in: input.restrictSignIn ? 1 : 0,
  };
  try {
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('rooms').values(row).execute();
      await auditChange(trx, staff, { action: 'room.create', entity: 'room', entityId: row.id, after: { siteId: site.id, ...snapshot(row) }, institutionId: site.institution_id });
    });
  } catch (err) {
    if (uniqueViolation(err) !== null) throw duplicateName(input.name);
    throw err;
  }
  return row;
}

/** Candidates placed in the room per plan still to come (exam date today or later), with the highest seat used. */
export async function upcomingPlacements(db: Kysely<DB>, roomId: string, now: number) {
  const rows = await db
    .selectFrom('seat_assignments')
    .innerJoin('plans', 'plans.id', 'seat_assignments.plan_id')
    .select(['plans.name', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.max('seat_assignments.seat_no').as('maxSeat')])
    .where('seat_assignments.room_id', '=', roomId)
    .where('plans.exam_date', '>=', shanghaiDate(now))
    .groupBy(['plans.id', 'plans.name'])
    .execute();
  return rows.map((r) => ({ plan: r.name, placed: Number(r.n), maxSeat: Number(r.maxSeat ?? 0) }));
}

export async function updateRoom(
  db: Kysely<DB>, staff: StaffUser, site: SiteRow, roomId: string, patch: Partial<RoomInput>, now: number,
): Promise<RoomRow> {
  assertEditable(site);
  const before = await roomOfSite(db, site.id, roomId);
  const after: RoomRow = {
    ...before,
    name: patch.name ?? before.name,
    location: patch.location ?? before.location,
    seats: patch.seats ?? before.seats,
    seats_per_row: patch.seatsPerRow ?? before.seats_per_row,
    room_type: patch.roomType ?? before.room_type,
    spare_machines: patch.spareMachines ?? before.spare_machines,
    ip_ranges: patch.ipRanges ? JSON.stringify(checkedRanges(patch.ipRanges)) : before.ip_ranges,
    restrict_sign_in: patch.restrictSignIn === undefined ? before.restrict_sign_in : patch.restrictSignIn ? 1 : 0,
  };
  if (after.name !== before.name && (await nameTaken(db, site.id, after.name, roomId))) throw duplicateName(after.name);
  if (after.seats < before.seats) {
    for (const p of await upcomingPlacements(db, roomId, now)) {
      const needed = Math.max(p.placed, p.maxSeat);
      if (after.seats < needed) {
        throw conflict(
          'SEATS_BELOW_PLACED',
          `考场“${before.name}”在“${p.plan}”中已编排 ${p.placed} 名考生（最大座位号 ${p.maxSeat}），考位数不能少于 ${needed}；如需减少考位，请先调整考场编排`,
          { placed: p.placed, maxSeat: p.maxSeat },
        );
      }
    }
  }
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('rooms')
        .set({ name: after.name, location: after.location, seats: after.seats, seats_per_row: after.seats_per_row, room_type: after.room_type, spare_machines: after.spare_machines, ip_ranges: after.ip_ranges, restrict_sign_in: after.restrict_sign_in })
        .where('id', '=', roomId)
        .execute();
      await auditChange(trx, staff, {
        action: 'room.update', entity: 'room', entityId: roomId, before: snapshot(before), after: snapshot(after), institutionId: site.institution_id,
      });
    });
  } catch (err) {
    if (uniqueViolation(err) !== null) throw duplicateName(after.name);
    throw err;
  }
  return after;
}

export async function deleteRoom(db: Kysely<DB>, staff: StaffUser, site: SiteRow, roomId: string): Promise<void> {
  assertEditable(site);
  const room = await roomOfSite(db, site.id, roomId);
  const seated = await db.selectFrom('seat_assignments').select((eb) => eb.fn.countAll<number>().as('n')).where('room_id', '=', roomId).executeTakeFirstOrThrow();
  if (Number(seated.n) > 0) throw conflict('ROOM_IN_USE', `考场“${room.name}”已有考场编排（${Number(seated.n)} 名考生），不能删除`);
  const proctored = await db.selectFrom('proctor_assignments').select('id').where('room_id', '=', roomId).executeTakeFirst();
  if (proctored) throw conflict('ROOM_IN_USE', `考场“${room.name}”已安排监考员，不能删除`);
  try {
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom('rooms').where('id', '=', roomId).execute();
      await auditChange(trx, staff, { action: 'room.delete', entity: 'room', entityId: roomId, before: { siteId: site.id, ...snapshot(room) }, institutionId: site.institution_id });
    });
  } catch (err) {
    // An arrangement saved meanwhile: its foreign key keeps the room.
    if (/FOREIGN KEY|foreign key|23503/.test(String((err as { code?: string; message?: string }).code ?? '') + String((err as Error).message ?? ''))) {
      throw conflict('ROOM_IN_USE', `考场“${room.name}”已有考场编排，不能删除`);
    }
    throw err;
  }
}
