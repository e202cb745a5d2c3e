import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { hashPassword, verifyPassword } from '../../http/passwords.ts';
import { newId, nowIso } from '../../ids.ts';
import type { StaffRole } from './staff-auth.ts';

export async function createUser(db: Kysely<DB>, u: { username: string; password: string; role: StaffRole; displayName: string }) {
  const id = newId();
  await db
    .insertInto('users')
    .values({ id, username: u.username, password_hash: await hashPassword(u.password), role: u.role, display_name: u.displayName, created_at: nowIso() })
    .execute();
  return id;
}

/** The user (every column) with this username, if any. */
export function userByName(db: Kysely<DB>, username: string) {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

/** Whether `password` is the user's; for no user a full scrypt runs all the same (same time), and the answer is false. */
export async function passwordMatches(user: { password_hash: string } | undefined, password: string): Promise<boolean> {
  const ok = await verifyPassword(password, user?.password_hash ?? DUMMY_HASH);
  return ok && user !== undefined;
}

/** The user when the password is right, else null (same time either way for unknown users). */
export async function checkPassword(db: Kysely<DB>, username: string, password: string) {
  const user = await userByName(db, username);
  return (await passwordMatches(user, password)) ? user! : null;
}

/**
 * What a password set by someone else (a reset) writes: the sessions opened
 * before end, and the owner must choose a new password first.
 */
export function resetPasswordColumns(passwordHash: string, now: number) {
  return { password_hash: passwordHash, password_changed_at: nowIso(now), must_change_password: 1 };
}

// A valid hash of nothing in particular, so unknown usernames cost a full scrypt too.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
