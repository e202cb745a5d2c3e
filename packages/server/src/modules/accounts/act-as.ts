import type { AppContext } from '../../context.ts';
import { conflict, forbidden } from '../../http/errors.ts';
import { auditChange, outOfScope } from './scope.ts';
import type { StaffRole, StaffUser } from './staff-auth.ts';

/** A "log in as" session is short: the coordinator comes back to their own account after it. */
export const ACT_AS_TOKEN_TTL_SEC = 2 * 3600;

/**
 * 登录此账号: a coordinator acts as an active teacher of their own institution.
 * The token's `act` names the coordinator; every change made under it is
 * audited with acting_for (auditChange). Never from an acting session.
 */
export async function startActingAs(ctx: AppContext, staff: StaffUser, userId: string): Promise<{ token: string; user: StaffUser }> {
  if (staff.actingFor) throw conflict('ALREADY_ACTING', '当前已在代登录状态，请先退出当前账号');
  if (staff.role !== 'coordinator') throw forbidden('只有证书负责人可以登录教师账号');
  const teacher = await ctx.db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'role', 'status', 'institution_id'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!teacher || teacher.role !== 'teacher' || !staff.institutionId || teacher.institution_id !== staff.institutionId) throw outOfScope();
  if (teacher.status !== 'active') throw conflict('ACCOUNT_NOT_ACTIVE', '该教师账号未启用，不能登录');
  const actingFor = { id: staff.id, username: staff.username, displayName: staff.displayName };
  const user: StaffUser = {
    id: teacher.id, username: teacher.username, role: 'teacher', displayName: teacher.display_name, institutionId: teacher.institution_id, actingFor,
    mustChangePassword: false,
  };
  await auditChange(ctx.db, staff, {
    action: 'actAs.start', entity: 'user', entityId: teacher.id, institutionId: teacher.institution_id,
    before: { username: staff.username, role: staff.role }, after: { username: teacher.username, role: 'teacher' },
  });
  return { token: ctx.tokens.sign('staff', teacher.id, ACT_AS_TOKEN_TTL_SEC, ctx.clock.now(), staff.id), user };
}

/** Back to the coordinator's own account, with a fresh token of their own. */
export async function endActingAs(ctx: AppContext, staff: StaffUser, ownTtlSec: number): Promise<{ token: string; user: StaffUser }> {
  if (!staff.actingFor) throw conflict('NOT_ACTING', '当前不是代登录状态');
  const me = await ctx.db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'role', 'status', 'institution_id', 'must_change_password'])
    .where('id', '=', staff.actingFor.id)
    .executeTakeFirst();
  if (!me || me.status !== 'active') throw forbidden('您的账号已不可用');
  await auditChange(ctx.db, staff, {
    action: 'actAs.end', entity: 'user', entityId: staff.id, institutionId: staff.institutionId,
    before: { username: staff.username, role: staff.role }, after: { username: me.username, role: me.role },
  });
  return {
    token: ctx.tokens.sign('staff', me.id, ownTtlSec, ctx.clock.now()),
    user: {
      id: me.id, username: me.username, role: me.role as StaffRole, displayName: me.display_name, institutionId: me.institution_id, actingFor: null,
      mustChangePassword: Boolean(me.must_change_password),
    },
  };
}
