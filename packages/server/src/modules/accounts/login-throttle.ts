import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../http/errors.ts';
import { nowIso } from '../../ids.ts';
import { shanghaiTime } from '../../time-format.ts';

/**
 * Password guessing: MAX_FAILED_LOGINS wrong passwords for one username within
 * FAILURE_WINDOW_MS lock its password log-in for LOCK_MS. Kept in the users
 * row, so every app node sees the same count; times come from the server clock.
 */
const MAX_FAILED_LOGINS = 5;
const FAILURE_WINDOW_MS = 15 * 60_000;
const LOCK_MS = 15 * 60_000;

/** 429 ACCOUNT_LOCKED: when the account may try again, in Beijing time and in minutes. */
export function accountLocked(lockedUntil: string, now: number): AppError {
  const until = Date.parse(lockedUntil);
  const minutes = Math.max(1, Math.ceil((until - now) / 60_000));
  return new AppError(
    429, 'ACCOUNT_LOCKED',
    `密码错误次数过多，账号已暂时锁定，请于 ${shanghaiTime(until).slice(11)}（北京时间，约 ${minutes} 分钟后）再试`,
    { lockedUntil, retryAfterSec: Math.max(1, Math.ceil((until - now) / 1000)) },
  );
}

/** Throws ACCOUNT_LOCKED while the user's password log-in is locked. */
export function assertNotLocked(user: { locked_until: string | null } | undefined, now: number): void {
  if (user?.locked_until && user.locked_until > nowIso(now)) throw accountLocked(user.locked_until, now);
}

/**
 * Counts a wrong password for `username` in one guarded UPDATE, so concurrent
 * attempts on any node each count: the first failure after the window starts
 * a new count, the MAX_FAILED_LOGINS-th within it locks the account, and a
 * locked account is not counted further (its lock does not grow). Runs for
 * unknown usernames too, matching no row, so that they take the same path.
 * Returns the lock's end when this failure locked the account.
 */
export async function recordFailedLogin(db: Kysely<DB>, username: string, now: number): Promise<string | null> {
  const at = nowIso(now);
  const row = await db
    .updateTable('users')
    .set((eb) => {
      const fresh = eb.or([eb('failed_login_at', 'is', null), eb('failed_login_at', '<=', nowIso(now - FAILURE_WINDOW_MS))]);
      const count = eb.case().when(fresh).then(1).else(eb('failed_logins', '+', 1)).end();
      return {
        failed_logins: count,
        failed_login_at: eb.case().when(fresh).then(at).else(eb.ref('failed_login_at')).end(),
        locked_until: eb.case().when(count, '>=', MAX_FAILED_LOGINS).then(nowIso(now + LOCK_MS)).else(null).end(),
      };
    })
    .where('username', '=', username)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', at)]))
    .returning('locked_until')
    .executeTakeFirst();
  return row?.locked_until ?? null;
}

/**
 * After a right password the count starts again. Guarded like the count: when
 * concurrent wrong attempts locked the account meanwhile, nothing changes and
 * the lock's end is returned (the log-in is refused); else null.
 */
export async function clearFailedLogins(db: Kysely<DB>, userId: string, now: number): Promise<string | null> {
  const at = nowIso(now);
  const done = await db
    .updateTable('users')
    .set({ failed_logins: 0, failed_login_at: null, locked_until: null })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', at)]))
    .executeTakeFirst();
  if (Number(done.numUpdatedRows) > 0) return null;
  const row = await db.selectFrom('users').select('locked_until').where('id', '=', userId).executeTakeFirst();
  return row?.locked_until ?? at;
}
