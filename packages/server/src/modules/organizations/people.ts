import type { Insertable, Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { UsersTable } from '../../db/tables/accounts.ts';
import { hashPassword } from '../../http/passwords.ts';
import { newId } from '../../ids.ts';
import type { StaffRole } from '../accounts/staff-auth.ts';

export interface NewUser {
  username: string;
  password: string;
  role: StaffRole;
  displayName: string;
  institutionId: string;
  status: 'pending' | 'active';
  phone?: string | null;
  classId?: string | null;
  studentNo?: string | null;
  /** A password someone else chose or generated: the owner must change it at first log-in. */
  mustChangePassword?: boolean;
}

/**
 * The row of a new user, password already hashed: built before the
 * transaction (scrypt takes tens of milliseconds and needs no database).
 */
export async function newUserRow(u: NewUser, createdAt: string): Promise<Insertable<UsersTable> & { id: string }> {
  return {
    id: newId(),
    username: u.username,
    password_hash: await hashPassword(u.password),
    role: u.role,
    display_name: u.displayName,
    created_at: createdAt,
    institution_id: u.institutionId,
    status: u.status,
    phone: u.phone ?? null,
    review_note: null,
    class_id: u.classId ?? null,
    student_no: u.studentNo ?? null,
    must_change_password: u.mustChangePassword ? 1 : 0,
  };
}

/** The usernames among `usernames` that are already taken. */
export async function takenUsernames(db: Kysely<DB>, usernames: readonly string[]): Promise<Set<string>> {
  const taken = new Set<string>();
  for (let i = 0; i < usernames.length; i += 500) {
    const chunk = usernames.slice(i, i + 500);
    if (!chunk.length) continue;
    const rows = await db.selectFrom('users').select('username').where('username', 'in', chunk).execute();
    for (const r of rows) taken.add(r.username);
  }
  return taken;
}

/** Hashes many passwords a few at a time (scrypt runs on libuv's thread pool). */
export async function hashAll<T>(items: readonly T[], run: (item: T) => Promise<void>, parallel = 4): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, items.length) }, async () => {
      while (next < items.length) await run(items[next++]!);
    }),
  );
}

/** A user as the console lists them; never the password hash. */
export function presentPerson(u: { id: string; username: string; display_name: string; phone: string | null; status: 'pending' | 'active' | 'rejected' | 'disabled' }) {
  return { id: u.id, username: u.username, displayName: u.display_name, phone: u.phone, status: u.status };
}
