// Data for the 考生管理 / 报考 / 结算 tests, made directly in the database
// (institutions, majors, classes, sites, users, a plan), so these tests do not
// depend on the organisation and site modules; and candidate upload files
// written with exceljs as a user's Excel would.

import ExcelJS from 'exceljs';
import { makeIdNumber } from '@kaowu/core';
import type { AppContext } from '../src/context.ts';
import { newId, nowIso } from '../src/ids.ts';
import type { StaffRole } from '../src/modules/accounts/staff-auth.ts';
import { createPlan } from '../src/modules/plans/plan-service.ts';
import { insertClass, insertInstitution, insertMajor, insertStaff } from './admin-rows.ts';

import { staffToken } from './admin-rows.ts';
export { staffToken };

export const PASSWORD = 'test-password-2026';
export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** 2026-07-18, theory 08:30 Beijing time; registration closes 2026-07-01 17:00 Beijing time. */
export const EXAM_START = Date.parse('2026-07-18T00:30:00.000Z');
export const DEADLINE = Date.parse('2026-07-01T09:00:00.000Z');
export const PLAN_CODE = '260718';

export interface AdminFixture {
  institutions: { A: Inst; B: Inst; C: Inst };
  majors: { softA: string; netA: string; softB: string };
  classes: { soft1A: string; soft2A: string; net1A: string; soft1B: string };
  sites: { A: Site; B: Site; pending: Site };
  users: Record<'operator' | 'coordA' | 'coordB' | 'teacherA', { id: string; username: string }>;
  planId: string;
  planName: string;
}
/** Tokens of the fixture's operator, the coordinators of A and B, and A's teacher. */
export function fixtureTokens(ctx: AppContext, f: AdminFixture): Record<'operator' | 'coordA' | 'coordB' | 'teacherA', string> {
  return {
    operator: staffToken(ctx, f.users.operator.id),
    coordA: staffToken(ctx, f.users.coordA.id),
    coordB: staffToken(ctx, f.users.coordB.id),
    teacherA: staffToken(ctx, f.users.teacherA.id),
  };
}

export interface Inst { id: string; code: string; name: string }
export interface Site { id: string; code: string; name: string }

async function user(ctx: AppContext, username: string, role: StaffRole, institutionId: string | null, displayName: string) {
  const id = await insertStaff(ctx.db, { username, password: PASSWORD, role, displayName, institutionId });
  return { id, username };
}

export async function createAdministration(ctx: AppContext, opts: { planCode?: string; deadline?: number } = {}): Promise<AdminFixture> {
  const db = ctx.db;
  const now = nowIso();
  const inst = async (code: string, name: string): Promise<Inst> => ({ id: await insertInstitution(db, { code, name, province: '江苏省', createdAt: now }), code, name });
  const A = await inst('13101', '南京信息职业技术学院');
  const B = await inst('13102', '苏州工业职业技术学院');
  const C = await inst('13103', '无锡职业技术学院');
  const major = (institutionId: string, name: string) => insertMajor(db, institutionId, name, now);
  const softA = await major(A.id, '软件技术');
  const netA = await major(A.id, '计算机网络技术');
  const softB = await major(B.id, '软件技术');
  const klass = (institutionId: string, majorId: string, name: string) => insertClass(db, { institutionId, majorId, name, createdAt: now });
  const soft1A = await klass(A.id, softA, '软件2301');
  const soft2A = await klass(A.id, softA, '软件2302');
  const net1A = await klass(A.id, netA, '网络2301');
  const soft1B = await klass(B.id, softB, '软件2301');

  const users = {
    operator: await user(ctx, 'op', 'operator', null, '运营管理员'),
    coordA: await user(ctx, 'coord-a', 'coordinator', A.id, '证书负责人甲'),
    coordB: await user(ctx, 'coord-b', 'coordinator', B.id, '证书负责人乙'),
    teacherA: await user(ctx, 'teacher-a', 'teacher', A.id, '教师甲'),
  };
  const site = async (institutionId: string, code: string, name: string, status: 'enabled' | 'pending'): Promise<Site> => {
    const id = newId();
    await db.insertInto('sites').values({
      id, institution_id: institutionId, code, name, address: '某市某路 1 号', contact_name: '王老师', contact_phone: '13800000000', status,
      agreement_status: 'signed', review_note: null, reviewed_by: null, reviewed_at: null, created_by: users.operator.id, created_at: now,
    }).execute();
    return { id, code, name };
  };
  const sites = {
    A: await site(A.id, '1001', '南京信息职业技术学院考点', 'enabled'),
    B: await site(B.id, '2001', '苏州工业职业技术学院考点', 'enabled'),
    pending: await site(C.id, '3001', '无锡职业技术学院考点', 'pending'),
  };

  const planName = '2026 年 7 月 Python 程序开发职业技能等级证书全国统考';
  const { planId } = await db.transaction().execute((trx) =>
    createPlan(trx, {
      certificateCode: 'python-dev',
      name: planName,
      examDate: '2026-07-18',
      registrationDeadline: opts.deadline ?? DEADLINE,
      sittings: (['junior', 'intermediate', 'advanced'] as const).map((level) => ({ level, paper: 'theory' as const, startsAt: EXAM_START })),
    }),
  );
  await db.updateTable('plans').set({ code: opts.planCode ?? PLAN_CODE }).where('id', '=', planId).execute();
  return { institutions: { A, B, C }, majors: { softA, netA, softB }, classes: { soft1A, soft2A, net1A, soft1B }, sites, users, planId, planName };
}

