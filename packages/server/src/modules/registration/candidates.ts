/**
 * 考生管理: the list (filtered, paged, scoped), the rows of an export, edits
 * and deletion of one candidate. Every query is limited to the caller's
 * institution unless the caller is the operator; another institution's
 * records answer 404.
 */
import { idNumberProblem, type Level } from '@kaowu/core';
import type { Kysely, SelectQueryBuilder, Updateable } from 'kysely';
import type { CandidatesTable } from '../../db/tables/plans.ts';
import type { AppContext } from '../../context.ts';
import type { DB } from '../../db/schema.ts';
import { badRequest, conflict } from '../../http/errors.ts';
import { assertInstitution, auditChange, canSeeInstitution, institutionFilter, outOfScope } from '../accounts/scope.ts';
import type { StaffUser } from '../accounts/staff-auth.ts';
import { ID_TYPE_NAMES, ID_TYPES, type CandidateExportRow, type IdType } from '../sheets/index.ts';
import { classInScope, majorInScope } from './lookups.ts';
import { uniqueViolation } from '../../db/errors.ts';

export interface CandidateFilter {
  institutionId?: string;
  majorId?: string;
  classId?: string;
  /** Part of the name, the start of the ID number, or the phone number. */
  q?: string;
  /** Show the registration in this plan (else the latest one). */
  planId?: string;
}

export interface CandidateView {
  id: string;
  name: string;
  idType: string;
  idNumber: string;
  gender: string | null;
  institutionId: string | null;
  institutionName: string | null;
  majorId: string | null;
  majorName: string | null;
  classId: string | null;
  className: string | null;
  phone: string | null;
  photoName: string | null;
  hasPhoto: boolean;
  createdAt: string;
  registration: {
    id: string;
    planId: string;
    planName: string;
    level: Level;
    ticketNo: string;
    siteId: string | null;
    siteName: string | null;
    roomName: string | null;
    seatNo: number | null;
  } | null;
}

/** Checks the ids a filter names against the caller's scope (404 when outside). */
async function checkFilter(db: Kysely<DB>, staff: StaffUser, f: CandidateFilter): Promise<void> {
  if (f.institutionId) assertInstitution(staff, f.institutionId);
  if (f.majorId) await majorInScope(db, staff, f.majorId);
  if (f.classId) await classInScope(db, staff, f.classId);
  if (f.planId) {
    const plan = await db.selectFrom('plans').select('id').where('id', '=', f.planId).executeTakeFirst();
    if (!plan) throw outOfScope();
  }
}

function filtered<O>(qb: SelectQueryBuilder<DB, 'candidates', O>, staff: StaffUser, f: CandidateFilter): SelectQueryBuilder<DB, 'candidates', O> {
  let q = qb;
  const only = institutionFilter(staff);
  if (only !== null) q = q.where('candidates.institution_id', '=', only);
  if (f.institutionId) q = q.where('candidates.institution_id', '=', f.institutionId);
  if (f.majorId) q = q.where('candidates.major_id', '=', f.majorId);
  if (f.classId) q = q.where('candidates.class_id', '=', f.classId);
  const text = f.q?.replace(/[%_\\]/g, '').trim();
  if (text) {
    q = q.where((eb) =>
      eb.or([
        eb('candidates.name', 'like', `%${text}%`),
        eb('candidates.id_number', 'like', `${text.toUpperCase()}%`),
        eb('candidates.phone', '=', text),
      ]),
    );
  }
  return q;
}

/** The candidates rows with their institution, major, class, photo and one registration. */
function detailed(db: Kysely<DB>, staff: StaffUser, f: CandidateFilter) {
  return filtered(db.selectFrom('candidates'), staff, f)
    .leftJoin('institutions', 'institutions.id', 'candidates.institution_id')
    .leftJoin('majors', 'majors.id', 'candidates.major_id')
    .leftJoin('classes', 'classes.id', 'candidates.class_id')
    .leftJoin('registrations', (j) =>
      f.planId
        ? j.onRef('registrations.candidate_id', '=', 'candidates.id').on('registrations.plan_id', '=', f.planId)
        : j.onRef('registrations.candidate_id', '=', 'candidates.id').on((eb) =>
            eb(
              'registrations.id',
              '=',
              eb.selectFrom('registrations as latest').select('latest.id').whereRef('latest.candidate_id', '=', 'candidates.id')
                .orderBy('latest.created_at', 'desc').orderBy('latest.id', 'desc').limit(1),
            ),
          ),
    )
    .leftJoin('plans', 'plans.id', 'registrations.plan_id')
    .leftJoin('sites', 'sites.id', 'registrations.site_id')
    .leftJoin('seat_assignments', 'seat_assignments.registration_id', 'registrations.id')
    .leftJoin('rooms', 'rooms.id', 'seat_assignments.room_id')
    .select((eb) => [
      'candidates.id', 'candidates.name', 'candidates.id_type', 'candidates.id_number', 'candidates.gender', 'candidates.institution_id',
      'candidates.major_id', 'candidates.class_id', 'candidates.phone', 'candidates.photo_name', 'candidates.created_at',
      'institutions.name as institution_name', 'majors.name as major_name', 'classes.name as class_name',
      'registrations.id as registration_id', 'registrations.plan_id', 'registrations.level', 'registrations.ticket_no', 'registrations.site_id',
      'plans.name as plan_name', 'sites.name as site_name', 'rooms.name as room_name', 'seat_assignments.seat_no',
      eb.exists(eb.selectFrom('candidate_photos').select('candidate_photos.candidate_id').whereRef('candidate_photos.candidate_id', '=', 'candidates.id')).as('has_photo'),
    ])
    .orderBy('candidates.created_at', 'desc')
    .orderBy('candidates.id_number');
}

