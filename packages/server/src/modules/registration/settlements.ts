/**
 * 结算: per plan and site, what each institution pays, by core's `settle`
 * (300 per registration, 60 refunded by the site; the site's own institution
 * pays 240 directly). The operator sees every site; anyone else sees the whole
 * settlement of their own institution's sites and, at other sites, only their
 * own institution's line.
 */
import { SETTLEMENT_RULE, settle, type SettlementLine, type SettlementTotals } from '@kaowu/core';
import type { AppContext } from '../../context.ts';
import { notFound } from '../../http/errors.ts';
import { outOfScope } from '../accounts/scope.ts';
import type { StaffUser } from '../accounts/staff-auth.ts';
import type { SettlementSheetData } from '../sheets/index.ts';

/** Registrations of candidates with no institution on file (made before institutions existed). */
export const NO_INSTITUTION = { id: '', name: '未登记院校' };

export interface SiteSettlement {
  siteId: string;
  siteCode: string;
  siteName: string;
  siteInstitutionId: string;
  siteInstitutionName: string;
  /** Only the caller's institution's line is shown (a site of another institution). */
  partial: boolean;
  lines: SettlementLine[];
  totals: SettlementTotals;
}

export async function settlements(ctx: AppContext, staff: StaffUser, planId: string, siteId?: string) {
  const db = ctx.db;
  const plan = await db.selectFrom('plans').select(['id', 'name', 'exam_date']).where('id', '=', planId).executeTakeFirst();
  if (!plan) throw notFound('PLAN_NOT_FOUND', '考试计划不存在');
  if (siteId) {
    const site = await db.selectFrom('sites').select('id').where('id', '=', siteId).executeTakeFirst();
    if (!site) throw outOfScope();
  }
  let q = db
    .selectFrom('registrations')
    .select(['registrations.site_id', 'registrations.institution_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('registrations.plan_id', '=', planId)
    .where('registrations.site_id', 'is not', null)
    .groupBy(['registrations.site_id', 'registrations.institution_id']);
  if (siteId) q = q.where('registrations.site_id', '=', siteId);
  const counts = await q.execute();
  const siteIds = [...new Set(counts.map((c) => c.site_id!))];
  const sites = siteIds.length
    ? await db
        .selectFrom('sites')
        .innerJoin('institutions', 'institutions.id', 'sites.institution_id')
        .select(['sites.id', 'sites.code', 'sites.name', 'sites.institution_id', 'institutions.name as institution_name'])
        .where('sites.id', 'in', siteIds)
        .orderBy('sites.code')
        .execute()
    : [];
  const institutionIds = [...new Set(counts.map((c) => c.institution_id).filter((i): i is string => Boolean(i)))];
  const names = new Map(
    (institutionIds.length ? await db.selectFrom('institutions').select(['id', 'name', 'code']).where('id', 'in', institutionIds).execute() : []).map((i) => [i.id, i]),
  );

  const out: SiteSettlement[] = [];
  for (const s of sites) {
    const own = staff.role === 'operator' || (staff.institutionId !== null && s.institution_id === staff.institutionId);
    const entries = counts
      .filter((c) => c.site_id === s.id && (own || (staff.institutionId !== null && c.institution_id === staff.institutionId)))
      .map((c) => ({
        institutionId: c.institution_id ?? NO_INSTITUTION.id,
        institutionName: c.institution_id ? (names.get(c.institution_id)?.name ?? c.institution_id) : NO_INSTITUTION.name,
        count: Number(c.n),
      }))
      // The site's own institution first (settle does that), the others by name.
      .sort((a, b) => a.institutionName.localeCompare(b.institutionName, 'zh-CN'));
    if (entries.length === 0) continue;
    const result = settle(entries, s.institution_id);
    out.push({
      siteId: s.id,
      siteCode: s.code,
      siteName: s.name,
      siteInstitutionId: s.institution_id,
      siteInstitutionName: s.institution_name,
      partial: !own,
      lines: result.lines,
      totals: result.totals,
    });
  }
  if (siteId && out.length === 0 && staff.role !== 'operator') {
    // A site with nothing the caller may see: nothing to tell, whether or not it has registrations.
    const site = await db.selectFrom('sites').select('institution_id').where('id', '=', siteId).executeTakeFirstOrThrow();
    if (site.institution_id !== staff.institutionId) throw outOfScope();
  }
  const sum = (f: (t: SettlementTotals) => number) => out.reduce((a, s) => a + f(s.totals), 0);
  return {
    plan: { id: plan.id, name: plan.name, examDate: plan.exam_date },
    rule: SETTLEMENT_RULE,
    sites: out,
    totals: {
      registrations: sum((t) => t.registrations),
      payable: sum((t) => t.payable),
      refund: sum((t) => t.refund),
      net: sum((t) => t.net),
      operatorShare: sum((t) => t.operatorShare),
      siteShare: sum((t) => t.siteShare),
    },
  };
}

/** The data of one site's settlement sheet (the sheets module writes it). */
export async function settlementSheet(ctx: AppContext, staff: StaffUser, planId: string, siteId: string): Promise<{ data: SettlementSheetData; siteCode: string }> {
  const result = await settlements(ctx, staff, planId, siteId);
  const s = result.sites[0];
  if (!s) throw notFound('NO_REGISTRATIONS', '该考核站点本计划还没有报考，无可结算内容');
  return {
    siteCode: s.siteCode,
    data: {
      planName: result.plan.name,
      siteName: s.siteName + (s.partial ? '（仅本院校）' : ''),
      siteInstitutionName: s.siteInstitutionName,
      lines: s.lines.map((l) => ({ institutionName: l.institutionName, registrations: l.registrations, payable: l.payable, refund: l.refund, net: l.net, mode: l.mode })),
      totals: { registrations: s.totals.registrations, payable: s.totals.payable, refund: s.totals.refund, net: s.totals.net },
    },
  };
}
