import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses, idParam } from '../../http/schemas.ts';
import { notFound } from '../../http/errors.ts';
import { auditChange } from '../accounts/scope.ts';
import { requireStaff } from '../accounts/staff-auth.ts';

const tags = ['plans'];
const security = [{ bearer: [] }];

const sebBody = z.object({
  /** The Config Key of the SEB configuration (SEB shows it; 64 hex characters), or null to stop requiring SEB. */
  configKey: z
    .string({ error: '请填写安全考试浏览器配置密钥（Config Key）' })
    .trim()
    .regex(/^[0-9a-fA-F]{64}$/, '配置密钥（Config Key）应为 64 位十六进制字符')
    .transform((s) => s.toLowerCase())
    .nullable(),
});
const sebResponse = z.object({ sittingId: z.string(), sebRequired: z.boolean() });

/** 安全考试浏览器: the operator makes a sitting require Safe Exam Browser, or stops requiring it. The key is never returned. */
export const sebConsoleRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  app.patch('/sittings/:sittingId/seb', {
    onRequest: requireStaff('operator'),
    schema: {
      tags, security, summary: '设置或取消场次的安全考试浏览器（Safe Exam Browser）要求',
      params: z.object({ sittingId: idParam }), body: sebBody, response: { 200: sebResponse, ...errorResponses },
    },
    handler: async (req) => {
      const { sittingId } = req.params;
      const key = req.body.configKey;
      await ctx.db.transaction().execute(async (trx) => {
        const before = await trx.selectFrom('sittings').select(['id', 'seb_config_key']).where('id', '=', sittingId).executeTakeFirst();
        if (!before) throw notFound('SITTING_NOT_FOUND', '场次不存在');
        await trx.updateTable('sittings').set({ seb_config_key: key }).where('id', '=', sittingId).execute();
        await auditChange(trx, req.staff, {
          action: 'sitting.seb', entity: 'sitting', entityId: sittingId,
          before: { sebRequired: before.seb_config_key !== null }, after: { sebRequired: key !== null }, institutionId: null,
        });
      });
      ctx.sittings.forget(sittingId);
      return { sittingId, sebRequired: key !== null };
    },
  });
};
