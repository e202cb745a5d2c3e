/**
 * Who proctors what (docs/proctoring.md, "Who sees what"). The route gate lets
 * in the roles that can be assigned (and the operator); then the assignment
 * decides: a room's proctor sees that room, a site's chief (主考) every room of
 * the site, for the sittings of the assignment's plan whose level is seated in
 * the room. Anything else answers 404, exactly like a missing record.
 */
import type { Level, Paper } from '@kaowu/core';
import type { AppContext } from '../../context.ts';
import { outOfScope } from '../accounts/scope.ts';
import type { StaffRole, StaffUser } from '../accounts/staff-auth.ts';
import type { Sitting } from '../plans/sitting-catalog.ts';

/** Roles let through the gate of every proctor route (the assignment then decides). */
export const PROCTOR_GATE: StaffRole[] = ['operator', 'institution_admin', 'coordinator', 'teacher', 'proctor'];

export type Duty = 'proctor' | 'chief';

export interface RoomRow {
  id: string;
  name: string;
  location: string;
  /** Declared seats and 每排座位数: the seat map's extent and columns. */
  seats: number;
  seatsPerRow: number;
  siteId: string;
  siteName: string;
  institutionId: string;
}

export interface SiteRow {
  id: string;
  name: string;
  institutionId: string;
}

export interface RoomAccess {
  sitting: Sitting;
  room: RoomRow;
  /** How the caller sees the room: as its proctor, as the site's chief, or as the operator. */
  as: Duty | 'operator';
}

export interface SiteAccess {
  sitting: Sitting;
  site: SiteRow;
  as: 'chief' | 'operator';
}

async function sittingOrMissing(ctx: AppContext, sittingId: string): Promise<Sitting> {
  const sitting = await ctx.sittings.sitting(sittingId, ctx.clock.now());
  if (!sitting) throw outOfScope();
  return sitting;
}

/** The caller's duties in a plan: rooms they proctor and sites where they are chief. */
async function dutiesOf(ctx: AppContext, userId: string, planId: string) {
  const rows = await ctx.db
    .selectFrom('proctor_assignments')
    .select(['site_id', 'room_id', 'duty'])
    .where('user_id', '=', userId)
    .where('plan_id', '=', planId)
    .execute();
  return {
    rooms: new Set(rows.filter((r) => r.duty === 'proctor' && r.room_id).map((r) => r.room_id!)),
    chiefOf: new Set(rows.filter((r) => r.duty === 'chief').map((r) => r.site_id)),
  };
}

/** Whether the room (or site) seats a candidate of the sitting's level in its plan: only then is it the sitting's. */
function seatsTheLevel(db: AppContext['db'], sitting: Sitting, column: 'sa.room_id' | 'sa.site_id', id: string) {
  return db
    .selectFrom('seat_assignments as sa')
    .innerJoin('registrations as r', 'r.id', 'sa.registration_id')
    .select('sa.registration_id')
    .where('sa.plan_id', '=', sitting.planId)
    .where(column, '=', id)
    .where('r.level', '=', sitting.level)
    .limit(1)
    .executeTakeFirst();
}

/** The room, when it seats candidates of the sitting's level in its plan and the caller may see it; else 404. */
export async function roomAccess(ctx: AppContext, staff: StaffUser, sittingId: string, roomId: string): Promise<RoomAccess> {
  const sitting = await sittingOrMissing(ctx, sittingId);
  const db = ctx.db;
  const [room, seated, duties] = await Promise.all([
    db
      .selectFrom('rooms')
      .innerJoin('sites', 'sites.id', 'rooms.site_id')
      .select(['rooms.id', 'rooms.name', 'rooms.location', 'rooms.seats', 'rooms.seats_per_row', 'rooms.site_id', 'sites.name as site_name', 'sites.institution_id'])
      .where('rooms.id', '=', roomId)
      .executeTakeFirst(),
    seatsTheLevel(db, sitting, 'sa.room_id', roomId),
    staff.role === 'operator' ? null : dutiesOf(ctx, staff.id, sitting.planId),
  ]);
  if (!room || !seated) throw outOfScope();
  let as: RoomAccess['as'] = 'operator';
  if (duties) {
    if (duties.rooms.has(room.id)) as = 'proctor';
    else if (duties.chiefOf.has(room.site_id)) as = 'chief';
    else throw outOfScope();
  }
  return {
    sitting,
    room: { id: room.id, name: room.name, location: room.location, seats: Number(room.seats), seatsPerRow: Number(room.seats_per_row), siteId: room.site_id, siteName: room.site_name, institutionId: room.institution_id },
    as,
  };
}

/** The site overview: the site's chief for the sitting's plan, or the operator; a room's proctor gets 404. */
export async function siteAccess(ctx: AppContext, staff: StaffUser, sittingId: string, siteId: string): Promise<SiteAccess> {
  const sitting = await sittingOrMissing(ctx, sittingId);
  const db = ctx.db;
  const [site, seated, duties] = await Promise.all([
    db.selectFrom('sites').select(['id', 'name', 'institution_id']).where('id', '=', siteId).executeTakeFirst(),
    seatsTheLevel(db, sitting, 'sa.site_id', siteId),
    staff.role === 'operator' ? null : dutiesOf(ctx, staff.id, sitting.planId),
  ]);
  if (!site || !seated) throw outOfScope();
  if (duties && !duties.chiefOf.has(site.id)) throw outOfScope();
  return { sitting, site: { id: site.id, name: site.name, institutionId: site.institution_id }, as: duties ? 'chief' : 'operator' };
}

