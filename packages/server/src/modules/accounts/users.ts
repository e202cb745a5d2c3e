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

/** The user when the password is right, else null (same time either way for unknown users). */
export async function checkPassword(db: Kysely<DB>, username: string, password: string) {
  const user = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  const ok = await verifyPassword(password, user?.password_hash ?? DUMMY_HASH);
  return user && ok ? user : null;
}

// A valid hash of nothing in particular, so unknown usernames cost a full scrypt too.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
