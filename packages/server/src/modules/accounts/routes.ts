import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorBodySchema } from '../../http/errors.ts';
import { errorResponses } from '../../http/schemas.ts';
import { requireStaff, requireStaffSession, STAFF_ROLES } from './staff-auth.ts';
import { endActingAs, startActingAs } from './act-as.ts';
import { logIn, STAFF_TOKEN_TTL_SEC } from './login.ts';
import { changeOwnPassword } from './own-password.ts';
import { changePasswordBody } from './password-policy.ts';

export const staffUserSchema = z.object({
  id: z.string(),
  username: z.string(),
  role: z.enum(STAFF_ROLES),
  displayName: z.string(),
  institutionId: z.string().nullable(),
  actingFor: z.object({ id: z.string(), username: z.string(), displayName: z.string() }).nullable(),
  /** A generated or reset password: the console asks for a new one before anything else. */
  mustChangePassword: z.boolean(),
});
const session = z.object({ token: z.string(), user: staffUserSchema });
/** Too many wrong passwords (login-throttle.ts). */
const lockedResponse = { 429: errorBodySchema.describe('ACCOUNT_LOCKED: 密码错误次数过多，账号暂时锁定') };

export const staffAccountRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/login', {
    schema: {
      tags: ['staff'],
      summary: '工作人员登录（连续 5 次密码错误锁定 15 分钟）',
      body: z.object({ username: z.string().trim().min(1, '请输入用户名').max(64), password: z.string().min(1, '请输入密码').max(200) }),
      response: { 200: session, ...errorResponses, ...lockedResponse },
    },
    handler: async (req) => logIn(app.ctx, req.body.username, req.body.password),
  });

  app.get('/me', {
    onRequest: requireStaffSession(...STAFF_ROLES),
    schema: { tags: ['staff'], security: [{ bearer: [] }], response: { 200: staffUserSchema, ...errorResponses } },
    handler: async (req) => req.staff,
  });

  app.post('/me/password', {
    onRequest: requireStaffSession(...STAFF_ROLES),
    schema: {
      tags: ['staff'], security: [{ bearer: [] }],
      summary: '修改本人密码（之前的登录全部失效，返回新的登录凭证；代登录时不可用）',
      body: changePasswordBody,
      response: { 200: session, ...errorResponses, ...lockedResponse },
    },
    handler: async (req) => changeOwnPassword(app.ctx, req.staff, req.body),
  });

  // 登录此账号: a coordinator acts as one of their teachers (act-as.ts); both ends are audited.
  app.post('/act-as', {
    onRequest: requireStaff('coordinator'),
    schema: {
      tags: ['staff'], security: [{ bearer: [] }], summary: '登录此账号（证书负责人以本院校教师身份操作，记入操作日志）',
      body: z.object({ userId: z.string().min(1, '请选择教师').max(64) }),
      response: { 200: session, ...errorResponses },
    },
    handler: async (req) => startActingAs(app.ctx, req.staff, req.body.userId),
  });

  app.post('/act-as/end', {
    onRequest: requireStaff('teacher'),
    schema: {
      tags: ['staff'], security: [{ bearer: [] }], summary: '退出代登录，返回证书负责人本人账号',
      response: { 200: session, ...errorResponses },
    },
    handler: async (req) => endActingAs(app.ctx, req.staff, STAFF_TOKEN_TTL_SEC),
  });
};
