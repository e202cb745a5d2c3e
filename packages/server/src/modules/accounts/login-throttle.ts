import type { ExpressionBuilder, Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../http/errors.ts';
import { nowIso } from '../../ids.ts';
import { shanghaiTime } from '../../time-format.ts';

/**
 * Password guessing: MAX_FAILED_LOGINS wrong passwords for one username within
 * FAILURE_WINDOW_MS lock its password log-in for LOCK_MS. Counted per username
 * typed, in login_failures, whether an account has it or not: a name nobody
 * has locks just like a real one, so the 429 tells nobody which names exist.
 * In the database, so every app node sees the same count; times come from the
 * server clock.
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

/** A login_failures row not locked at `at` (never locked, or its lock over). */
const unlockedAt = (at: string) => (eb: ExpressionBuilder<DB, 'login_failures'>) =>
  eb.or([eb('login_failures.locked_until', 'is', null), eb('login_failures.locked_until', '<=', at)]);

/** The end of the lock on `username` running at `at`, or null. */
async function lockOf(db: Kysely<DB>, username: string, at: string): Promise<string | null> {
  const row = await db.selectFrom('login_failures').select('locked_until').where('username', '=', username).where('locked_until', '>', at).executeTakeFirst();
  return row?.locked_until ?? null;
}

/** Throws ACCOUNT_LOCKED while password log-in with `username` is locked. */
export async function assertNotLocked(db: Kysely<DB>, username: string, now: number): Promise<void> {
  const lockedUntil = await lockOf(db, username, nowIso(now));
  if (lockedUntil) throw accountLocked(lockedUntil, now);
}

/**
 * Counts a wrong password for `username` in one guarded upsert, so concurrent
 * attempts on any node each count: the first failure after the window starts
 * a new count, the MAX_FAILED_LOGINS-th within it locks the name, and a locked
 * name is not counted further (its lock does not grow). Rows whose window and
 * lock have both passed are swept on the way, so names typed once do not pile
 * up. Returns the lock's end when this failure locked the name.
 */
export async function recordFailedLogin(db: Kysely<DB>, username: string, now: number): Promise<string | null> {
  const at = nowIso(now);
  const windowStart = nowIso(now - FAILURE_WINDOW_MS);
  await db.deleteFrom('login_failures').where('first_at', '<=', windowStart).where(unlockedAt(at)).execute();
  const row = await db
    .insertInto('login_failures')
    .values({ username, failures: 1, first_at: at, locked_until: null })
    .onConflict((oc) =>
      oc
        .column('username')
        .doUpdateSet((eb) => {
          const fresh = eb('login_failures.first_at', '<=', windowStart);
          const count = eb.case().when(fresh).then(1).else(eb('login_failures.failures', '+', 1)).end();
          return {
            failures: count,
            first_at: eb.case().when(fresh).then(at).else(eb.ref('login_failures.first_at')).end(),
            locked_until: eb.case().when(count, '>=', MAX_FAILED_LOGINS).then(nowIso(now + LOCK_MS)).else(null).end(),
          };
        })
        .where(unlockedAt(at)),
    )
    .returning('locked_until')
    .executeTakeFirst();
  return row?.locked_until ?? null;
}

/**
 * After a right password the count starts again. Guarded like the count: when
 * concurrent wrong attempts locked the name meanwhile, nothing changes and the
 * lock's end is returned (the log-in is refused); else null.
 */
export async function clearFailedLogins(db: Kysely<DB>, username: string, now: number): Promise<string | null> {
  const at = nowIso(now);
  await db.deleteFrom('login_failures').where('username', '=', username).where(unlockedAt(at)).execute();
  return lockOf(db, username, at);
}
