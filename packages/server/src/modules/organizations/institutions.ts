import { z } from 'zod';
import { INSTITUTION_STATUSES } from '@kaowu/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses, idParam, isoTime } from '../../http/schemas.ts';
import { conflict } from '../../http/errors.ts';
import { nowIso } from '../../ids.ts';
import { requireStaff } from '../accounts/staff-auth.ts';
import { assertInstitution, auditChange, institutionFilter, outOfScope } from '../accounts/scope.ts';
import { personSchema, reasonField } from './fields.ts';
import { presentPerson } from './people.ts';

const tags = ['institutions'];
const security = [{ bearer: [] }];

const institutionSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  province: z.string(),
  status: z.enum(INSTITUTION_STATUSES),
  reviewNote: z.string().nullable(),
  reviewedAt: isoTime.nullable(),
  createdAt: isoTime,
  admins: z.array(personSchema),
  counts: z.object({ coordinators: z.number().int(), teachers: z.number().int(), majors: z.number().int(), classes: z.number().int(), students: z.number().int() }),
});

const pendingAccountSchema = personSchema.extend({
  role: z.string(),
  createdAt: isoTime,
  institution: z.object({ id: z.string(), code: z.string(), name: z.string(), status: z.enum(INSTITUTION_STATUSES) }),
});

