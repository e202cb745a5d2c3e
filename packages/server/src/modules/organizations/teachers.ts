import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses, idParam, isoTime } from '../../http/schemas.ts';
import { badRequest, conflict } from '../../http/errors.ts';
import { hashPassword } from '../../http/passwords.ts';
import { nowIso } from '../../ids.ts';
import { requireStaff, type StaffUser } from '../accounts/staff-auth.ts';
import { resetPasswordColumns } from '../accounts/users.ts';
import { auditChange, canSeeInstitution, outOfScope } from '../accounts/scope.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { displayNameField, passwordField, personSchema, phoneField, usernameField } from './fields.ts';
import { newUserRow, presentPerson } from './people.ts';
import { institutionQuery, listInstitution } from './scope-query.ts';
import { initialPassword } from './secrets.ts';

const tags = ['people'];
const security = [{ bearer: [] }];

const teacherSchema = personSchema.extend({
  institutionId: z.string(),
  majors: z.array(z.object({ id: z.string(), name: z.string() })),
  createdAt: isoTime,
});
const majorIds = z.array(idParam).max(50).default([]);
const usernameTaken = (u: string) => conflict('USERNAME_TAKEN', `用户名 ${u} 已被使用，请换一个`);

/** 教师: the coordinator adds them (with the majors they teach), disables, enables and resets passwords. */
export const teacherRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, clock } = app.ctx;
  const readers = requireStaff('operator', 'institution_admin', 'coordinator');
  const coordinator = requireStaff('coordinator');

  async function mine(staff: StaffUser, id: string) {
    const t = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    if (!t || t.role !== 'teacher' || !canSeeInstitution(staff, t.institution_id)) throw outOfScope();
    return t;
  }

  async function checkMajors(institutionId: string, ids: readonly string[]) {
    const unique = [...new Set(ids)];
    if (!unique.length) return unique;
    const found = await db.selectFrom('majors').select('id').where('institution_id', '=', institutionId).where('id', 'in', unique).execute();
    if (found.length !== unique.length) throw badRequest('MAJOR_INVALID', '请选择本院校的专业');
    return unique;
  }

  async function list(only: string | null, id?: string) {
    let q = db
      .selectFrom('users')
      .select(['id', 'username', 'display_name', 'phone', 'status', 'institution_id', 'created_at'])
      .where('role', '=', 'teacher')
      .orderBy('created_at')
      .limit(2000);
    if (only !== null) q = q.where('institution_id', '=', only);
    if (id) q = q.where('id', '=', id);
    const rows = await q.execute();
    const ids = rows.map((r) => r.id);
    const links = ids.length
      ? await db.selectFrom('teacher_majors').innerJoin('majors', 'majors.id', 'teacher_majors.major_id')
        .select(['teacher_majors.user_id', 'majors.id', 'majors.name']).where('teacher_majors.user_id', 'in', ids).orderBy('majors.name').execute()
      : [];
    return rows.map((r) => ({
      ...presentPerson(r), institutionId: r.institution_id ?? '', createdAt: r.created_at,
      majors: links.filter((l) => l.user_id === r.id).map((l) => ({ id: l.id, name: l.name })),
    }));
  }

  app.get('/teachers', {
    onRequest: readers,
    schema: { tags, security, summary: '教师列表（含所教专业）', querystring: institutionQuery, response: { 200: z.object({ teachers: z.array(teacherSchema) }), ...errorResponses } },
    handler: async (req) => ({ teachers: await list(listInstitution(req.staff, req.query.institutionId)) }),
  });

  app.post('/teachers', {
    onRequest: coordinator,
    schema: {
      tags, security, summary: '添加教师',
      body: z.object({ username: usernameField, password: passwordField, displayName: displayNameField, phone: phoneField, majorIds }),
      response: { 200: teacherSchema, ...errorResponses },
    },
    handler: async (req) => {
      const institutionId = req.staff.institutionId!;
      const b = req.body;
      const majors = await checkMajors(institutionId, b.majorIds);
      if (await db.selectFrom('users').select('id').where('username', '=', b.username).executeTakeFirst()) throw usernameTaken(b.username);
      const user = await newUserRow({ ...b, role: 'teacher', institutionId, status: 'active', mustChangePassword: true }, nowIso(clock.now()));
      try {
        await db.transaction().execute(async (trx) => {
          await trx.insertInto('users').values(user).execute();
          for (const m of majors) await trx.insertInto('teacher_majors').values({ user_id: user.id, major_id: m }).execute();
          await auditChange(trx, req.staff, {
            action: 'teacher.create', entity: 'user', entityId: user.id,
            after: { username: b.username, displayName: b.displayName, phone: b.phone, majorIds: majors, status: 'active' },
          });
        });
      } catch (err) {
        throw isUniqueViolation(err) ? usernameTaken(b.username) : err;
      }
      return (await list(institutionId, user.id))[0]!;
    },
  });

  app.patch('/teachers/:id', {
    onRequest: coordinator,
    schema: {
      tags, security, summary: '修改教师信息与所教专业',
      params: z.object({ id: idParam }),
      body: z
        .object({ displayName: displayNameField.optional(), phone: phoneField.optional(), majorIds: z.array(idParam).max(50).optional() })
        .refine((b) => Object.keys(b).length > 0, '没有要修改的内容'),
      response: { 200: teacherSchema, ...errorResponses },
    },
    handler: async (req) => {
      const t = await mine(req.staff, req.params.id);
      const [before] = await list(t.institution_id, t.id);
      const majors = req.body.majorIds ? await checkMajors(t.institution_id!, req.body.majorIds) : null;
      const set = {
        display_name: req.body.displayName ?? t.display_name,
        phone: req.body.phone ?? t.phone,
      };
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('users').set(set).where('id', '=', t.id).execute();
        if (majors) {
          await trx.deleteFrom('teacher_majors').where('user_id', '=', t.id).execute();
          for (const m of majors) await trx.insertInto('teacher_majors').values({ user_id: t.id, major_id: m }).execute();
        }
        await auditChange(trx, req.staff, {
          action: 'teacher.update', entity: 'user', entityId: t.id,
          before: { displayName: t.display_name, phone: t.phone, majorIds: before?.majors.map((m) => m.id) ?? [] },
          after: { displayName: set.display_name, phone: set.phone, majorIds: majors ?? before?.majors.map((m) => m.id) ?? [] },
        });
      });
      return (await list(t.institution_id, t.id))[0]!;
    },
  });

  for (const [action, status] of [['disable', 'disabled'], ['enable', 'active']] as const) {
    app.post(`/teachers/:id/${action}`, {
      onRequest: coordinator,
      schema: {
        tags, security, summary: action === 'disable' ? '停用教师账号（立即无法登录）' : '启用教师账号',
        params: z.object({ id: idParam }),
        response: { 200: teacherSchema, ...errorResponses },
      },
      handler: async (req) => {
        const t = await mine(req.staff, req.params.id);
        const from = action === 'disable' ? 'active' : 'disabled';
        if (t.status !== from) throw conflict('STATUS_UNCHANGED', action === 'disable' ? '该教师账号不是正常状态，无需停用' : '该教师账号未停用');
        await db.transaction().execute(async (trx) => {
          await trx.updateTable('users').set({ status }).where('id', '=', t.id).where('status', '=', from).execute();
          await auditChange(trx, req.staff, {
            action: `teacher.${action}`, entity: 'user', entityId: t.id,
            before: { username: t.username, status: from }, after: { username: t.username, status },
          });
        });
        return (await list(t.institution_id, t.id))[0]!;
      },
    });
  }

  app.post('/teachers/:id/reset-password', {
    onRequest: coordinator,
    schema: {
      tags, security, summary: '重置教师密码（新密码只显示这一次；教师原有登录失效，登录后须先修改密码）',
      params: z.object({ id: idParam }),
      body: z.object({ password: passwordField.optional() }).nullish(),
      response: { 200: z.object({ username: z.string(), password: z.string() }), ...errorResponses },
    },
    handler: async (req) => {
      const t = await mine(req.staff, req.params.id);
      const password = req.body?.password ?? initialPassword();
      const hash = await hashPassword(password);
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('users').set(resetPasswordColumns(hash, clock.now())).where('id', '=', t.id).execute();
        // The password itself never goes into the log.
        await auditChange(trx, req.staff, { action: 'teacher.resetPassword', entity: 'user', entityId: t.id, before: { username: t.username }, after: { username: t.username, passwordReset: true } });
      });
      return { username: t.username, password };
    },
  });
};
