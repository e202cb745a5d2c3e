import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { DB } from '../../db/schema.ts';
import { errorResponses, idParam, isoTime } from '../../http/schemas.ts';
import { badRequest, conflict } from '../../http/errors.ts';
import { newId, nowIso } from '../../ids.ts';
import { requireStaff, type StaffUser } from '../accounts/staff-auth.ts';
import { auditChange, canSeeInstitution, outOfScope } from '../accounts/scope.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { nameField } from './fields.ts';
import { institutionQuery, listInstitution } from './scope-query.ts';

const tags = ['people'];
const security = [{ bearer: [] }];

const ref = z.object({ id: z.string(), name: z.string() }).nullable();
const classSchema = z.object({
  id: z.string(),
  institutionId: z.string(),
  name: z.string(),
  major: ref,
  headTeacher: ref,
  counsellor: ref,
  students: z.number().int(),
  createdAt: isoTime,
});

const classBody = z.object({
  name: nameField('班级名称'),
  majorId: idParam,
  headTeacherId: idParam.nullable().optional(),
  counsellorId: idParam.nullable().optional(),
});

const nameTaken = (name: string) => conflict('CLASS_EXISTS', `班级“${name}”已存在`);

/** Checks a class's major and people: all of the class's institution; the 班主任 and 辅导员 teachers. */
async function checkRefs(db: Kysely<DB>, institutionId: string, body: { majorId?: string; headTeacherId?: string | null; counsellorId?: string | null }) {
  if (body.majorId !== undefined) {
    const major = await db.selectFrom('majors').select(['id', 'institution_id']).where('id', '=', body.majorId).executeTakeFirst();
    if (!major || major.institution_id !== institutionId) throw badRequest('MAJOR_INVALID', '请选择本院校的专业');
  }
  for (const [key, what] of [['headTeacherId', '班主任'], ['counsellorId', '辅导员']] as const) {
    const id = body[key];
    if (!id) continue;
    const t = await db.selectFrom('users').select(['role', 'institution_id', 'status']).where('id', '=', id).executeTakeFirst();
    if (!t || t.role !== 'teacher' || t.institution_id !== institutionId || t.status === 'rejected') {
      throw badRequest('TEACHER_INVALID', `${what}必须是本院校的教师`);
    }
  }
}

