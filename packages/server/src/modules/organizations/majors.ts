import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses, idParam, isoTime } from '../../http/schemas.ts';
import { conflict } from '../../http/errors.ts';
import { newId, nowIso } from '../../ids.ts';
import { requireStaff } from '../accounts/staff-auth.ts';
import { auditChange, canSeeInstitution, outOfScope } from '../accounts/scope.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { nameField } from './fields.ts';
import { institutionQuery, listInstitution } from './scope-query.ts';

const tags = ['people'];
const security = [{ bearer: [] }];

const majorSchema = z.object({
  id: z.string(),
  institutionId: z.string(),
  name: z.string(),
  createdAt: isoTime,
  classes: z.number().int(),
  teachers: z.number().int(),
  candidates: z.number().int(),
});

const nameTaken = (name: string) => conflict('MAJOR_EXISTS', `专业“${name}”已存在`);

/** 专业 (majors): the coordinator keeps them; institution staff and teachers read them. */
export const majorRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, clock } = app.ctx;
  const readers = requireStaff('operator', 'institution_admin', 'coordinator', 'teacher');
  const coordinator = requireStaff('coordinator');

  async function mine(staff: Parameters<typeof canSeeInstitution>[0], id: string) {
    const major = await db.selectFrom('majors').selectAll().where('id', '=', id).executeTakeFirst();
    if (!major || !canSeeInstitution(staff, major.institution_id)) throw outOfScope();
    return major;
  }

  async function usage(id: string) {
    const n = async (q: Promise<{ n: number | string | bigint } | undefined>) => Number((await q)?.n ?? 0);
    return {
      classes: await n(db.selectFrom('classes').select((eb) => eb.fn.countAll<number>().as('n')).where('major_id', '=', id).executeTakeFirst()),
      candidates: await n(db.selectFrom('candidates').select((eb) => eb.fn.countAll<number>().as('n')).where('major_id', '=', id).executeTakeFirst()),
    };
  }

  app.get('/majors', {
    onRequest: readers,
    schema: { tags, security, summary: '专业列表', querystring: institutionQuery, response: { 200: z.object({ majors: z.array(majorSchema) }), ...errorResponses } },
    handler: async (req) => {
      const only = listInstitution(req.staff, req.query.institutionId);
      let q = db
        .selectFrom('majors')
        .select([
          'majors.id', 'majors.institution_id', 'majors.name', 'majors.created_at',
          (eb) => eb.selectFrom('classes').select(eb.fn.countAll<number>().as('n')).whereRef('classes.major_id', '=', 'majors.id').as('classes'),
          (eb) => eb.selectFrom('teacher_majors').select(eb.fn.countAll<number>().as('n')).whereRef('teacher_majors.major_id', '=', 'majors.id').as('teachers'),
          (eb) => eb.selectFrom('candidates').select(eb.fn.countAll<number>().as('n')).whereRef('candidates.major_id', '=', 'majors.id').as('candidates'),
        ])
        .orderBy('majors.name')
        .limit(2000);
      if (only !== null) q = q.where('majors.institution_id', '=', only);
      const rows = await q.execute();
      return {
        majors: rows.map((r) => ({
          id: r.id, institutionId: r.institution_id, name: r.name, createdAt: r.created_at,
          classes: Number(r.classes ?? 0), teachers: Number(r.teachers ?? 0), candidates: Number(r.candidates ?? 0),
        })),
      };
    },
  });

  app.post('/majors', {
    onRequest: coordinator,
    schema: {
      tags, security, summary: '新增专业',
      body: z.object({ name: nameField('专业名称') }),
      response: { 200: majorSchema, ...errorResponses },
    },
    handler: async (req) => {
      const institutionId = req.staff.institutionId!;
      const name = req.body.name;
      if (await db.selectFrom('majors').select('id').where('institution_id', '=', institutionId).where('name', '=', name).executeTakeFirst()) throw nameTaken(name);
      const row = { id: newId(), institution_id: institutionId, name, created_at: nowIso(clock.now()) };
      try {
        await db.transaction().execute(async (trx) => {
          await trx.insertInto('majors').values(row).execute();
          await auditChange(trx, req.staff, { action: 'major.create', entity: 'major', entityId: row.id, after: { name } });
        });
      } catch (err) {
        throw isUniqueViolation(err) ? nameTaken(name) : err;
      }
      return { id: row.id, institutionId, name, createdAt: row.created_at, classes: 0, teachers: 0, candidates: 0 };
    },
  });

  app.patch('/majors/:id', {
    onRequest: coordinator,
    schema: {
      tags, security, summary: '修改专业名称',
      params: z.object({ id: idParam }),
      body: z.object({ name: nameField('专业名称') }),
      response: { 200: z.object({ id: z.string(), name: z.string() }), ...errorResponses },
    },
    handler: async (req) => {
      const before = await mine(req.staff, req.params.id);
      const name = req.body.name;
      if (name === before.name) return { id: before.id, name };
      if (await db.selectFrom('majors').select('id').where('institution_id', '=', before.institution_id).where('name', '=', name).executeTakeFirst()) throw nameTaken(name);
      try {
        await db.transaction().execute(async (trx) => {
          await trx.updateTable('majors').set({ name }).where('id', '=', before.id).execute();
          await auditChange(trx, req.staff, { action: 'major.update', entity: 'major', entityId: before.id, before: { name: before.name }, after: { name } });
        });
      } catch (err) {
        throw isUniqueViolation(err) ? nameTaken(name) : err;
      }
      return { id: before.id, name };
    },
  });

  app.delete('/majors/:id', {
    onRequest: coordinator,
    schema: {
      tags, security, summary: '删除专业（有班级或考生的专业不能删除）',
      params: z.object({ id: idParam }),
      response: { 200: z.object({ deleted: z.literal(true) }), ...errorResponses },
    },
    handler: async (req) => {
      const before = await mine(req.staff, req.params.id);
      const used = await usage(before.id);
      if (used.classes || used.candidates) {
        const parts = [used.classes ? `${used.classes} 个班级` : '', used.candidates ? `${used.candidates} 名考生` : ''].filter(Boolean).join('、');
        throw conflict('MAJOR_IN_USE', `专业“${before.name}”下还有 ${parts}，不能删除`);
      }
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('teacher_majors').where('major_id', '=', before.id).execute();
        await trx.deleteFrom('majors').where('id', '=', before.id).execute();
        await auditChange(trx, req.staff, { action: 'major.delete', entity: 'major', entityId: before.id, before: { name: before.name } });
      });
      return { deleted: true as const };
    },
  });
};
