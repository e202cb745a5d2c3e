import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../../http/schemas.ts';
import { conflict } from '../../http/errors.ts';
import { newId, nowIso } from '../../ids.ts';
import { recordAudit } from '../accounts/audit.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import {
  displayNameField, institutionCodeField, institutionNameField, passwordField, phoneField, provinceField, usernameField,
} from './fields.ts';
import { newUserRow } from './people.ts';
import { PROVINCES } from './provinces.ts';

const tags = ['public'];

const codeTaken = (code: string) => conflict('INSTITUTION_CODE_TAKEN', `院校代码 ${code} 已注册，请勿重复注册；如需帮助请联系运营方`);
const usernameTaken = (username: string) => conflict('USERNAME_TAKEN', `用户名 ${username} 已被使用，请换一个`);

/** 院校注册: an institution and its admin, both pending until the operator approves. */
export const signupRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.ctx;

  app.get('/provinces', {
    schema: { tags, summary: '省级行政区列表（院校注册用）', response: { 200: z.object({ provinces: z.array(z.string()) }) } },
    handler: async () => ({ provinces: [...PROVINCES] }),
  });

  app.post('/institutions/signup', {
    schema: {
      tags,
      summary: '院校注册（院校管理员账号，待运营方审核）',
      body: z.object({
        code: institutionCodeField,
        name: institutionNameField,
        province: provinceField,
        admin: z.object({ username: usernameField, password: passwordField, displayName: displayNameField, phone: phoneField }),
      }),
      response: {
        200: z.object({ institutionId: z.string(), status: z.literal('pending'), message: z.string() }),
        ...errorResponses,
      },
    },
    handler: async (req) => {
      const { code, name, province, admin } = req.body;
      const now = nowIso(app.ctx.clock.now());
      const existing = await db.selectFrom('institutions').selectAll().where('code', '=', code).executeTakeFirst();
      // A rejected institution may apply again (with the reason fixed); any other status keeps its code.
      if (existing && existing.status !== 'rejected') throw codeTaken(code);
      const sameUser = await db.selectFrom('users').select(['id', 'role', 'institution_id', 'status']).where('username', '=', admin.username).executeTakeFirst();
      // Only the rejected admin of that same institution may reuse their username.
      const reusing = Boolean(existing && sameUser && sameUser.role === 'institution_admin' && sameUser.institution_id === existing.id && sameUser.status === 'rejected');
      if (sameUser && !reusing) throw usernameTaken(admin.username);
      const institutionId = existing?.id ?? newId();
      const user = await newUserRow({ ...admin, role: 'institution_admin', institutionId, status: 'pending' }, now);
      const after = { code, name, province, status: 'pending', admin: { username: admin.username, displayName: admin.displayName, phone: admin.phone } };
      try {
        await db.transaction().execute(async (trx) => {
          if (!existing) {
            await trx
              .insertInto('institutions')
              .values({ id: institutionId, code, name, province, status: 'pending', review_note: null, reviewed_by: null, reviewed_at: null, created_at: now })
              .execute();
          } else {
            const again = await trx
              .updateTable('institutions')
              .set({ name, province, status: 'pending', review_note: null, reviewed_by: null, reviewed_at: null, created_at: now })
              .where('id', '=', existing.id)
              .where('status', '=', 'rejected')
              .executeTakeFirst();
            if (Number(again.numUpdatedRows) !== 1) throw codeTaken(code);
          }
          if (reusing) {
            await trx
              .updateTable('users')
              .set({ password_hash: user.password_hash, display_name: admin.displayName, phone: admin.phone, status: 'pending', review_note: null })
              .where('id', '=', sameUser!.id)
              .execute();
          } else {
            await trx.insertInto('users').values(user).execute();
          }
          await recordAudit(trx, admin.username, existing ? 'institution.resubmit' : 'institution.signup', 'institution', institutionId,
            existing ? { code, name: existing.name, province: existing.province, status: 'rejected', reviewNote: existing.review_note } : null,
            after, { institutionId });
        });
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        // Someone registered the same code or username a moment ago.
        const again = await db.selectFrom('institutions').select(['id', 'status']).where('code', '=', code).executeTakeFirst();
        throw again && again.id !== existing?.id ? codeTaken(code) : usernameTaken(admin.username);
      }
      return { institutionId, status: 'pending' as const, message: '注册申请已提交，运营方将在 1–2 个工作日内审核；审核通过后即可登录' };
    },
  });
};
