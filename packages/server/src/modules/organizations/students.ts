import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses, idParam, isoTime } from '../../http/schemas.ts';
import { badRequest, conflict } from '../../http/errors.ts';
import { hashPassword } from '../../http/passwords.ts';
import { nowIso } from '../../ids.ts';
import { requireStaff, type StaffUser } from '../accounts/staff-auth.ts';
import { resetPasswordColumns } from '../accounts/users.ts';
import { auditChange, canSeeInstitution, outOfScope } from '../accounts/scope.ts';
import { parseStudentSheet, STUDENT_MAX_ROWS, STUDENT_TEMPLATE_ROWS, studentTemplate, type SheetError } from '../sheets/index.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { hashAll, newUserRow, takenUsernames } from './people.ts';
import { initialPasswordSheet } from './password-sheet.ts';
import { initialPassword } from './secrets.ts';

const tags = ['people'];
const security = [{ bearer: [] }];
export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const studentSchema = z.object({
  id: z.string(),
  username: z.string(),
  studentNo: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  status: z.enum(['pending', 'active', 'rejected', 'disabled']),
  class: z.object({ id: z.string(), name: z.string() }).nullable(),
  createdAt: isoTime,
});

/** `filename*` for Chinese names, with an ASCII fallback. */
export function attachment(ascii: string, name: string): string {
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

const invalid = (errors: SheetError[]) =>
  badRequest('STUDENTS_INVALID', `文件有 ${errors.length} 处错误，未创建任何账号，请修改后重新导入`, { errors });

/** 学生账号 (mock-practice accounts): the teacher imports them from the template, all or nothing. */
export const studentRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, clock } = app.ctx;
  const importers = requireStaff('teacher', 'coordinator');
  const readers = requireStaff('operator', 'institution_admin', 'coordinator', 'teacher');

  app.addContentTypeParser(XLSX_MIME, { parseAs: 'buffer', bodyLimit: 10 * 1024 * 1024 }, (_req, body, done) => done(null, body));

  /** The class with its institution, or 404 when missing or out of scope. */
  async function classInScope(staff: StaffUser, classId: string) {
    const row = await db
      .selectFrom('classes')
      .innerJoin('institutions', 'institutions.id', 'classes.institution_id')
      .select(['classes.id', 'classes.name', 'classes.institution_id', 'institutions.code', 'institutions.name as institution_name'])
      .where('classes.id', '=', classId)
      .executeTakeFirst();
    if (!row || !canSeeInstitution(staff, row.institution_id)) throw outOfScope();
    return row;
  }

  app.get('/students', {
    onRequest: readers,
    schema: {
      tags, security, summary: '学生账号列表（可按班级筛选）',
      querystring: z.object({ classId: idParam.optional() }),
      response: { 200: z.object({ students: z.array(studentSchema) }), ...errorResponses },
    },
    handler: async (req) => {
      let q = db
        .selectFrom('users')
        .leftJoin('classes', 'classes.id', 'users.class_id')
        .select(['users.id', 'users.username', 'users.student_no', 'users.display_name', 'users.phone', 'users.status', 'users.created_at', 'users.class_id', 'classes.name as class_name'])
        .where('users.role', '=', 'student')
        .orderBy('users.username')
        .limit(5000);
      if (req.query.classId) q = q.where('users.class_id', '=', (await classInScope(req.staff, req.query.classId)).id);
      if (req.staff.role !== 'operator') q = q.where('users.institution_id', '=', req.staff.institutionId ?? '\u0000none');
      const rows = await q.execute();
      return {
        students: rows.map((r) => ({
          id: r.id, username: r.username, studentNo: r.student_no ?? '', name: r.display_name, phone: r.phone, status: r.status,
          class: r.class_id ? { id: r.class_id, name: r.class_name ?? '' } : null, createdAt: r.created_at,
        })),
      };
    },
  });

  app.get('/students/template', {
    onRequest: importers,
    schema: {
      tags, security, summary: '下载学生账号导入模板（.xlsx，默认 30 行）',
      querystring: z.object({ classId: idParam, rows: z.coerce.number().int().min(1).max(STUDENT_MAX_ROWS).default(STUDENT_TEMPLATE_ROWS) }),
    },
    handler: async (req, reply) => {
      const cls = await classInScope(req.staff, req.query.classId);
      const file = await studentTemplate({ rows: req.query.rows, className: cls.name });
      return reply.type(XLSX_MIME).header('Content-Disposition', attachment('students-template.xlsx', `学生账号导入模板-${cls.name}.xlsx`)).send(file);
    },
  });

  app.post('/students/import', {
    onRequest: importers,
    schema: {
      tags, security,
      summary: '导入学生账号（请求体为 .xlsx 文件；全部成功或全部不导入；初始密码只返回这一次）',
      querystring: z.object({ classId: idParam }),
      response: {
        200: z.object({
          created: z.number().int(),
          class: z.object({ id: z.string(), name: z.string() }),
          accounts: z.array(z.object({ row: z.number().int(), studentNo: z.string(), name: z.string(), username: z.string(), password: z.string() })),
          passwordSheet: z.object({ filename: z.string(), base64: z.string() }),
        }),
        ...errorResponses,
      },
    },
    handler: async (req) => {
      const cls = await classInScope(req.staff, req.query.classId);
      if (!Buffer.isBuffer(req.body)) throw badRequest('NOT_XLSX', '请上传 .xlsx 格式的学生账号文件');
      const parsed = await parseStudentSheet(req.body);
      if ('errors' in parsed) throw invalid(parsed.errors);

      const usernames = parsed.rows.map((r) => cls.code + r.studentNo);
      const taken = await takenUsernames(db, usernames);
      const clashes = parsed.rows
        .filter((r) => taken.has(cls.code + r.studentNo))
        .map((r) => ({ row: r.row, column: '学号', reason: `账号 ${cls.code + r.studentNo} 已存在（该学号已导入过）` }));
      if (clashes.length) throw invalid(clashes);

      const now = nowIso(clock.now());
      const accounts = parsed.rows.map((r) => ({ row: r.row, studentNo: r.studentNo, name: r.name, phone: r.phone ?? null, username: cls.code + r.studentNo, password: initialPassword() }));
      const rows: Awaited<ReturnType<typeof newUserRow>>[] = [];
      await hashAll(accounts, async (a) => {
        rows.push(await newUserRow({
          username: a.username, password: a.password, role: 'student', displayName: a.name, institutionId: cls.institution_id,
          status: 'active', phone: a.phone, classId: cls.id, studentNo: a.studentNo, mustChangePassword: true,
        }, now));
      });
      try {
        await db.transaction().execute(async (trx) => {
          for (let i = 0; i < rows.length; i += 100) await trx.insertInto('users').values(rows.slice(i, i + 100)).execute();
          await auditChange(trx, req.staff, {
            action: 'student.import', entity: 'class', entityId: cls.id, institutionId: cls.institution_id,
            before: null,
            after: { className: cls.name, created: accounts.length, students: accounts.map((a) => ({ username: a.username, name: a.name })) },
          });
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict('USERNAME_TAKEN', '部分账号刚刚已被创建，请刷新后重新导入');
        throw err;
      }
      const sheet = await initialPasswordSheet({ institutionName: cls.institution_name, className: cls.name, lines: accounts });
      return {
        created: accounts.length,
        class: { id: cls.id, name: cls.name },
        accounts: accounts.map(({ row, studentNo, name, username, password }) => ({ row, studentNo, name, username, password })),
        passwordSheet: { filename: `初始密码-${cls.name}.xlsx`, base64: sheet.toString('base64') },
      };
    },
  });

  app.post('/students/:id/reset-password', {
    onRequest: importers,
    schema: {
      tags, security, summary: '重置学生密码（生成新密码，只显示这一次；学生原有登录失效，登录后须先修改密码）',
      params: z.object({ id: idParam }),
      response: { 200: z.object({ username: z.string(), password: z.string() }), ...errorResponses },
    },
    handler: async (req) => {
      const student = await db.selectFrom('users').select(['id', 'username', 'role', 'institution_id']).where('id', '=', req.params.id).executeTakeFirst();
      if (!student || student.role !== 'student' || !canSeeInstitution(req.staff, student.institution_id)) throw outOfScope();
      const password = initialPassword();
      const hash = await hashPassword(password);
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('users').set(resetPasswordColumns(hash, clock.now())).where('id', '=', student.id).execute();
        // The password itself never goes into the log.
        await auditChange(trx, req.staff, {
          action: 'student.resetPassword', entity: 'user', entityId: student.id, institutionId: student.institution_id,
          before: { username: student.username }, after: { username: student.username, passwordReset: true },
        });
      });
      return { username: student.username, password };
    },
  });
};