// ---------------------------------------------------------------------------
// Upload files

export const HEADERS = ['姓名', '证件类型', '证件号码', '性别', '院校', '专业', '班级', '手机号', '照片文件名'] as const;
export type SheetRow = Partial<Record<(typeof HEADERS)[number], string | number>>;

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = ['伟', '芳', '娜', '敏', '静', '强', '磊', '洋', '艳', '勇', '军', '杰', '涛', '明', '超', '秀英', '晨', '欣怡', '子涵', '浩然'];

/** A person with a valid resident ID number; `seed` makes them distinct. */
export function person(seed: number, region = '320102') {
  const idNumber = makeIdNumber(region, { y: 2003 + (seed % 3), m: 1 + (seed % 12), d: 1 + (seed % 28) }, seed % 1000);
  const gender = Number(idNumber[16]) % 2 === 1 ? '男' : '女';
  const name = SURNAMES[seed % SURNAMES.length]! + GIVEN[Math.floor(seed / SURNAMES.length) % GIVEN.length]! + (seed >= 400 ? String(seed) : '');
  return { name, idNumber, gender, phone: `139${String(10_000_000 + seed).slice(-8)}` };
}

/** Rows of candidates of one institution, spread over the given classes (name → major). */
export function candidateRows(count: number, opts: { from?: number; region?: string; institution: string; classes: [className: string, major: string][] }): SheetRow[] {
  const rows: SheetRow[] = [];
  for (let i = 0; i < count; i++) {
    const p = person((opts.from ?? 0) + i, opts.region);
    const [className, major] = opts.classes.length ? opts.classes[i % opts.classes.length]! : [undefined, undefined];
    rows.push({ 姓名: p.name, 证件类型: '居民身份证', 证件号码: p.idNumber, 性别: p.gender, 院校: opts.institution, 专业: major, 班级: className, 手机号: p.phone });
  }
  return rows;
}

/** An .xlsx as a user would fill in: a header row and one row per candidate, ID numbers as text. */
export async function candidateWorkbook(rows: readonly SheetRow[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('考生信息');
  ws.addRow([...HEADERS]);
  for (const r of rows) ws.addRow(HEADERS.map((h) => r[h] ?? null));
  ws.getColumn(3).numFmt = '@';
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The cells of the first worksheet, as text, row by row (1-based rows dropped into a plain array). */
export async function readWorkbook(content: Buffer | Uint8Array, sheet?: string): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(content) as unknown as Parameters<typeof wb.xlsx.load>[0]);
  const ws = sheet ? wb.getWorksheet(sheet)! : wb.worksheets[0]!;
  const out: string[][] = [];
  ws.eachRow({ includeEmpty: true }, (row, n) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, c) => {
      const v = cell.value as unknown;
      cells[c - 1] = v === null || v === undefined ? '' : typeof v === 'object' && v !== null && 'result' in v ? String((v as { result: unknown }).result) : String(v);
    });
    out[n - 1] = cells;
  });
  return out;
}
