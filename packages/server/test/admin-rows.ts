// Rows for the administration tests, written straight into the database
// (institutions, staff accounts, majors, classes), so a test depends on no
// other module's routes; and a staff token without a log-in.

import type { Kysely } from 'kysely';
import type { AppContext } from '../src/context.ts';
import type { DB } from '../src/db/schema.ts';
import { newId, nowIso } from '../src/ids.ts';
import { createUser } from '../src/modules/accounts/users.ts';
import type { StaffRole } from '../src/modules/accounts/staff-auth.ts';

/** An institution (approved unless said otherwise); its id. */
export async function insertInstitution(
  db: Kysely<DB>,
  i: { code: string; name: string; province: string; status?: 'pending' | 'approved'; reviewedAt?: string | null; createdAt?: string },
): Promise<string> {
  const id = newId();
  await db.insertInto('institutions').values({
    id, code: i.code, name: i.name, province: i.province, status: i.status ?? 'approved', review_note: null, reviewed_by: null, reviewed_at: i.reviewedAt ?? null, created_at: i.createdAt ?? nowIso(),
  }).execute();
  return id;
}

/** A staff account, of an institution or of none; its id. */
export async function insertStaff(
  db: Kysely<DB>,
  u: { username: string; password: string; role: StaffRole; displayName: string; institutionId: string | null },
): Promise<string> {
  const id = await createUser(db, { username: u.username, password: u.password, role: u.role, displayName: u.displayName });
  if (u.institutionId) await db.updateTable('users').set({ institution_id: u.institutionId }).where('id', '=', id).execute();
  return id;
}

/** A major of an institution; its id. */
export async function insertMajor(db: Kysely<DB>, institutionId: string, name: string, createdAt: string): Promise<string> {
  const id = newId();
  await db.insertInto('majors').values({ id, institution_id: institutionId, name, created_at: createdAt }).execute();
  return id;
}

/** A class of an institution's major, with its 班主任 and 辅导员 when given; its id. */
export async function insertClass(
  db: Kysely<DB>,
  c: { institutionId: string; majorId: string; name: string; headTeacherId?: string | null; counsellorId?: string | null; createdAt: string },
): Promise<string> {
  const id = newId();
  await db.insertInto('classes').values({
    id, institution_id: c.institutionId, major_id: c.majorId, name: c.name, head_teacher_id: c.headTeacherId ?? null, counsellor_id: c.counsellorId ?? null, created_at: c.createdAt,
  }).execute();
  return id;
}

/** A staff token for the user, valid for 90 days by the app's clock. */
export function staffToken(ctx: AppContext, userId: string): string {
  return ctx.tokens.sign('staff', userId, 90 * 24 * 3600, ctx.clock.now());
}
