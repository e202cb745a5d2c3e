/** What 监考安排 reads for one plan at one site: rooms with their candidates, the pool of proctors, current assignments. */
import type { Kysely } from 'kysely';
import { ROLE_NAMES, type StaffRole } from '../accounts/staff-auth.ts';
import type { DB } from '../../db/schema.ts';
import type { PoolMember, Names } from './avoidance.ts';
import { chunks } from '../../db/chunks.ts';
import { loadArrangement, loadRegistrants, loadRooms, loadSeats, type ArrangementRow, type Registrant, type RoomRow, type Target } from './load.ts';

/** Who proctors: teachers (in practice) and proctor accounts of the site's institution. */
export const PROCTOR_ROLES = ['teacher', 'proctor'] as const;
/** Who may be 主考. */
export const CHIEF_ROLES = ['coordinator', 'institution_admin', 'teacher', 'proctor'] as const;

export interface Person {
  userId: string;
  name: string;
  username: string;
  roleName: string;
}

export interface AssignmentRow {
  id: string;
  userId: string;
  siteId: string;
  roomId: string | null;
  duty: 'proctor' | 'chief';
}

export interface ProctorData {
  target: Target;
  arrangement: ArrangementRow | undefined;
  rooms: RoomRow[];
  /** Candidates seated per room (registrations still at the site). */
  candidatesByRoom: Map<string, Registrant[]>;
  /** Teachers and proctors of the site's institution not on duty at another site in this plan. */
  pool: PoolMember[];
  chiefOptions: Person[];
  /** This plan's assignments at this site. */
  assignments: AssignmentRow[];
  /** Pool users with a duty at another site in this plan: where. */
  elsewhere: Map<string, string>;
  names: Names;
}

const roleName = (role: string) => ROLE_NAMES[role as StaffRole] ?? role;

export async function loadProctorData(db: Kysely<DB>, target: Target): Promise<ProctorData> {
  const { plan, site } = target;
  const [registrants, rooms, seats, arrangement, staff, planAssignments] = await Promise.all([
    loadRegistrants(db, plan.id, site.id),
    loadRooms(db, site.id),
    loadSeats(db, plan.id, site.id),
    loadArrangement(db, plan.id, site.id),
    db
      .selectFrom('users')
      .select(['id', 'username', 'display_name', 'role'])
      .where('institution_id', '=', site.institution_id)
      .where('status', '=', 'active')
      .where('role', 'in', [...CHIEF_ROLES])
      .orderBy('display_name')
      .orderBy('username')
      .execute(),
    db
      .selectFrom('proctor_assignments as p')
      .innerJoin('sites as s', 's.id', 'p.site_id')
      .leftJoin('rooms as r', 'r.id', 'p.room_id')
      .select(['p.id', 'p.user_id', 'p.site_id', 'p.room_id', 'p.duty', 's.name as site_name', 'r.name as room_name'])
      .where('p.plan_id', '=', plan.id)
      .execute(),
  ]);

  const byId = new Map(registrants.map((r) => [r.registrationId, r]));
  const candidatesByRoom = new Map<string, Registrant[]>();
  for (const s of seats.sort((a, b) => a.seatNo - b.seatNo)) {
    const r = byId.get(s.registrationId);
    if (!r) continue;
    const list = candidatesByRoom.get(s.roomId);
    if (list) list.push(r);
    else candidatesByRoom.set(s.roomId, [r]);
  }

  const elsewhere = new Map<string, string>();
  for (const a of planAssignments) {
    if (a.site_id === site.id) continue;
    elsewhere.set(a.user_id, a.duty === 'chief' ? `考核站点“${a.site_name}”的主考` : `考核站点“${a.site_name}”考场“${a.room_name ?? ''}”的监考员`);
  }
  const poolUsers = staff.filter((u) => (PROCTOR_ROLES as readonly string[]).includes(u.role) && !elsewhere.has(u.id));
  const poolIds = poolUsers.map((u) => u.id);

  const teaches = new Map<string, string[]>();
  const heads = new Map<string, string[]>();
  const counsels = new Map<string, string[]>();
  const push = (map: Map<string, string[]>, key: string, value: string) => {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };
  const classNames = new Map<string, string>();
  for (const part of chunks(poolIds, 400)) {
    const [tm, ks] = await Promise.all([
      db.selectFrom('teacher_majors').select(['user_id', 'major_id']).where('user_id', 'in', part).execute(),
      db
        .selectFrom('classes')
        .select(['id', 'name', 'head_teacher_id', 'counsellor_id'])
        .where((eb) => eb.or([eb('head_teacher_id', 'in', part), eb('counsellor_id', 'in', part)]))
        .execute(),
    ]);
    for (const t of tm) push(teaches, t.user_id, t.major_id);
    const inPart = new Set(part);
    for (const k of ks) {
      classNames.set(k.id, k.name);
      if (k.head_teacher_id && inPart.has(k.head_teacher_id)) push(heads, k.head_teacher_id, k.id);
      if (k.counsellor_id && inPart.has(k.counsellor_id)) push(counsels, k.counsellor_id, k.id);
    }
  }
  for (const r of registrants) if (r.classId && r.className) classNames.set(r.classId, r.className);
  const majorIds = new Set<string>([...[...teaches.values()].flat(), ...registrants.map((r) => r.majorId).filter((m): m is string => Boolean(m))]);
  const majorNames = new Map<string, string>();
  for (const part of chunks([...majorIds], 400)) {
    for (const m of await db.selectFrom('majors').select(['id', 'name']).where('id', 'in', part).execute()) majorNames.set(m.id, m.name);
  }

  const pool: PoolMember[] = poolUsers.map((u) => ({
    userId: u.id, name: u.display_name, username: u.username, role: u.role, roleName: roleName(u.role),
    majorIds: teaches.get(u.id) ?? [], headTeacherOf: heads.get(u.id) ?? [], counsellorOf: counsels.get(u.id) ?? [],
  }));
  return {
    target,
    arrangement,
    rooms,
    candidatesByRoom,
    pool,
    chiefOptions: staff.filter((u) => !elsewhere.has(u.id)).map((u) => ({ userId: u.id, name: u.display_name, username: u.username, roleName: roleName(u.role) })),
    assignments: planAssignments
      .filter((a) => a.site_id === site.id)
      .map((a) => ({ id: a.id, userId: a.user_id, siteId: a.site_id, roomId: a.room_id, duty: a.duty })),
    elsewhere,
    names: { majors: majorNames, classes: classNames },
  };
}
