import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../../http/schemas.ts';
import { unauthorized } from '../../http/errors.ts';
import { checkPassword } from './users.ts';
import { requireStaff, STAFF_ROLES } from './staff-auth.ts';

const STAFF_TOKEN_TTL_SEC = 12 * 3600;
const staffUser = z.object({ id: z.string(), username: z.string(), role: z.enum(STAFF_ROLES), displayName: z.string() });

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
      return {
        token: app.ctx.tokens.sign('staff', user.id, STAFF_TOKEN_TTL_SEC, app.ctx.clock.now()),
        user: { id: user.id, username: user.username, role: user.role as 'operator', displayName: user.display_name },
      };
    },
  });

  app.get('/me', {
    onRequest: requireStaff(...STAFF_ROLES),
    schema: { tags: ['staff'], security: [{ bearer: [] }], response: { 200: staffUser, ...errorResponses } },
    handler: async (req) => req.staff,
  });
};
