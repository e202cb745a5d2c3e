// A site ready for 考场编排 and 监考安排, written straight into the database
// (so these tests depend on no other module's routes): institution A with
// majors, four classes (each with a 班主任 and a 辅导员), teachers with their
// majors, two proctor accounts; an enabled site with three 40-seat rooms (8
// to a row unless told otherwise); a plan with a theory and a practical
// sitting for junior and intermediate; and 100 candidates in the four
// classes, registered with ticket numbers (70 junior, 30 intermediate).
// Institution B has a coordinator (scope checks).

import zlib from 'node:zlib';
import { DEFAULT_SEATS_PER_ROW, makeIdNumber, type Level } from '@kaowu/core';
import type { AppContext } from '../src/context.ts';
import { newId, nowIso } from '../src/ids.ts';
import type { StaffRole, StaffUser } from '../src/modules/accounts/staff-auth.ts';
import { createPlan } from '../src/modules/plans/plan-service.ts';
import { insertClass, insertInstitution, insertMajor, insertStaff } from './admin-rows.ts';

export { staffToken } from './admin-rows.ts';

export const PASSWORD = 'arrange-test-2026';
/** 2026-07-18 08:30 Beijing time. */
export const EXAM_START = Date.parse('2026-07-18T00:30:00.000Z');
export const PLAN_CODE = '260718';
export const SITE_CODE = '1001';

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = ['伟', '芳', '娜', '敏', '静', '强', '磊', '洋', '艳', '勇', '军', '杰', '涛', '明', '超', '秀英', '晨', '欣怡', '子涵', '浩然'];

/** Distinct names: 400 before a number is needed. */
export function candidateName(i: number): string {
  return SURNAMES[i % SURNAMES.length]! + GIVEN[Math.floor(i / SURNAMES.length) % GIVEN.length]! + (i >= 400 ? String(i) : '');
}

export interface Person {
  id: string;
  username: string;
  name: string;
}

export interface ArrangementFixture {
  planId: string;
  planName: string;
  institutionA: string;
  institutionB: string;
  siteId: string;
  siteName: string;
  rooms: { id: string; name: string; seats: number; seatsPerRow: number }[];
  majors: Record<'soft' | 'net' | 'data' | 'ecommerce' | 'accounting', string>;
  classes: { id: string; name: string; majorId: string; headTeacher: Person; counsellor: Person }[];
  /** Teachers of the candidates' majors (must avoid them), and teachers free of every candidate. */
  teachers: { conflicted: Person[]; free: Person[] };
  proctors: Person[];
  users: { operator: Person; coordA: Person; coordB: Person };
  candidates: { candidateId: string; registrationId: string; ticketNo: string; name: string; level: Level; classId: string; majorId: string; idNumber: string }[];
  /** Registers one more candidate of class k (0–3) at `level`; returns it. */
  register(k: number, level: Level): Promise<ArrangementFixture['candidates'][number]>;
}

export function staffOf(p: Person, role: StaffRole, institutionId: string | null): StaffUser {
  return { id: p.id, username: p.username, role, displayName: p.name, institutionId, actingFor: null, mustChangePassword: false };
}