/** 院校审核 (operator) and one's own institution (institution staff); pending coordinators. */
export const institutionRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.ctx;
  const readers = requireStaff('operator', 'institution_admin', 'coordinator');
  const operator = requireStaff('operator');

  /** Institutions with their admins and a few counts. */
  async function present(ids: string[]) {
    if (!ids.length) return [];
    const rows = await db.selectFrom('institutions').selectAll().where('id', 'in', ids).orderBy('created_at', 'desc').execute();
    const people = await db
      .selectFrom('users')
      .select(['id', 'username', 'display_name', 'phone', 'status', 'role', 'institution_id'])
      .where('institution_id', 'in', ids)
      .where('role', 'in', ['institution_admin', 'coordinator', 'teacher', 'student'])
      .execute();
    const count = async (table: 'majors' | 'classes') =>
      db.selectFrom(table).select(['institution_id', (eb) => eb.fn.countAll<number>().as('n')]).where('institution_id', 'in', ids).groupBy('institution_id').execute();
    const [majors, classes] = await Promise.all([count('majors'), count('classes')]);
    return rows.map((r) => {
      const mine = people.filter((p) => p.institution_id === r.id);
      const n = (role: string) => mine.filter((p) => p.role === role && p.status !== 'rejected').length;
      return {
        id: r.id, code: r.code, name: r.name, province: r.province, status: r.status as (typeof INSTITUTION_STATUSES)[number],
        reviewNote: r.review_note, reviewedAt: r.reviewed_at, createdAt: r.created_at,
        admins: mine.filter((p) => p.role === 'institution_admin').map(presentPerson),
        counts: {
          coordinators: n('coordinator'), teachers: n('teacher'), students: n('student'),
          majors: Number(majors.find((m) => m.institution_id === r.id)?.n ?? 0),
          classes: Number(classes.find((c) => c.institution_id === r.id)?.n ?? 0),
        },
      };
    });
  }

  app.get('/institutions', {
    onRequest: readers,
    schema: {
      tags, security, summary: '院校列表（运营方：全部；院校人员：本院校）',
      querystring: z.object({ status: z.enum(INSTITUTION_STATUSES).optional() }),
      response: { 200: z.object({ institutions: z.array(institutionSchema) }), ...errorResponses },
    },
    handler: async (req) => {
      let q = db.selectFrom('institutions').select('id').orderBy('created_at', 'desc').limit(1000);
      const only = institutionFilter(req.staff);
      if (only !== null) q = q.where('id', '=', only);
      if (req.query.status) q = q.where('status', '=', req.query.status);
      const ids = (await q.execute()).map((r) => r.id);
      return { institutions: await present(ids) };
    },
  });

  app.get('/institutions/:id', {
    onRequest: readers,
    schema: {
      tags, security, summary: '院校详情',
      params: z.object({ id: idParam }),
      response: { 200: institutionSchema.extend({ coordinators: z.array(personSchema) }), ...errorResponses },
    },
    handler: async (req) => {
      assertInstitution(req.staff, req.params.id);
      const [inst] = await present([req.params.id]);
      if (!inst) throw outOfScope();
      const coordinators = await db
        .selectFrom('users')
        .select(['id', 'username', 'display_name', 'phone', 'status'])
        .where('institution_id', '=', inst.id)
        .where('role', '=', 'coordinator')
        .orderBy('created_at')
        .execute();
      return { ...inst, coordinators: coordinators.map(presentPerson) };
    },
  });

  app.post('/institutions/:id/approve', {
    onRequest: operator,
    schema: {
      tags, security, summary: '审核通过院校（同时启用其院校管理员账号）',
      params: z.object({ id: idParam }),
      response: { 200: z.object({ status: z.literal('approved'), activatedAdmins: z.number().int() }), ...errorResponses },
    },
    handler: async (req) => {
      const before = await db.selectFrom('institutions').selectAll().where('id', '=', req.params.id).executeTakeFirst();
      if (!before) throw outOfScope();
      if (before.status === 'approved') throw conflict('ALREADY_APPROVED', '该院校已审核通过');
      const admins = await db
        .selectFrom('users')
        .select(['id', 'username', 'status'])
        .where('institution_id', '=', before.id)
        .where('role', '=', 'institution_admin')
        .where('status', 'in', ['pending', 'rejected'])
        .execute();
      const now = nowIso(app.ctx.clock.now());
      await db.transaction().execute(async (trx) => {
        const done = await trx
          .updateTable('institutions')
          .set({ status: 'approved', review_note: null, reviewed_by: req.staff.id, reviewed_at: now })
          .where('id', '=', before.id)
          .where('status', '=', before.status)
          .executeTakeFirst();
        if (Number(done.numUpdatedRows) !== 1) throw conflict('REVIEW_CHANGED', '该院校的审核状态刚刚被他人修改，请刷新后重试');
        await auditChange(trx, req.staff, {
          action: 'institution.approve', entity: 'institution', entityId: before.id, institutionId: before.id,
          before: { status: before.status, reviewNote: before.review_note }, after: { status: 'approved' },
        });
        for (const a of admins) {
          await trx.updateTable('users').set({ status: 'active', review_note: null }).where('id', '=', a.id).execute();
          await auditChange(trx, req.staff, {
            action: 'account.approve', entity: 'user', entityId: a.id, institutionId: before.id,
            before: { username: a.username, status: a.status }, after: { username: a.username, status: 'active' },
          });
        }
      });
      return { status: 'approved' as const, activatedAdmins: admins.length };
    },
  });

  app.post('/institutions/:id/reject', {
    onRequest: operator,
    schema: {
      tags, security, summary: '驳回院校注册（须填写原因，院校管理员登录时可见）',
      params: z.object({ id: idParam }),
      body: z.object({ reason: reasonField }),
      response: { 200: z.object({ status: z.literal('rejected') }), ...errorResponses },
    },
    handler: async (req) => {
      const before = await db.selectFrom('institutions').selectAll().where('id', '=', req.params.id).executeTakeFirst();
      if (!before) throw outOfScope();
      if (before.status !== 'pending') throw conflict('NOT_PENDING', '只能驳回待审核的院校');
      const admins = await db
        .selectFrom('users')
        .select(['id', 'username', 'status'])
        .where('institution_id', '=', before.id)
        .where('role', '=', 'institution_admin')
        .where('status', '=', 'pending')
        .execute();
      const now = nowIso(app.ctx.clock.now());
      const reason = req.body.reason;
      await db.transaction().execute(async (trx) => {
        const done = await trx
          .updateTable('institutions')
          .set({ status: 'rejected', review_note: reason, reviewed_by: req.staff.id, reviewed_at: now })
          .where('id', '=', before.id)
          .where('status', '=', 'pending')
          .executeTakeFirst();
        if (Number(done.numUpdatedRows) !== 1) throw conflict('REVIEW_CHANGED', '该院校的审核状态刚刚被他人修改，请刷新后重试');
        await auditChange(trx, req.staff, {
          action: 'institution.reject', entity: 'institution', entityId: before.id, institutionId: before.id,
          before: { status: 'pending' }, after: { status: 'rejected', reviewNote: reason },
        });
        for (const a of admins) {
          await trx.updateTable('users').set({ status: 'rejected', review_note: reason }).where('id', '=', a.id).execute();
          await auditChange(trx, req.staff, {
            action: 'account.reject', entity: 'user', entityId: a.id, institutionId: before.id,
            before: { username: a.username, status: 'pending' }, after: { username: a.username, status: 'rejected', reviewNote: reason },
          });
        }
      });
      return { status: 'rejected' as const };
    },
  });

  // Coordinators who signed up from an invitation wait for the operator (manual, part 1).
  app.get('/accounts/pending', {
    onRequest: operator,
    schema: { tags, security, summary: '待审核的证书负责人账号', response: { 200: z.object({ accounts: z.array(pendingAccountSchema) }), ...errorResponses } },
    handler: async () => {
      const rows = await db
        .selectFrom('users')
        .innerJoin('institutions', 'institutions.id', 'users.institution_id')
        .select([
          'users.id', 'users.username', 'users.display_name', 'users.phone', 'users.status', 'users.role', 'users.created_at',
          'institutions.id as institution_id', 'institutions.code', 'institutions.name', 'institutions.status as institution_status',
        ])
        .where('users.status', '=', 'pending')
        .where('users.role', '=', 'coordinator')
        .orderBy('users.created_at')
        .limit(1000)
        .execute();
      return {
        accounts: rows.map((r) => ({
          ...presentPerson(r), role: r.role, createdAt: r.created_at,
          institution: { id: r.institution_id, code: r.code, name: r.name, status: r.institution_status as (typeof INSTITUTION_STATUSES)[number] },
        })),
      };
    },
  });

  for (const decision of ['approve', 'reject'] as const) {
    app.post(`/accounts/:id/${decision}`, {
      onRequest: operator,
      schema: {
        tags, security,
        summary: decision === 'approve' ? '审核通过证书负责人账号' : '驳回证书负责人账号（须填写原因）',
        params: z.object({ id: idParam }),
        body: decision === 'reject' ? z.object({ reason: reasonField }) : z.object({}).nullish(),
        response: { 200: z.object({ status: z.enum(['active', 'rejected']) }), ...errorResponses },
      },
      handler: async (req) => {
        const user = await db.selectFrom('users').selectAll().where('id', '=', req.params.id).executeTakeFirst();
        if (!user || user.role !== 'coordinator') throw outOfScope();
        if (user.status !== 'pending') throw conflict('NOT_PENDING', '该账号不在待审核状态');
        const reason = decision === 'reject' ? (req.body as { reason: string }).reason : null;
        const status = decision === 'approve' ? ('active' as const) : ('rejected' as const);
        await db.transaction().execute(async (trx) => {
          const done = await trx.updateTable('users').set({ status, review_note: reason }).where('id', '=', user.id).where('status', '=', 'pending').executeTakeFirst();
          if (Number(done.numUpdatedRows) !== 1) throw conflict('REVIEW_CHANGED', '该账号的审核状态刚刚被他人修改，请刷新后重试');
          await auditChange(trx, req.staff, {
            action: `account.${decision}`, entity: 'user', entityId: user.id, institutionId: user.institution_id,
            before: { username: user.username, role: user.role, status: 'pending' },
            after: { username: user.username, role: user.role, status, ...(reason ? { reviewNote: reason } : {}) },
          });
        });
        return { status };
      },
    });
  }
};