/** 班级 (classes): the coordinator keeps them; institution staff and teachers read them. */
export const classRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, clock } = app.ctx;
  const readers = requireStaff('operator', 'institution_admin', 'coordinator', 'teacher');
  const coordinator = requireStaff('coordinator');

  async function mine(staff: StaffUser, id: string) {
    const row = await db.selectFrom('classes').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row || !canSeeInstitution(staff, row.institution_id)) throw outOfScope();
    return row;
  }

  async function list(only: string | null, id?: string) {
    let q = db
      .selectFrom('classes')
      .leftJoin('majors', 'majors.id', 'classes.major_id')
      .leftJoin('users as head', 'head.id', 'classes.head_teacher_id')
      .leftJoin('users as couns', 'couns.id', 'classes.counsellor_id')
      .select([
        'classes.id', 'classes.institution_id', 'classes.name', 'classes.created_at', 'classes.major_id', 'majors.name as major_name',
        'classes.head_teacher_id', 'head.display_name as head_name', 'classes.counsellor_id', 'couns.display_name as couns_name',
        (eb) => eb.selectFrom('users as s').select(eb.fn.countAll<number>().as('n')).whereRef('s.class_id', '=', 'classes.id').where('s.role', '=', 'student').as('students'),
      ])
      .orderBy('classes.name')
      .limit(2000);
    if (only !== null) q = q.where('classes.institution_id', '=', only);
    if (id) q = q.where('classes.id', '=', id);
    const rows = await q.execute();
    return rows.map((r) => ({
      id: r.id, institutionId: r.institution_id, name: r.name, createdAt: r.created_at,
      major: r.major_id ? { id: r.major_id, name: r.major_name ?? '' } : null,
      headTeacher: r.head_teacher_id ? { id: r.head_teacher_id, name: r.head_name ?? '' } : null,
      counsellor: r.counsellor_id ? { id: r.counsellor_id, name: r.couns_name ?? '' } : null,
      students: Number(r.students ?? 0),
    }));
  }

  /** A class as the audit log keeps it: ids, and the names a reader recognises. */
  async function audited(r: { name: string; major_id: string | null; head_teacher_id: string | null; counsellor_id: string | null }) {
    const major = r.major_id ? await db.selectFrom('majors').select('name').where('id', '=', r.major_id).executeTakeFirst() : undefined;
    const ids = [r.head_teacher_id, r.counsellor_id].filter((x): x is string => Boolean(x));
    const people = ids.length ? await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', ids).execute() : [];
    const nameOf = (id: string | null) => (id ? people.find((p) => p.id === id)?.display_name ?? null : null);
    return {
      name: r.name, major: major?.name ?? null, headTeacher: nameOf(r.head_teacher_id), counsellor: nameOf(r.counsellor_id),
      majorId: r.major_id, headTeacherId: r.head_teacher_id, counsellorId: r.counsellor_id,
    };
  }

  app.get('/classes', {
    onRequest: readers,
    schema: { tags, security, summary: '班级列表', querystring: institutionQuery, response: { 200: z.object({ classes: z.array(classSchema) }), ...errorResponses } },
    handler: async (req) => ({ classes: await list(listInstitution(req.staff, req.query.institutionId)) }),
  });

  app.post('/classes', {
    onRequest: coordinator,
    schema: { tags, security, summary: '新建班级（班主任、辅导员须为本院校教师）', body: classBody, response: { 200: classSchema, ...errorResponses } },
    handler: async (req) => {
      const institutionId = req.staff.institutionId!;
      const b = req.body;
      await checkRefs(db, institutionId, b);
      if (await db.selectFrom('classes').select('id').where('institution_id', '=', institutionId).where('name', '=', b.name).executeTakeFirst()) throw nameTaken(b.name);
      const row = {
        id: newId(), institution_id: institutionId, name: b.name, major_id: b.majorId,
        head_teacher_id: b.headTeacherId ?? null, counsellor_id: b.counsellorId ?? null, created_at: nowIso(clock.now()),
      };
      const after = await audited(row);
      try {
        await db.transaction().execute(async (trx) => {
          await trx.insertInto('classes').values(row).execute();
          await auditChange(trx, req.staff, { action: 'class.create', entity: 'class', entityId: row.id, after });
        });
      } catch (err) {
        throw isUniqueViolation(err) ? nameTaken(b.name) : err;
      }
      return (await list(institutionId, row.id))[0]!;
    },
  });

  app.patch('/classes/:id', {
    onRequest: coordinator,
    schema: { tags, security, summary: '修改班级', params: z.object({ id: idParam }), body: classBody.partial().refine((b) => Object.keys(b).length > 0, '没有要修改的内容'), response: { 200: classSchema, ...errorResponses } },
    handler: async (req) => {
      const before = await mine(req.staff, req.params.id);
      const b = req.body;
      await checkRefs(db, before.institution_id, b);
      if (b.name !== undefined && b.name !== before.name
        && await db.selectFrom('classes').select('id').where('institution_id', '=', before.institution_id).where('name', '=', b.name).executeTakeFirst()) {
        throw nameTaken(b.name);
      }
      const after = {
        name: b.name ?? before.name,
        major_id: b.majorId ?? before.major_id,
        head_teacher_id: b.headTeacherId === undefined ? before.head_teacher_id : b.headTeacherId,
        counsellor_id: b.counsellorId === undefined ? before.counsellor_id : b.counsellorId,
      };
      const [auditBefore, auditAfter] = [await audited(before), await audited(after)];
      try {
        await db.transaction().execute(async (trx) => {
          await trx.updateTable('classes').set(after).where('id', '=', before.id).execute();
          await auditChange(trx, req.staff, { action: 'class.update', entity: 'class', entityId: before.id, before: auditBefore, after: auditAfter });
        });
      } catch (err) {
        throw isUniqueViolation(err) ? nameTaken(after.name) : err;
      }
      return (await list(before.institution_id, before.id))[0]!;
    },
  });

  app.delete('/classes/:id', {
    onRequest: coordinator,
    schema: { tags, security, summary: '删除班级（有学生或考生的班级不能删除）', params: z.object({ id: idParam }), response: { 200: z.object({ deleted: z.literal(true) }), ...errorResponses } },
    handler: async (req) => {
      const before = await mine(req.staff, req.params.id);
      const count = async (table: 'users' | 'candidates') =>
        Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('class_id', '=', before.id).executeTakeFirst())?.n ?? 0);
      const [students, candidates] = [await count('users'), await count('candidates')];
      if (students || candidates) {
        const parts = [students ? `${students} 个学生账号` : '', candidates ? `${candidates} 名考生` : ''].filter(Boolean).join('、');
        throw conflict('CLASS_IN_USE', `班级“${before.name}”下还有 ${parts}，不能删除`);
      }
      const auditBefore = await audited(before);
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('classes').where('id', '=', before.id).execute();
        await auditChange(trx, req.staff, { action: 'class.delete', entity: 'class', entityId: before.id, before: auditBefore });
      });
      return { deleted: true as const };
    },
  });
};
