import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { notFound } from '../../http/errors.ts';
import type { AuditAction, AuditEntity } from './audit-names.ts';
import { recordAudit } from './audit.ts';
import type { StaffUser } from './staff-auth.ts';

/**
 * Scopes (docs/administration.md): the operator sees every institution; everyone
 * else sees only their own. A record outside the caller's scope answers 404, the
 * same as a record that does not exist, so guessed ids tell nothing.
 */
export const outOfScope = () => notFound('NOT_FOUND', '记录不存在或无权访问');

/** Whether `staff` may see records of `institutionId`. */
export function canSeeInstitution(staff: StaffUser, institutionId: string | null | undefined): boolean {
  if (staff.role === 'operator') return true;
  return Boolean(institutionId) && staff.institutionId === institutionId;
}

/** Throws 404 unless `staff` may see records of `institutionId`. */
export function assertInstitution(staff: StaffUser, institutionId: string | null | undefined): void {
  if (!canSeeInstitution(staff, institutionId)) throw outOfScope();
}

/** The institution a list is limited to: null (all) for the operator, else the caller's own. */
export function institutionFilter(staff: StaffUser): string | null {
  if (staff.role === 'operator') return null;
  // An institution role without an institution sees nothing (never everything).
  return staff.institutionId ?? '\u0000none';
}

/** The site's institution, or a 404 when the site is missing or out of scope. */
export async function siteInScope(db: Kysely<DB>, staff: StaffUser, siteId: string) {
  const site = await db.selectFrom('sites').selectAll().where('id', '=', siteId).executeTakeFirst();
  if (!site || !canSeeInstitution(staff, site.institution_id)) throw outOfScope();
  return site;
}

/**
 * One audit line for a change made by `staff`: the account, and under "log in as"
 * the user who really acted; the institution, so that it can read its own log;
 * the command line when the change came from it.
 */
export async function auditChange(
  db: Kysely<DB>, staff: StaffUser,
  change: { action: AuditAction; entity: AuditEntity; entityId: string; before?: unknown; after?: unknown; institutionId?: string | null },
): Promise<void> {
  await recordAudit(db, staff.username, change.action, change.entity, change.entityId, change.before ?? null, change.after ?? null, {
    actingFor: staff.actingFor?.username ?? null,
    institutionId: change.institutionId ?? staff.institutionId,
    via: staff.via ?? null,
  });
}