/** The chief's site for a sitting's plan (a chief has one duty per plan), or null. */
export async function chiefSiteOf(ctx: AppContext, staff: StaffUser, planId: string): Promise<string | null> {
  const row = await ctx.db
    .selectFrom('proctor_assignments')
    .select('site_id')
    .where('user_id', '=', staff.id)
    .where('plan_id', '=', planId)
    .where('duty', '=', 'chief')
    .executeTakeFirst();
  return row?.site_id ?? null;
}

export interface ProctorRoomItem {
  sittingId: string;
  sittingName: string;
  paper: Paper;
  level: Level;
  startsAt: string;
  endsAt: string;
  planId: string;
  siteId: string;
  siteName: string;
  roomId: string | null;
  roomName: string | null;
  duty: Duty;
  seats: number;
}

/** The operator's list is capped (the latest sittings are kept). */
export const OPERATOR_LIST_CAP = 500;

/**
 * 我的考场: every room (and, for a chief, the whole site) the caller proctors,
 * per sitting, ordered by the start, the site and the room (the site's own
 * entry first). The operator sees every site and room (capped).
 */
export async function listRooms(ctx: AppContext, staff: StaffUser): Promise<ProctorRoomItem[]> {
  const db = ctx.db;
  const operator = staff.role === 'operator';
  const duties = operator
    ? []
    : await db.selectFrom('proctor_assignments').select(['plan_id', 'site_id', 'room_id', 'duty']).where('user_id', '=', staff.id).execute();
  if (!operator && duties.length === 0) return [];
  const planIds = [...new Set(duties.map((d) => d.plan_id))];

  let sittingsQ = db
    .selectFrom('sittings')
    .select(['id', 'plan_id', 'name', 'paper', 'level', 'starts_at', 'ends_at'])
    .orderBy('starts_at', 'desc')
    .orderBy('id');
  if (!operator) sittingsQ = sittingsQ.where('plan_id', 'in', planIds);
  else sittingsQ = sittingsQ.limit(OPERATOR_LIST_CAP);
  const sittings = await sittingsQ.execute();
  if (sittings.length === 0) return [];
  const sittingPlans = [...new Set(sittings.map((s) => s.plan_id))];

  // Seated candidates per plan, room and level (one query).
  let seatsQ = db
    .selectFrom('seat_assignments as sa')
    .innerJoin('registrations as r', 'r.id', 'sa.registration_id')
    .innerJoin('rooms', 'rooms.id', 'sa.room_id')
    .innerJoin('sites', 'sites.id', 'sa.site_id')
    .select((eb) => ['sa.plan_id', 'sa.site_id', 'sa.room_id', 'r.level', 'rooms.name as room_name', 'sites.name as site_name', eb.fn.countAll<number>().as('n')])
    .where('sa.plan_id', 'in', sittingPlans)
    .groupBy(['sa.plan_id', 'sa.site_id', 'sa.room_id', 'r.level', 'rooms.name', 'sites.name']);
  if (!operator) {
    const rooms = duties.filter((d) => d.duty === 'proctor' && d.room_id).map((d) => d.room_id!);
    const sites = duties.filter((d) => d.duty === 'chief').map((d) => d.site_id);
    seatsQ = seatsQ.where((eb) => eb.or([
      ...(rooms.length ? [eb('sa.room_id', 'in', rooms)] : []),
      ...(sites.length ? [eb('sa.site_id', 'in', sites)] : []),
    ]));
  }
  const seated = await seatsQ.execute();

  const items: ProctorRoomItem[] = [];
  for (const s of sittings) {
    const here = seated.filter((x) => x.plan_id === s.plan_id && x.level === s.level);
    const base = {
      sittingId: s.id, sittingName: s.name, paper: s.paper, level: s.level, startsAt: s.starts_at, endsAt: s.ends_at, planId: s.plan_id,
    };
    const siteEntry = (siteId: string) => {
      const rows = here.filter((x) => x.site_id === siteId);
      if (rows.length === 0) return;
      items.push({
        ...base, siteId, siteName: rows[0]!.site_name, roomId: null, roomName: null, duty: 'chief', seats: rows.reduce((n, x) => n + Number(x.n), 0),
      });
    };
    const roomEntry = (roomId: string) => {
      const row = here.find((x) => x.room_id === roomId);
      if (!row) return;
      items.push({ ...base, siteId: row.site_id, siteName: row.site_name, roomId, roomName: row.room_name, duty: 'proctor', seats: Number(row.n) });
    };
    if (operator) {
      for (const siteId of new Set(here.map((x) => x.site_id))) siteEntry(siteId);
      for (const x of here) roomEntry(x.room_id);
      continue;
    }
    for (const d of duties) {
      if (d.plan_id !== s.plan_id) continue;
      if (d.duty === 'chief') siteEntry(d.site_id);
      else if (d.room_id) roomEntry(d.room_id);
    }
  }
  items.sort((a, b) =>
    a.startsAt.localeCompare(b.startsAt)
    || a.siteName.localeCompare(b.siteName, 'zh-CN')
    || (a.roomName ?? '').localeCompare(b.roomName ?? '', 'zh-CN', { numeric: true })
    || a.sittingId.localeCompare(b.sittingId));
  return operator && items.length > OPERATOR_LIST_CAP ? items.slice(items.length - OPERATOR_LIST_CAP) : items;
}
