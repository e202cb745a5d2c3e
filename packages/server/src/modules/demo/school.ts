/**
 * The demo's institution and exam site, so that a newcomer finds every
 * administration screen filled: an approved institution with its admin,
 * coordinator, teachers, a site technician and proctors; majors and classes
 * (with head teachers and counsellors, for 回避); an enabled site with a signed
 * agreement and rooms. Created once (found again by its 院校代码).
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { hashPassword } from '../../http/passwords.ts';
import { newId, nowIso } from '../../ids.ts';
import type { AppContext } from '../../context.ts';
import type { StaffRole, StaffUser } from '../accounts/staff-auth.ts';
import { publishArrangement, runArrangement } from '../arrangement/arrange-service.ts';
import { runProctors, setChief } from '../arrangement/proctor-service.ts';
import { takeSerials, ticketNumber } from '../registration/tickets.ts';

export const DEMO_INSTITUTION = { code: '13579', name: '演示职业技术学院', province: '广东省' };
export const DEMO_SITE = { code: '0001', name: '演示职业技术学院考核站点', address: '广州市天河区演示路 1 号 信息楼' };

/** The school's accounts (password: the demo password). */
export const DEMO_SCHOOL_ACCOUNTS: { username: string; role: StaffRole; displayName: string }[] = [
  { username: 'school-admin', role: 'institution_admin', displayName: '演示院校管理员' },
  { username: 'coordinator', role: 'coordinator', displayName: '演示证书负责人' },
  ...['陈老师', '林老师', '黄老师', '周老师', '吴老师', '郑老师'].map((displayName, i) => ({
    username: `teacher${i + 1}`, role: 'teacher' as const, displayName,
  })),
  ...[1, 2, 3, 4].map((n) => ({ username: `proctor${n}`, role: 'proctor' as const, displayName: `演示监考员 ${n}` })),
  { username: 'technician', role: 'site_technician', displayName: '演示技术支持' },
];

const MAJORS = ['软件技术', '大数据技术'];
/** Classes: name, major index, head teacher and counsellor (indexes into the teachers). */
const CLASSES: [string, number, number, number][] = [
  ['软件 2301 班', 0, 0, 1],
  ['软件 2302 班', 0, 1, 0],
  ['大数据 2301 班', 1, 2, 3],
  ['大数据 2302 班', 1, 3, 2],
];
/** Teachers 1–4 teach the two majors; 5 and 6 teach neither (free to proctor anyone). */
const TEACHER_MAJORS: [number, number][] = [[0, 0], [1, 0], [2, 1], [3, 1]];
const SEATS_PER_ROOM = 40;
/** 每排座位数 of the rooms in turn: 5 rows of 8, then 6 to a row (7 rows, the last of 4). */
const ROOM_LAYOUTS = [8, 6];

export interface DemoSchool {
  institutionId: string;
  siteId: string;
  siteCode: string;
  classes: { id: string; majorId: string }[];
}

/** The demo school, created on first use inside the caller's transaction. */
export async function ensureDemoSchool(trx: Kysely<DB>, password: string): Promise<DemoSchool> {
  const found = await trx.selectFrom('institutions').select('id').where('code', '=', DEMO_INSTITUTION.code).executeTakeFirst();
  if (found) return loadSchool(trx, found.id);

  const now = nowIso();
  const institutionId = newId();
  const idOf = async (username: string) => (await trx.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst())?.id ?? null;
  const operatorId = await idOf('operator');
  await trx.insertInto('institutions').values({ id: institutionId, ...DEMO_INSTITUTION, status: 'approved', review_note: null, reviewed_by: operatorId, reviewed_at: now, created_at: now }).execute();

  const hash = await hashPassword(password);
  const userIds = new Map<string, string>();
  for (const a of DEMO_SCHOOL_ACCOUNTS) {
    if (await trx.selectFrom('users').select('id').where('username', '=', a.username).executeTakeFirst()) continue;
    const id = newId();
    userIds.set(a.username, id);
    await trx.insertInto('users').values({
      id, username: a.username, password_hash: hash, role: a.role, display_name: a.displayName, created_at: now,
      institution_id: institutionId, status: 'active', phone: null, review_note: null, class_id: null, student_no: null,
    }).execute();
  }
  const teacher = (i: number) => userIds.get(`teacher${i + 1}`) ?? null;

  const majorIds = MAJORS.map(() => newId());
  await trx.insertInto('majors').values(MAJORS.map((name, i) => ({ id: majorIds[i]!, institution_id: institutionId, name, created_at: now }))).execute();
  await trx.insertInto('classes').values(CLASSES.map(([name, major, head, counsellor]) => ({
    id: newId(), institution_id: institutionId, major_id: majorIds[major]!, name,
    head_teacher_id: teacher(head), counsellor_id: teacher(counsellor), created_at: now,
  }))).execute();
  const teaching = TEACHER_MAJORS.filter(([t]) => teacher(t)).map(([t, m]) => ({ user_id: teacher(t)!, major_id: majorIds[m]! }));
  if (teaching.length) await trx.insertInto('teacher_majors').values(teaching).execute();

  const siteId = newId();
  const coordinatorId = await idOf('coordinator');
  if (!coordinatorId) throw new Error('the demo school has no coordinator account');
  await trx.insertInto('sites').values({
    id: siteId, institution_id: institutionId, code: DEMO_SITE.code, name: DEMO_SITE.name, address: DEMO_SITE.address,
    contact_name: '演示证书负责人', contact_phone: '13800000000', status: 'enabled', agreement_status: 'signed',
    review_note: null, reviewed_by: operatorId, reviewed_at: now, created_by: coordinatorId, created_at: now,
  }).execute();
  await ensureRooms(trx, siteId, 2);
  return loadSchool(trx, institutionId);
}