type DetailedRow = Awaited<ReturnType<ReturnType<typeof detailed>['execute']>>[number];

function view(r: DetailedRow): CandidateView {
  return {
    id: r.id,
    name: r.name,
    idType: r.id_type,
    idNumber: r.id_number,
    gender: r.gender,
    institutionId: r.institution_id,
    institutionName: r.institution_name,
    majorId: r.major_id,
    majorName: r.major_name,
    classId: r.class_id,
    className: r.class_name,
    phone: r.phone,
    photoName: r.photo_name,
    hasPhoto: Boolean(Number(r.has_photo)) || r.has_photo === true,
    createdAt: r.created_at,
    registration: r.registration_id
      ? {
          id: r.registration_id,
          planId: r.plan_id!,
          planName: r.plan_name ?? '',
          level: r.level as Level,
          ticketNo: r.ticket_no!,
          siteId: r.site_id,
          siteName: r.site_name,
          roomName: r.room_name,
          seatNo: r.seat_no === null ? null : Number(r.seat_no),
        }
      : null,
  };
}

export async function listCandidates(db: Kysely<DB>, staff: StaffUser, f: CandidateFilter, page: number, pageSize: number) {
  await checkFilter(db, staff, f);
  const count = await filtered(db.selectFrom('candidates'), staff, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await detailed(db, staff, f).limit(pageSize).offset((page - 1) * pageSize).execute();
  return { total: Number(count.n), page, pageSize, rows: rows.map(view) };
}

/** Candidates at most in one export. */
export const EXPORT_MAX = 50_000;

/** The rows of an export (the sheets module writes the file). */
export async function exportRows(db: Kysely<DB>, staff: StaffUser, f: CandidateFilter): Promise<CandidateExportRow[]> {
  await checkFilter(db, staff, f);
  const count = await filtered(db.selectFrom('candidates'), staff, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  if (Number(count.n) > EXPORT_MAX) throw badRequest('EXPORT_TOO_LARGE', `共 ${count.n} 名考生，一次最多导出 ${EXPORT_MAX} 名，请按院校、专业或班级筛选后分批导出`);
  const rows = await detailed(db, staff, f).execute();
  return rows.map((r) => ({
    name: r.name,
    idType: r.id_type,
    idNumber: r.id_number,
    gender: r.gender,
    institutionName: r.institution_name,
    majorName: r.major_name,
    className: r.class_name,
    phone: r.phone,
    photoFileName: r.photo_name,
    ticketNo: r.ticket_no,
    level: r.level,
    siteName: r.site_name,
    roomName: r.room_name,
    seatNo: r.seat_no,
  }));
}

/** One candidate the caller may see, or 404. */
export async function candidateInScope(db: Kysely<DB>, staff: StaffUser, id: string) {
  const c = await db.selectFrom('candidates').selectAll().where('id', '=', id).executeTakeFirst();
  if (!c || !canSeeInstitution(staff, c.institution_id)) throw outOfScope();
  return c;
}

export async function candidateView(db: Kysely<DB>, staff: StaffUser, id: string): Promise<CandidateView> {
  const rows = await detailed(db, staff, {}).where('candidates.id', '=', id).execute();
  if (!rows[0]) throw outOfScope();
  return view(rows[0]);
}

/** Why an ID number is not acceptable for its type, or null. */
export function idNumberFormatProblem(idType: IdType, idNumber: string, today: Date): string | null {
  if (idType === 'resident') return idNumberProblem(idNumber, today);
  if (!/^[A-Z0-9]+$/.test(idNumber)) return '证件号码只能包含字母和数字';
  if (idNumber.length < 5 || idNumber.length > 20) return '证件号码应为 5 到 20 位';
  return null;
}

export interface CandidatePatch {
  name?: string;
  phone?: string | null;
  gender?: '男' | '女';
  majorId?: string | null;
  classId?: string | null;
  idType?: IdType;
  idNumber?: string;
}

const genderOf = (idNumber: string): '男' | '女' => (Number(idNumber[16]) % 2 === 1 ? '男' : '女');

export async function updateCandidate(ctx: AppContext, staff: StaffUser, id: string, patch: CandidatePatch): Promise<CandidateView> {
  const db = ctx.db;
  const before = await candidateInScope(db, staff, id);
  const set: Updateable<CandidatesTable> = {};
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.phone !== undefined) set.phone = patch.phone;
  if (patch.gender !== undefined) set.gender = patch.gender;

  // Major and class: the candidate's own institution's; a class of a major sets that major.
  let majorId = patch.majorId !== undefined ? patch.majorId : before.major_id;
  if (patch.majorId) {
    const m = await majorInScope(db, staff, patch.majorId);
    if (m.institution_id !== before.institution_id) throw badRequest('MAJOR_NOT_OF_INSTITUTION', '专业不属于该考生所在院校');
  }
  if (patch.classId) {
    const c = await classInScope(db, staff, patch.classId);
    if (c.institution_id !== before.institution_id) throw badRequest('CLASS_NOT_OF_INSTITUTION', '班级不属于该考生所在院校');
    if (c.major_id) {
      if (patch.majorId !== undefined && patch.majorId !== null && patch.majorId !== c.major_id) {
        throw badRequest('CLASS_NOT_OF_MAJOR', `班级“${c.name}”不属于所选专业`);
      }
      majorId = c.major_id;
    }
    set.class_id = c.id;
  } else if (patch.classId === null) set.class_id = null;
  if (patch.majorId !== undefined || set.class_id) set.major_id = majorId;
  // A class of another major cannot stay when the major changes.
  if (patch.majorId !== undefined && patch.classId === undefined && before.class_id && patch.majorId !== before.major_id) {
    const c = await db.selectFrom('classes').select(['major_id']).where('id', '=', before.class_id).executeTakeFirst();
    if (c?.major_id && c.major_id !== patch.majorId) set.class_id = null;
  }

  // The ID number, re-validated: format, uniqueness, gender.
  const idType = (patch.idType ?? before.id_type) as IdType;
  const idNumber = patch.idNumber !== undefined ? patch.idNumber.replace(/\s+/g, '').toUpperCase() : before.id_number;
  if (patch.idType !== undefined || patch.idNumber !== undefined) {
    if (!(ID_TYPES as readonly string[]).includes(idType)) throw badRequest('ID_TYPE_INVALID', '证件类型不正确');
    const problem = idNumberFormatProblem(idType, idNumber, new Date(ctx.clock.now()));
    if (problem) throw badRequest('ID_NUMBER_INVALID', problem);
    if (idNumber !== before.id_number) {
      const other = await db.selectFrom('candidates').select(['id', 'name', 'institution_id']).where('id_number', '=', idNumber).executeTakeFirst();
      if (other) {
        const who = canSeeInstitution(staff, other.institution_id) ? other.name : '其他院校的考生';
        throw conflict('ID_NUMBER_TAKEN', `证件号码已存在（${who}）`);
      }
    }
    set.id_type = idType;
    set.id_number = idNumber;
  }
  const gender = patch.gender ?? before.gender;
  if (idType === 'resident' && gender && (patch.gender !== undefined || set.id_number !== undefined) && genderOf(idNumber) !== gender) {
    throw badRequest('GENDER_MISMATCH', `性别与身份证号不符：身份证号第 17 位表示${genderOf(idNumber)}`);
  }

  if (Object.keys(set).length > 0) {
    const changed = Object.fromEntries(Object.entries(set).filter(([k, v]) => before[k as keyof typeof before] !== v));
    try {
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('candidates').set(set).where('id', '=', id).execute();
        if (Object.keys(changed).length > 0) {
          const old = Object.fromEntries(Object.keys(changed).map((k) => [k, before[k as keyof typeof before]]));
          await auditChange(trx, staff, { action: 'candidate.update', entity: 'candidate', entityId: id, before: old, after: changed, institutionId: before.institution_id });
        }
      });
    } catch (err) {
      if (uniqueViolation(err)) throw conflict('ID_NUMBER_TAKEN', '证件号码已存在');
      throw err;
    }
  }
  return candidateView(db, staff, id);
}

