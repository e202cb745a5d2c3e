import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses, idParam, isoTime } from '../../http/schemas.ts';
import { conflict, notFound } from '../../http/errors.ts';
import { newId, nowIso } from '../../ids.ts';
import { recordAudit } from '../accounts/audit.ts';
import { requireStaff } from '../accounts/staff-auth.ts';
import { auditChange, institutionFilter, outOfScope } from '../accounts/scope.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { displayNameField, passwordField, phoneField, usernameField } from './fields.ts';
import { newUserRow } from './people.ts';
import { newInvitationToken, tokenHash } from './secrets.ts';

const security = [{ bearer: [] }];
const INVITATION_TTL_MS = 7 * 24 * 3600_000;
/** Roles an invitation may be for: the certificate coordinator (证书负责人). */
const INVITED_ROLES = ['coordinator'] as const;

/**
 * An invitation's state, from its columns (no extra schema): used_at with
 * used_by is 已使用; used_at without used_by is a revocation (已撤销) — the
 * same guarded `used_at IS NULL` keeps a revoked link from being accepted.
 */
export type InvitationStatus = 'valid' | 'used' | 'expired' | 'revoked';
export const INVITATION_STATUS_NAMES: Record<InvitationStatus, string> = { valid: '有效', used: '已使用', expired: '已过期', revoked: '已撤销' };

function statusOf(inv: { used_at: string | null; used_by: string | null; expires_at: string }, nowMs: number): InvitationStatus {
  if (inv.used_at) return inv.used_by ? 'used' : 'revoked';
  return Date.parse(inv.expires_at) <= nowMs ? 'expired' : 'valid';
}

const WHY_NOT: Record<Exclude<InvitationStatus, 'valid'>, { code: string; message: string }> = {
  used: { code: 'INVITATION_USED', message: '该邀请链接已被使用，每个链接只能注册一次' },
  expired: { code: 'INVITATION_EXPIRED', message: '该邀请链接已过期，请联系院校管理员重新邀请' },
  revoked: { code: 'INVITATION_REVOKED', message: '该邀请链接已被撤销，请联系院校管理员重新邀请' },
};

const invitationSchema = z.object({
  id: z.string(),
  role: z.enum(INVITED_ROLES),
  status: z.enum(['valid', 'used', 'expired', 'revoked']),
  statusName: z.string(),
  createdAt: isoTime,
  createdBy: z.string(),
  expiresAt: isoTime,
  usedAt: isoTime.nullable(),
  usedBy: z.object({ username: z.string(), displayName: z.string() }).nullable(),
});

/** 邀请证书负责人 (institution admin). */
export const invitationRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, clock } = app.ctx;
  app.addHook('onRequest', requireStaff('institution_admin'));

  app.post('/invitations', {
    schema: {
      tags: ['institutions'], security, summary: '生成证书负责人邀请链接（7 天内有效，只能使用一次）',
      response: { 200: z.object({ id: z.string(), link: z.string(), expiresAt: isoTime }), ...errorResponses },
    },
    handler: async (req) => {
      const institutionId = req.staff.institutionId;
      const inst = institutionId ? await db.selectFrom('institutions').select(['id', 'status']).where('id', '=', institutionId).executeTakeFirst() : undefined;
      if (!inst) throw outOfScope();
      if (inst.status !== 'approved') throw conflict('INSTITUTION_NOT_APPROVED', '院校审核通过后才能邀请证书负责人');
      const { token, hash } = newInvitationToken();
      const now = clock.now();
      const row = {
        id: newId(), token_hash: hash, institution_id: inst.id, role: 'coordinator', created_by: req.staff.id,
        created_at: nowIso(now), expires_at: nowIso(now + INVITATION_TTL_MS), used_at: null, used_by: null,
      };
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('invitations').values(row).execute();
        await auditChange(trx, req.staff, {
          action: 'invitation.create', entity: 'invitation', entityId: row.id, institutionId: inst.id,
          after: { role: row.role, expiresAt: row.expires_at },
        });
      });
      return { id: row.id, link: `/console/#/invite/${token}`, expiresAt: row.expires_at };
    },
  });

  app.get('/invitations', {
    schema: { tags: ['institutions'], security, summary: '本院校的邀请链接', response: { 200: z.object({ invitations: z.array(invitationSchema) }), ...errorResponses } },
    handler: async (req) => {
      const rows = await db
        .selectFrom('invitations')
        .leftJoin('users as creator', 'creator.id', 'invitations.created_by')
        .leftJoin('users as invitee', 'invitee.id', 'invitations.used_by')
        .select([
          'invitations.id', 'invitations.role', 'invitations.created_at', 'invitations.expires_at', 'invitations.used_at', 'invitations.used_by',
          'creator.display_name as creator_name', 'invitee.username as invitee_username', 'invitee.display_name as invitee_name',
        ])
        .where('invitations.institution_id', '=', institutionFilter(req.staff)!)
        .orderBy('invitations.created_at', 'desc')
        .limit(500)
        .execute();
      const now = clock.now();
      return {
        invitations: rows.map((r) => {
          const status = statusOf(r, now);
          return {
            id: r.id, role: r.role as 'coordinator', status, statusName: INVITATION_STATUS_NAMES[status],
            createdAt: r.created_at, createdBy: r.creator_name ?? '', expiresAt: r.expires_at, usedAt: r.used_at,
            usedBy: r.used_by && r.invitee_username ? { username: r.invitee_username, displayName: r.invitee_name ?? '' } : null,
          };
        }),
      };
    },
  });

  app.delete('/invitations/:id', {
    schema: {
      tags: ['institutions'], security, summary: '撤销邀请链接',
      params: z.object({ id: idParam }),
      response: { 200: z.object({ status: z.literal('revoked') }), ...errorResponses },
    },
    handler: async (req) => {
      const inv = await db.selectFrom('invitations').selectAll().where('id', '=', req.params.id).executeTakeFirst();
      if (!inv || inv.institution_id !== req.staff.institutionId) throw outOfScope();
      const now = clock.now();
      const status = statusOf(inv, now);
      if (status !== 'valid') throw conflict('INVITATION_NOT_VALID', `该邀请链接${INVITATION_STATUS_NAMES[status]}，无需撤销`);
      await db.transaction().execute(async (trx) => {
        const done = await trx.updateTable('invitations').set({ used_at: nowIso(now), used_by: null }).where('id', '=', inv.id).where('used_at', 'is', null).executeTakeFirst();
        if (Number(done.numUpdatedRows) !== 1) throw conflict('INVITATION_NOT_VALID', '该邀请链接刚刚已被使用，无法撤销');
        await auditChange(trx, req.staff, {
          action: 'invitation.revoke', entity: 'invitation', entityId: inv.id, institutionId: inv.institution_id,
          before: { status: 'valid', expiresAt: inv.expires_at }, after: { status: 'revoked' },
        });
      });
      return { status: 'revoked' as const };
    },
  });
};