async function loadSchool(trx: Kysely<DB>, institutionId: string): Promise<DemoSchool> {
  const site = await trx.selectFrom('sites').select(['id', 'code']).where('institution_id', '=', institutionId).where('status', '=', 'enabled').executeTakeFirstOrThrow();
  const classes = await trx.selectFrom('classes').select(['id', 'major_id']).where('institution_id', '=', institutionId).orderBy('name').execute();
  return { institutionId, siteId: site.id, siteCode: site.code, classes: classes.map((c) => ({ id: c.id, majorId: c.major_id! })) };
}

/** At least `n` rooms of 40 seats (第一考场 …), on the floors of the information building, with the layouts in turn. */
async function ensureRooms(trx: Kysely<DB>, siteId: string, n: number): Promise<void> {
  const have = await trx.selectFrom('rooms').select('name').where('site_id', '=', siteId).execute();
  const now = nowIso();
  for (let i = have.length; i < n; i++) {
    await trx.insertInto('rooms').values({
      id: newId(), site_id: siteId, name: `第${i + 1}考场`, location: `信息楼 ${3 + Math.floor(i / 4)}${String((i % 4) + 1).padStart(2, '0')} 机房`,
      seats: SEATS_PER_ROOM, seats_per_row: ROOM_LAYOUTS[i % ROOM_LAYOUTS.length]!, room_type: '机考', spare_machines: 3, ip_ranges: JSON.stringify([`10.20.${i + 1}.0/24`]), created_at: now,
    }).execute();
  }
}

/** Ticket numbers for `count` demo registrations of a plan at the demo site (plan code + site code + serial). */
export async function demoTicketNumbers(trx: Kysely<DB>, plan: { id: string; code: string }, school: DemoSchool, count: number): Promise<string[]> {
  const first = await takeSerials(trx, plan.id, school.siteId, count);
  return Array.from({ length: count }, (_, i) => ticketNumber(plan.code, school.siteCode, first + i));
}

/** Enough rooms of 40 for the plan's registrations at the demo site (one level per room). */
export async function ensureDemoRooms(trx: Kysely<DB>, planId: string, school: DemoSchool): Promise<void> {
  const regs = await trx.selectFrom('registrations').select('level').where('plan_id', '=', planId).where('site_id', '=', school.siteId).execute();
  const byLevel = new Map<string, number>();
  for (const r of regs) byLevel.set(r.level, (byLevel.get(r.level) ?? 0) + 1);
  await ensureRooms(trx, school.siteId, [...byLevel.values()].reduce((n, count) => n + Math.ceil(count / SEATS_PER_ROOM), 0));
}

/**
 * Seats the plan's candidates at the demo site, publishes the seats, assigns
 * proctors and makes the coordinator the 主考 — through the same services the
 * console uses, as the demo operator (after the demo's own transaction).
 */
export async function arrangeDemoPlan(ctx: AppContext, planId: string, school: DemoSchool, operatorUsername: string): Promise<void> {
  const operator = await ctx.db.selectFrom('users').select(['id', 'username', 'display_name']).where('username', '=', operatorUsername).executeTakeFirstOrThrow();
  const staff: StaffUser = { id: operator.id, username: operator.username, role: 'operator', displayName: operator.display_name, institutionId: null, actingFor: null, mustChangePassword: false };
  const target = { planId, siteId: school.siteId };
  await runArrangement(ctx, staff, target);
  await publishArrangement(ctx, staff, target);
  await runProctors(ctx, staff, target);
  const chief = await ctx.db.selectFrom('users').select('id').where('institution_id', '=', school.institutionId).where('role', '=', 'coordinator').executeTakeFirst();
  if (chief) await setChief(ctx, staff, { ...target, userId: chief.id });
}