/** A small PNG portrait (solid colours), as a phone camera would not make it but pdfkit draws it. */
export function tinyPng(w = 60, h = 80): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows: Buffer[] = [];
  for (let y = 0; y < h; y++) {
    const row = Buffer.alloc(1 + w * 3);
    for (let x = 0; x < w; x++) {
      const face = (x - w / 2) ** 2 + (y - h * 0.4) ** 2 < (w * 0.25) ** 2;
      row.set(face ? [236, 200, 170] : y > h * 0.7 ? [40, 50, 80] : [74, 134, 200], 1 + x * 3);
    }
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export async function createArrangementFixture(
  ctx: AppContext,
  opts: {
    junior?: number; intermediate?: number; rooms?: number; seats?: number; freeTeachers?: number;
    /** 每排座位数 of the rooms in order (default 8 for each room not given). */
    seatsPerRow?: number[];
    /** Photos for every `photoEvery`-th candidate (default 10) when `photos`. */
    photos?: boolean; photoEvery?: number;
  } = {},
): Promise<ArrangementFixture> {
  const db = ctx.db;
  const now = nowIso(ctx.clock.now());
  const user = async (username: string, role: StaffRole, institutionId: string | null, name: string): Promise<Person> => ({
    id: await insertStaff(db, { username, password: PASSWORD, role, displayName: name, institutionId }),
    username,
    name,
  });
  const institution = (code: string, name: string) => insertInstitution(db, { code, name, province: '江苏省', reviewedAt: now, createdAt: now });
  const institutionA = await institution('13101', '南京信息职业技术学院');
  const institutionB = await institution('13102', '苏州工业职业技术学院');
  const users = {
    operator: await user('op', 'operator', null, '运营管理员'),
    coordA: await user('coord-a', 'coordinator', institutionA, '证书负责人甲'),
    coordB: await user('coord-b', 'coordinator', institutionB, '证书负责人乙'),
  };
  const major = (name: string) => insertMajor(db, institutionA, name, now);
  const majors = {
    soft: await major('软件技术'),
    net: await major('计算机网络技术'),
    data: await major('大数据技术'),
    ecommerce: await major('电子商务'),
    accounting: await major('会计'),
  };

  // Teachers: one per candidate major (回避), the class teachers, and teachers free of every candidate.
  const teacher = async (username: string, name: string, majorIds: string[]) => {
    const p = await user(username, 'teacher', institutionA, name);
    for (const m of majorIds) await db.insertInto('teacher_majors').values({ user_id: p.id, major_id: m }).execute();
    return p;
  };
  const conflicted = [
    await teacher('t-soft', '软件教师孙', [majors.soft]),
    await teacher('t-net', '网络教师钱', [majors.net, majors.ecommerce]),
    await teacher('t-data', '数据教师吕', [majors.data]),
  ];
  const classSpecs: [string, string][] = [['软件2301', majors.soft], ['软件2302', majors.soft], ['网络2301', majors.net], ['大数据2301', majors.data]];
  const classes: ArrangementFixture['classes'] = [];
  for (const [k, [name, majorId]] of classSpecs.entries()) {
    // Class teachers teach 会计 (no candidate studies it): only their class makes them avoid.
    const headTeacher = await teacher(`head-${k}`, `班主任${'甲乙丙丁'[k]}`, [majors.accounting]);
    const counsellor = await user(`counsellor-${k}`, 'proctor', institutionA, `辅导员${'甲乙丙丁'[k]}`);
    const id = await insertClass(db, { institutionId: institutionA, majorId, name, headTeacherId: headTeacher.id, counsellorId: counsellor.id, createdAt: now });
    classes.push({ id, name, majorId, headTeacher, counsellor });
  }
  const free: Person[] = [];
  for (let i = 0; i < (opts.freeTeachers ?? 6); i++) free.push(await teacher(`t-free-${i}`, `电商教师${'一二三四五六七八九十'[i % 10]}${i >= 10 ? i : ''}`, i % 2 ? [majors.ecommerce] : []));
  const proctors = [await user('proctor-1', 'proctor', institutionA, '监考员周'), await user('proctor-2', 'proctor', institutionA, '监考员吴')];

  const siteId = newId();
  const siteName = '南京信息职业技术学院考点';
  await db.insertInto('sites').values({
    id: siteId, institution_id: institutionA, code: SITE_CODE, name: siteName, address: '南京市仙林大学城文澜路 99 号', contact_name: '王老师', contact_phone: '13800000000',
    status: 'enabled', agreement_status: 'signed', review_note: null, reviewed_by: users.operator.id, reviewed_at: now, created_by: users.coordA.id, created_at: now,
  }).execute();
  const rooms: ArrangementFixture['rooms'] = [];
  for (let i = 0; i < (opts.rooms ?? 3); i++) {
    const id = newId();
    const name = `第${String(i + 1).padStart(2, '0')}考场`;
    const seats = opts.seats ?? 40;
    const seatsPerRow = opts.seatsPerRow?.[i] ?? DEFAULT_SEATS_PER_ROW;
    // created_at orders the rooms: the same second for all, so a step per room.
    await db.insertInto('rooms').values({
      id, site_id: siteId, name, location: `实训楼 B 座 ${301 + i} 机房`, seats, seats_per_row: seatsPerRow, room_type: '机考', spare_machines: 3, ip_ranges: '[]', created_at: nowIso(ctx.clock.now() + i),
    }).execute();
    rooms.push({ id, name, seats, seatsPerRow });
  }

  const planName = '2026 年 7 月 Python 程序开发职业技能等级证书全国统考';
  const { planId } = await db.transaction().execute((trx) =>
    createPlan(trx, {
      certificateCode: 'python-dev',
      name: planName,
      examDate: '2026-07-18',
      registrationDeadline: EXAM_START - 20 * 86_400_000,
      sittings: (['junior', 'intermediate'] as const).flatMap((level) => [
        { level, paper: 'theory' as const, startsAt: EXAM_START },
        { level, paper: 'practical' as const, startsAt: EXAM_START + 100 * 60_000 },
      ]),
    }),
  );
  await db.updateTable('plans').set({ code: PLAN_CODE }).where('id', '=', planId).execute();

  let serial = 0;
  const candidates: ArrangementFixture['candidates'] = [];
  const photo = opts.photos ? tinyPng() : null;
  const register = async (k: number, level: Level) => {
    const i = serial++;
    const candidateId = newId();
    const registrationId = newId();
    const cls = classes[k % classes.length]!;
    const name = candidateName(i);
    const idNumber = makeIdNumber('320102', { y: 2003 + (i % 3), m: 1 + (i % 12), d: 1 + (i % 28) }, i % 1000);
    const ticketNo = PLAN_CODE + SITE_CODE + String(i + 1).padStart(4, '0');
    await db.insertInto('candidates').values({
      id: candidateId, name, id_type: 'resident', id_number: idNumber, created_at: now, gender: Number(idNumber[16]) % 2 ? '男' : '女',
      institution_id: institutionA, major_id: cls.majorId, class_id: cls.id, phone: null, photo_name: null, created_by: users.coordA.id,
    }).execute();
    if (photo && i % (opts.photoEvery ?? 10) === 0) await db.insertInto('candidate_photos').values({ candidate_id: candidateId, mime: 'image/png', content: photo }).execute();
    await db.insertInto('registrations').values({
      id: registrationId, plan_id: planId, candidate_id: candidateId, level, ticket_no: ticketNo, created_at: nowIso(ctx.clock.now()),
      site_id: siteId, institution_id: institutionA, created_by: users.coordA.id,
    }).execute();
    const c = { candidateId, registrationId, ticketNo, name, level, classId: cls.id, majorId: cls.majorId, idNumber };
    candidates.push(c);
    return c;
  };
  const junior = opts.junior ?? 70;
  const intermediate = opts.intermediate ?? 30;
  for (let i = 0; i < junior + intermediate; i++) await register(i % 4, i < junior ? 'junior' : 'intermediate');

  return {
    planId, planName, institutionA, institutionB, siteId, siteName, rooms, majors, classes, teachers: { conflicted, free }, proctors, users, candidates, register,
  };
}
