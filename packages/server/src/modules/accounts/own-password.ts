import type { z } from 'zod';
import type { Kysely } from 'kysely';
import type { AppContext } from '../../context.ts';
import type { DB } from '../../db/schema.ts';
import { badRequest, conflict, forbidden } from '../../http/errors.ts';
import { hashPassword } from '../../http/passwords.ts';
import { nowIso } from '../../ids.ts';
import { accountLocked, assertNotLocked, recordFailedLogin } from './login-throttle.ts';
import { openSession } from './login.ts';
import { isUsername, type changePasswordBody } from './password-policy.ts';
import { auditChange } from './scope.ts';
import type { StaffUser } from './staff-auth.ts';
import { passwordMatches } from './users.ts';

/**
 * 修改密码: the account's owner, with the current password (a wrong one counts
 * like a failed log-in). Every session opened before ends; the caller gets a
 * fresh one. Never under "log in as": the coordinator does not learn or set a
 * teacher's password.
 */
export async function changeOwnPassword(
  ctx: AppContext, staff: StaffUser, body: z.infer<typeof changePasswordBody>,
): Promise<{ token: string; user: StaffUser }> {
  if (staff.actingFor) throw forbidden('代登录状态下不能修改密码，请由教师本人登录后修改');
  if (isUsername(body.newPassword, staff.username)) {
    const message = '新密码不能与用户名相同';
    throw badRequest('VALIDATION_FAILED', `请求体不正确：newPassword：${message}`, { details: [{ path: 'newPassword', message }] });
  }
  const now = ctx.clock.now();
  const user = await ctx.db.selectFrom('users').selectAll().where('id', '=', staff.id).executeTakeFirstOrThrow();
  await assertNotLocked(ctx.db, user.username, now);
  if (!(await passwordMatches(user, body.currentPassword))) {
    const lockedUntil = await recordFailedLogin(ctx.db, user.username, now);
    if (lockedUntil) throw accountLocked(lockedUntil, now);
    throw badRequest('WRONG_PASSWORD', '当前密码不正确');
  }
  const changed = {
    password_hash: await hashPassword(body.newPassword), password_changed_at: nowIso(now), must_change_password: 0,
  };
  await ctx.db.transaction().execute(async (trx) => {
    // Guarded by the old hash: of two changes at once, one wins and the other is told.
    const done = await trx.updateTable('users').set(changed).where('id', '=', user.id).where('password_hash', '=', user.password_hash).executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) throw conflict('PASSWORD_CHANGED', '密码刚刚已被修改，请重新登录');
    await trx.deleteFrom('login_failures').where('username', '=', user.username).execute();
    // The password itself never goes into the log.
    await auditChange(trx, staff, {
      action: 'account.changePassword', entity: 'user', entityId: user.id,
      before: { username: user.username }, after: { username: user.username, passwordChanged: true },
    });
  });
  return openSession(ctx, { ...user, ...changed }, now);
}
