import type { Selectable } from 'kysely';
import type { AppContext } from '../../context.ts';
import type { UsersTable } from '../../db/tables/accounts.ts';
import { AppError, unauthorized } from '../../http/errors.ts';
import { accountLocked, assertNotLocked, clearFailedLogins, recordFailedLogin } from './login-throttle.ts';
import type { StaffRole, StaffUser } from './staff-auth.ts';
import { passwordMatches, userByName } from './users.ts';

export const STAFF_TOKEN_TTL_SEC = 12 * 3600;

/** Why an account that is not active cannot sign in. */
const NOT_ACTIVE: Record<string, string> = {
  pending: '账号正在审核中，审核通过后方可登录',
  rejected: '账号注册申请未通过审核',
  disabled: '账号已停用，请联系管理员',
};

/** A fresh session of the user's own, issued at `now`. */
export function openSession(ctx: Pick<AppContext, 'tokens'>, user: Selectable<UsersTable>, now: number): { token: string; user: StaffUser } {
  return {
    token: ctx.tokens.sign('staff', user.id, STAFF_TOKEN_TTL_SEC, now),
    user: {
      id: user.id, username: user.username, role: user.role as StaffRole, displayName: user.display_name,
      institutionId: user.institution_id, actingFor: null, mustChangePassword: Boolean(user.must_change_password),
    },
  };
}

/**
 * 工作人员登录 with the guessing limits of login-throttle.ts. A locked username
 * is refused before its password is looked at; an unknown username costs the
 * same scrypt, counts and locks the same, and answers the same as a wrong
 * password.
 */
export async function logIn(ctx: AppContext, username: string, password: string): Promise<{ token: string; user: StaffUser }> {
  const now = ctx.clock.now();
  await assertNotLocked(ctx.db, username, now);
  const user = await userByName(ctx.db, username);
  const ok = await passwordMatches(user, password);
  if (!user || !ok) {
    const lockedUntil = await recordFailedLogin(ctx.db, username, now);
    if (lockedUntil) throw accountLocked(lockedUntil, now);
    throw unauthorized('INVALID_CREDENTIALS', '用户名或密码不正确');
  }
  if (user.status !== 'active') {
    throw new AppError(403, 'ACCOUNT_NOT_ACTIVE', `${NOT_ACTIVE[user.status] ?? NOT_ACTIVE.disabled}${user.review_note ? `：${user.review_note}` : ''}`);
  }
  const lockedMeanwhile = await clearFailedLogins(ctx.db, username, now);
  if (lockedMeanwhile) throw accountLocked(lockedMeanwhile, now);
  return openSession(ctx, user, now);
}