const tokenParam = z.object({ token: z.string().min(20).max(100) });
const invitationNotFound = () => notFound('INVITATION_NOT_FOUND', '邀请链接无效，请确认链接完整，或联系院校管理员重新邀请');

/** The invitation link itself: anyone holding it may look and, once, register. */
export const publicInvitationRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, clock } = app.ctx;

  async function find(token: string) {
    const inv = await db
      .selectFrom('invitations')
      .innerJoin('institutions', 'institutions.id', 'invitations.institution_id')
      .select([
        'invitations.id', 'invitations.role', 'invitations.institution_id', 'invitations.expires_at', 'invitations.used_at', 'invitations.used_by',
        'institutions.name as institution_name', 'institutions.status as institution_status',
      ])
      .where('invitations.token_hash', '=', tokenHash(token))
      .executeTakeFirst();
    if (!inv) throw invitationNotFound();
    return inv;
  }

  app.get('/invitations/:token', {
    schema: {
      tags: ['public'], summary: '查看邀请链接（院校名称、角色、是否有效）',
      params: tokenParam,
      response: {
        200: z.object({ institutionName: z.string(), role: z.enum(INVITED_ROLES), roleName: z.string(), valid: z.boolean(), reason: z.string().optional() }),
        ...errorResponses,
      },
    },
    handler: async (req) => {
      const inv = await find(req.params.token);
      const status = statusOf(inv, clock.now());
      const base = { institutionName: inv.institution_name, role: inv.role as 'coordinator', roleName: '证书负责人' };
      if (status !== 'valid') return { ...base, valid: false, reason: WHY_NOT[status].message };
      if (inv.institution_status !== 'approved') return { ...base, valid: false, reason: '院校尚未审核通过，暂不能注册' };
      return { ...base, valid: true };
    },
  });

  app.post('/invitations/:token/accept', {
    schema: {
      tags: ['public'], summary: '通过邀请链接注册证书负责人（待运营方审核）',
      params: tokenParam,
      body: z.object({ username: usernameField, password: passwordField, displayName: displayNameField, phone: phoneField }),
      response: { 200: z.object({ status: z.literal('pending'), message: z.string() }), ...errorResponses },
    },
    handler: async (req) => {
      const inv = await find(req.params.token);
      const status = statusOf(inv, clock.now());
      if (status !== 'valid') throw conflict(WHY_NOT[status].code, WHY_NOT[status].message);
      if (inv.institution_status !== 'approved') throw conflict('INSTITUTION_NOT_APPROVED', '院校尚未审核通过，暂不能注册');
      const { username, displayName, phone } = req.body;
      if (await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst()) {
        throw conflict('USERNAME_TAKEN', `用户名 ${username} 已被使用，请换一个`);
      }
      const now = clock.now();
      const user = await newUserRow({ ...req.body, role: 'coordinator', institutionId: inv.institution_id, status: 'pending' }, nowIso(now));
      try {
        await db.transaction().execute(async (trx) => {
          // Single use, even when two people accept at the same moment: only one UPDATE matches.
          const used = await trx
            .updateTable('invitations')
            .set({ used_at: nowIso(now), used_by: user.id })
            .where('id', '=', inv.id)
            .where('used_at', 'is', null)
            .where('expires_at', '>', nowIso(now))
            .executeTakeFirst();
          if (Number(used.numUpdatedRows) !== 1) throw conflict(WHY_NOT.used.code, WHY_NOT.used.message);
          await trx.insertInto('users').values(user).execute();
          await recordAudit(trx, username, 'invitation.accept', 'user', user.id, null,
            { username, displayName, phone, role: 'coordinator', status: 'pending', invitationId: inv.id },
            { institutionId: inv.institution_id });
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict('USERNAME_TAKEN', `用户名 ${username} 已被使用，请换一个`);
        throw err;
      }
      return { status: 'pending' as const, message: '注册成功，运营方将在 1–2 个工作日内审核；审核通过后即可登录' };
    },
  });
};
