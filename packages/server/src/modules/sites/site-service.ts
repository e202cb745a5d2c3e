import crypto from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { SitesTable } from '../../db/tables/administration.ts';
import { AppError, conflict, forbidden } from '../../http/errors.ts';
import { newId, nowIso } from '../../ids.ts';
import type { AuditAction } from '../accounts/audit-names.ts';
import { auditChange, canSeeInstitution, outOfScope } from '../accounts/scope.ts';
import type { StaffUser } from '../accounts/staff-auth.ts';
import { uniqueViolation } from '../../db/errors.ts';
import { SITE_STATUS_NAMES } from './labels.ts';

/**
 * 考核站点: an institution applies, the operator reviews (part 3, 二、(一)):
 * pending → enabled (“审核通过已启用”) | rejected; enabled → disabled; a
 * disabled site may be enabled again. An institution has at most one site
 * pending or enabled (also an index, migration 0005). The 考务协议 moves
 * none → sent → signed, set by the operator. Every change is audited.
 */

export type SiteRow = Selectable<SitesTable>;

export const ALREADY_ENABLED = '本院校已有审核通过并启用的考核站点，无需重复申请';
export const ALREADY_PENDING = '本院校已有正在审核的考核站点申请，请等待审核结果';

const MIN_CODE = 1000;
const MAX_CODE = 9999;

function snapshot(s: SiteRow) {
  return {
    code: s.code, name: s.name, address: s.address, contactName: s.contact_name, contactPhone: s.contact_phone,
    status: s.status, agreementStatus: s.agreement_status, reviewNote: s.review_note,
  };
}

async function openSiteConflict(db: Kysely<DB>, institutionId: string): Promise<AppError | null> {
  const open = await db
    .selectFrom('sites')
    .select('status')
    .where('institution_id', '=', institutionId)
    .where('status', 'in', ['pending', 'enabled'])
    .execute();
  if (open.some((s) => s.status === 'enabled')) return conflict('SITE_ALREADY_ENABLED', ALREADY_ENABLED);
  if (open.length > 0) return conflict('SITE_APPLICATION_PENDING', ALREADY_PENDING);
  return null;
}

/** A 4-digit code (1000–9999: no leading zero for spreadsheets to drop) no site has. */
function freeCode(taken: Set<string>): string {
  for (let i = 0; i < 50; i++) {
    const code = String(crypto.randomInt(MIN_CODE, MAX_CODE + 1));
    if (!taken.has(code)) return code;
  }
  for (let n = MIN_CODE; n <= MAX_CODE; n++) if (!taken.has(String(n))) return String(n);
  throw new AppError(503, 'SITE_CODES_EXHAUSTED', '站点代码已用完，请联系技术支持');
}

export interface SiteApplication {
  name: string;
  address: string;
  contactName: string;
  contactPhone: string;
}

/** A coordinator or institution admin applies for their institution's site. */
export async function applyForSite(db: Kysely<DB>, staff: StaffUser, input: SiteApplication): Promise<SiteRow> {
  const institutionId = staff.institutionId;
  if (!institutionId) throw forbidden('账号未关联院校，不能申请考核站点');
  const institution = await db.selectFrom('institutions').select(['id', 'status']).where('id', '=', institutionId).executeTakeFirst();
  if (!institution) throw forbidden('账号未关联院校，不能申请考核站点');
  if (institution.status !== 'approved') throw conflict('INSTITUTION_NOT_APPROVED', '本院校尚未通过审核，审核通过后方可申请考核站点');

  for (let attempt = 0; attempt < 5; attempt++) {
    const refused = await openSiteConflict(db, institutionId);
    if (refused) throw refused;
    // Read before the transaction (one connection on SQLite): the codes in use.
    const taken = new Set((await db.selectFrom('sites').select('code').execute()).map((r) => r.code));
    const row: SiteRow = {
      id: newId(),
      institution_id: institutionId,
      code: freeCode(taken),
      name: input.name,
      address: input.address,
      contact_name: input.contactName,
      contact_phone: input.contactPhone,
      status: 'pending',
      agreement_status: 'none',
      review_note: null,
      reviewed_by: null,
      reviewed_at: null,
      created_by: staff.id,
      created_at: nowIso(),
    };
    try {
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('sites').values(row).execute();
        await auditChange(trx, staff, { action: 'site.apply', entity: 'site', entityId: row.id, after: snapshot(row), institutionId });
      });
      return row;
    } catch (err) {
      const which = uniqueViolation(err);
      if (which === null) throw err;
      // The code was taken meanwhile: try another. Another application won the race: say so.
      if (/institution/.test(which)) throw (await openSiteConflict(db, institutionId)) ?? conflict('SITE_APPLICATION_PENDING', ALREADY_PENDING);
    }
  }
  throw new AppError(503, 'SITE_CODE_BUSY', '分配站点代码失败，请重试');
}

