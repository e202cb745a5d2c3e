import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { assertInstitution, institutionFilter, outOfScope } from '../accounts/scope.ts';
import type { StaffUser } from '../accounts/staff-auth.ts';
import type { Institution, Major, SchoolClass } from '../sheets/index.ts';

/**
 * Institutions, majors and classes the caller may use: every institution's
 * for the operator, else only their own institution's. Read before any
 * transaction (SQLite has one connection).
 */
export async function institutionsInScope(db: Kysely<DB>, staff: StaffUser): Promise<Institution[]> {
  const only = institutionFilter(staff);
  let q = db.selectFrom('institutions').select(['id', 'code', 'name']).where('status', '!=', 'rejected');
  if (only !== null) q = q.where('id', '=', only);
  return q.orderBy('code').execute();
}

export async function majorsInScope(db: Kysely<DB>, staff: StaffUser): Promise<Major[]> {
  const only = institutionFilter(staff);
  let q = db.selectFrom('majors').select(['id', 'name', 'institution_id']);
  if (only !== null) q = q.where('institution_id', '=', only);
  const rows = await q.orderBy('name').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, institutionId: r.institution_id }));
}

export async function classesInScope(db: Kysely<DB>, staff: StaffUser): Promise<SchoolClass[]> {
  const only = institutionFilter(staff);
  let q = db.selectFrom('classes').select(['id', 'name', 'major_id', 'institution_id']);
  if (only !== null) q = q.where('institution_id', '=', only);
  const rows = await q.orderBy('name').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, majorId: r.major_id, institutionId: r.institution_id }));
}

/** A major the caller may see, or 404. */
export async function majorInScope(db: Kysely<DB>, staff: StaffUser, id: string) {
  const m = await db.selectFrom('majors').selectAll().where('id', '=', id).executeTakeFirst();
  if (!m) throw outOfScope();
  assertInstitution(staff, m.institution_id);
  return m;
}

/** A class the caller may see, or 404. */
export async function classInScope(db: Kysely<DB>, staff: StaffUser, id: string) {
  const c = await db.selectFrom('classes').selectAll().where('id', '=', id).executeTakeFirst();
  if (!c) throw outOfScope();
  assertInstitution(staff, c.institution_id);
  return c;
}