/** Deletes a candidate who is not registered for any plan (their photo goes too). */
export async function deleteCandidate(ctx: AppContext, staff: StaffUser, id: string): Promise<void> {
  const db = ctx.db;
  const c = await candidateInScope(db, staff, id);
  await db.transaction().execute(async (trx) => {
    // Checked inside the transaction, so a registration made meanwhile is seen.
    const reg = await trx
      .selectFrom('registrations')
      .innerJoin('plans', 'plans.id', 'registrations.plan_id')
      .select(['plans.name', 'registrations.ticket_no'])
      .where('registrations.candidate_id', '=', id)
      .executeTakeFirst();
    if (reg) throw conflict('CANDIDATE_REGISTERED', `${c.name} 已报考“${reg.name}”（准考证号 ${reg.ticket_no}），不能删除；请先取消报考`);
    await trx.deleteFrom('candidate_photos').where('candidate_id', '=', id).execute();
    await trx.deleteFrom('candidates').where('id', '=', id).execute();
    await auditChange(trx, staff, {
      action: 'candidate.delete', entity: 'candidate', entityId: id,
      before: { name: c.name, idType: c.id_type, idNumber: c.id_number, institutionId: c.institution_id }, institutionId: c.institution_id,
    });
  });
}

export const idTypeName = (t: string) => ID_TYPE_NAMES[t as IdType] ?? t;