/** The site, or 404 when it does not exist or is out of the caller's scope. */
export async function siteInScopeOr404(db: Kysely<DB>, staff: StaffUser, siteId: string): Promise<SiteRow> {
  const site = await db.selectFrom('sites').selectAll().where('id', '=', siteId).executeTakeFirst();
  if (!site || !canSeeInstitution(staff, site.institution_id)) throw outOfScope();
  return site;
}

type Transition = {
  action: AuditAction;
  from: readonly SiteRow['status'][];
  to: SiteRow['status'];
  /** Why the transition is not possible from the current status. */
  refused: string;
};

const TRANSITIONS = {
  approve: { action: 'site.approve', from: ['pending', 'disabled'], to: 'enabled', refused: '只有审核中或已停用的站点可以审核通过并启用' },
  reject: { action: 'site.reject', from: ['pending'], to: 'rejected', refused: '只有审核中的申请可以驳回' },
  disable: { action: 'site.disable', from: ['enabled'], to: 'disabled', refused: '只有已启用的站点可以停用' },
} as const satisfies Record<string, Transition>;

/** The operator approves (enables), rejects or disables a site. */
export async function reviewSite(
  db: Kysely<DB>, staff: StaffUser, siteId: string, kind: keyof typeof TRANSITIONS, note: string | null, now: number,
): Promise<SiteRow> {
  const t: Transition = TRANSITIONS[kind];
  const before = await siteInScopeOr404(db, staff, siteId);
  if (!t.from.includes(before.status)) throw conflict('SITE_STATUS', `${t.refused}（当前状态：${SITE_STATUS_NAMES[before.status]}）`);
  const after: SiteRow = { ...before, status: t.to, review_note: note, reviewed_by: staff.id, reviewed_at: nowIso(now) };
  try {
    await db.transaction().execute(async (trx) => {
      const res = await trx
        .updateTable('sites')
        .set({ status: after.status, review_note: after.review_note, reviewed_by: after.reviewed_by, reviewed_at: after.reviewed_at })
        .where('id', '=', siteId)
        .where('status', '=', before.status)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) throw conflict('SITE_CHANGED', '该站点刚被其他人处理过，请刷新后重试');
      await auditChange(trx, staff, {
        action: t.action, entity: 'site', entityId: siteId, before: snapshot(before), after: snapshot(after), institutionId: before.institution_id,
      });
    });
  } catch (err) {
    if (uniqueViolation(err) !== null) throw conflict('SITE_ALREADY_ENABLED', '该院校已有审核中或已启用的考核站点，不能再启用此站点');
    throw err;
  }
  return after;
}

/** The operator records where the 考务协议 stands. */
export async function setAgreement(db: Kysely<DB>, staff: StaffUser, siteId: string, status: SiteRow['agreement_status']): Promise<SiteRow> {
  const before = await siteInScopeOr404(db, staff, siteId);
  if (before.status === 'rejected') throw conflict('SITE_STATUS', '未通过审核的申请不能签署考务协议');
  const after: SiteRow = { ...before, agreement_status: status };
  if (before.agreement_status === status) return after;
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('sites').set({ agreement_status: status }).where('id', '=', siteId).execute();
    await auditChange(trx, staff, {
      action: 'site.agreement', entity: 'site', entityId: siteId, before: snapshot(before), after: snapshot(after), institutionId: before.institution_id,
    });
  });
  return after;
}
