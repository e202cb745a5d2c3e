import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../../http/schemas.ts';
import { AppError, unauthorized } from '../../http/errors.ts';
import { checkPassword } from './users.ts';
import { requireStaff, STAFF_ROLES, type StaffRole } from './staff-auth.ts';
import { endActingAs, startActingAs } from './act-as.ts';

const forbiddenWith = (code: string, message: string) => new AppError(403, code, message);

export const STAFF_TOKEN_TTL_SEC = 12 * 3600;
export const staffUserSchema = z.object({
  id: z.string(),
  username: z.string(),
  role: z.enum(STAFF_ROLES),
  displayName: z.string(),
  institutionId: z.string().nullable(),
  actingFor: z.object({ id: z.string(), username: z.string(), displayName: z.string() }).nullable(),
});
const staffUser = staffUserSchema;

/** Why an account that is not active cannot sign in. */
const NOT_ACTIVE: Record<string, string> = {
  pending: '账号正在审核中，审核通过后方可登录',
  rejected: '账号注册申请未通过审核',
  disabled: '账号已停用，请联系管理员',
};

export const staffAccountRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/login', {
    schema: {
      tags: ['staff'],
      summary: '工作人员登录',
      body: z.object({ username: z.string().trim().min(1, '请输入用户名').max(64), password: z.string().min(1, '请输入密码').max(200) }),
      response: { 200: z.object({ token: z.string(), user: staffUser }), ...errorResponses },
    },
    handler: async (req) => {
      const user = await checkPassword(app.ctx.db, req.body.username, req.body.password);
      if (!user) throw unauthorized('INVALID_CREDENTIALS', '用户名或密码不正确');
      if (user.status !== 'active') {
        throw forbiddenWith('ACCOUNT_NOT_ACTIVE', `${NOT_ACTIVE[user.status] ?? NOT_ACTIVE.disabled}${user.review_note ? `：${user.review_note}` : ''}`);
      }
      return {
        token: app.ctx.tokens.sign('staff', user.id, STAFF_TOKEN_TTL_SEC, app.ctx.clock.now()),
        user: {
          id: user.id, username: user.username, role: user.role as StaffRole, displayName: user.display_name,
          institutionId: user.institution_id, actingFor: null,
        },
      };
    },
  });

  app.get('/me', {
    onRequest: requireStaff(...STAFF_ROLES),
    schema: { tags: ['staff'], security: [{ bearer: [] }], response: { 200: staffUser, ...errorResponses } },
    handler: async (req) => req.staff,
  });

  // 登录此账号: a coordinator acts as one of their teachers (act-as.ts); both ends are audited.
  app.post('/act-as', {
    onRequest: requireStaff('coordinator'),
    schema: {
      tags: ['staff'], security: [{ bearer: [] }], summary: '登录此账号（证书负责人以本院校教师身份操作，记入操作日志）',
      body: z.object({ userId: z.string().min(1, '请选择教师').max(64) }),
      response: { 200: z.object({ token: z.string(), user: staffUser }), ...errorResponses },
    },
    handler: async (req) => startActingAs(app.ctx, req.staff, req.body.userId),
  });

  app.post('/act-as/end', {
    onRequest: requireStaff('teacher'),
    schema: {
      tags: ['staff'], security: [{ bearer: [] }], summary: '退出代登录，返回证书负责人本人账号',
      response: { 200: z.object({ token: z.string(), user: staffUser }), ...errorResponses },
    },
    handler: async (req) => endActingAs(app.ctx, req.staff, STAFF_TOKEN_TTL_SEC),
  });
};
