import { sql } from 'kysely';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { isoTime } from '../http/schemas.ts';
import { nowIso } from '../ids.ts';

/** Routes anyone may call. */
export const publicRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/health', {
    schema: { tags: ['public'], summary: '健康检查', response: { 200: z.object({ status: z.literal('ok'), db: z.enum(['sqlite', 'postgres']) }) } },
    handler: async () => {
      await sql`select 1`.execute(app.ctx.db);
      return { status: 'ok' as const, db: app.ctx.dialect };
    },
  });

  app.get('/time', {
    schema: { tags: ['public'], summary: '服务器时间（客户端据此校准倒计时）', response: { 200: z.object({ serverNow: isoTime }) } },
    handler: async () => ({ serverNow: nowIso(app.ctx.clock.now()) }),
  });
};
