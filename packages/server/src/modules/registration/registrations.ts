/**
 * 报考管理: candidates registered for a plan at one level and one site, in
 * batches, all or nothing. One level per candidate per plan (manual part 5):
 * a second level is refused naming the level already taken; registering the
 * same level again is refused as well (not silently accepted), so a batch
 * either registers every candidate it lists or none of them.
 */
import { LEVEL_NAMES, type Level } from '@kaowu/core';
import type { Kysely } from 'kysely';
import type { AppContext } from '../../context.ts';
import type { DB } from '../../db/schema.ts';
import { AppError, badRequest, conflict, notFound } from '../../http/errors.ts';
import { newId, nowIso } from '../../ids.ts';
import { shanghaiTime } from '../../time-format.ts';
import { auditChange, canSeeInstitution, institutionFilter, outOfScope } from '../accounts/scope.ts';
import type { StaffUser } from '../accounts/staff-auth.ts';
import { chunks } from '../../db/chunks.ts';
import { uniqueViolation } from '../../db/errors.ts';
import { takeSerials, ticketNumber } from './tickets.ts';

/** Candidates at most in one batch. */
export const BATCH_MAX = 5000;

export interface PlanInfo {
  id: string;
  name: string;
  code: string | null;
  examDate: string;
  /** When registration closes (ms): the plan's deadline, else the start of its first sitting; null when neither is set. */
  deadline: number | null;
  levels: Level[];
}

export async function planInfo(db: Kysely<DB>, planId: string): Promise<PlanInfo> {
  const plan = await db.selectFrom('plans').selectAll().where('id', '=', planId).executeTakeFirst();
  if (!plan) throw notFound('PLAN_NOT_FOUND', '考试计划不存在');
  const sittings = await db.selectFrom('sittings').select(['level', 'starts_at']).where('plan_id', '=', planId).execute();
  return toPlanInfo(plan, sittings);
}

export function toPlanInfo(
  plan: { id: string; name: string; code: string | null; exam_date: string; registration_deadline: string | null },
  sittings: { level: Level; starts_at: string }[],
): PlanInfo {
  const firstStart = sittings.length ? Math.min(...sittings.map((s) => Date.parse(s.starts_at))) : null;
  return {
    id: plan.id,
    name: plan.name,
    code: plan.code,
    examDate: plan.exam_date,
    deadline: plan.registration_deadline ? Date.parse(plan.registration_deadline) : firstStart,
    levels: [...new Set(sittings.map((s) => s.level))].sort((a, b) => LEVEL_ORDER[a] - LEVEL_ORDER[b]),
  };
}

const LEVEL_ORDER: Record<Level, number> = { junior: 0, intermediate: 1, advanced: 2 };

/** Throws when registration for the plan has closed (by the server's clock). */
export function assertOpen(plan: PlanInfo, now: number, what = '报考'): void {
  if (plan.deadline !== null && now >= plan.deadline) {
    throw badRequest('REGISTRATION_CLOSED', `报名已截止（截止时间 ${shanghaiTime(plan.deadline)}），不能再${what}`);
  }
}

export interface RegisterInput {
  planId: string;
  siteId: string;
  level: Level;
  candidateIds: string[];
}

export interface RegisterProblem {
  candidateId: string;
  name: string;
  reason: string;
}

export async function registerCandidates(ctx: AppContext, staff: StaffUser, input: RegisterInput) {
  const db = ctx.db;
  const ids = [...new Set(input.candidateIds)];
  if (ids.length === 0) throw badRequest('NO_CANDIDATES', '请选择要报考的考生');
  if (ids.length > BATCH_MAX) throw badRequest('BATCH_TOO_LARGE', `一次最多报考 ${BATCH_MAX} 名考生，请分批报考`);

  // Everything is read and checked before the transaction (SQLite: one connection).
  const plan = await planInfo(db, input.planId);
  assertOpen(plan, ctx.clock.now());
  if (!plan.code || !/^\d{6}$/.test(plan.code)) throw badRequest('PLAN_WITHOUT_CODE', `考试计划“${plan.name}”还没有 6 位编号，暂不能报考；请联系运营管理员`);
  if (plan.levels.length > 0 && !plan.levels.includes(input.level)) {
    throw badRequest('LEVEL_NOT_IN_PLAN', `考试计划“${plan.name}”没有${LEVEL_NAMES[input.level]}考试（可报：${plan.levels.map((l) => LEVEL_NAMES[l]).join('、')}）`);
  }
  const site = await db.selectFrom('sites').select(['id', 'code', 'name', 'status', 'institution_id']).where('id', '=', input.siteId).executeTakeFirst();
  if (!site) throw notFound('SITE_NOT_FOUND', '考核站点不存在');
  if (site.status !== 'enabled') throw badRequest('SITE_NOT_ENABLED', `考核站点“${site.name}”未启用，不能在此报考（须审核通过并启用）`);
  if (!/^\d{4}$/.test(site.code)) throw badRequest('SITE_CODE_INVALID', `考核站点“${site.name}”的代码不是 4 位数字，不能生成准考证号`);

  const candidates = new Map<string, { id: string; name: string; institution_id: string | null }>();
  for (const part of chunks(ids, 500)) {
    const rows = await db.selectFrom('candidates').select(['id', 'name', 'institution_id']).where('id', 'in', part).execute();
    for (const r of rows) if (canSeeInstitution(staff, r.institution_id)) candidates.set(r.id, r);
  }
  const missing = ids.filter((id) => !candidates.has(id));
  if (missing.length > 0) {
    throw new AppError(404, 'NOT_FOUND', `有 ${missing.length} 名考生不存在或无权访问，本批未报考任何考生`, { candidateIds: missing.slice(0, 100) });
  }

  // One level per plan: every conflict is reported, by name.
  const problems: RegisterProblem[] = [];
  for (const part of chunks(ids, 500)) {
    const taken = await db
      .selectFrom('registrations')
      .select(['candidate_id', 'level', 'ticket_no'])
      .where('plan_id', '=', plan.id)
      .where('candidate_id', 'in', part)
      .execute();
    for (const t of taken) {
      const name = candidates.get(t.candidate_id)!.name;
      const level = LEVEL_NAMES[t.level];
      problems.push({
        candidateId: t.candidate_id,
        name,
        reason: t.level === input.level
          ? `${name} 已报考本计划的${level}（准考证号 ${t.ticket_no}），不能重复报考`
          : `${name} 已报考本计划的${level}，同一考试计划只能报考一个等级`,
      });
    }
  }
  if (problems.length > 0) {
    const order = new Map(ids.map((id, i) => [id, i]));
    problems.sort((a, b) => order.get(a.candidateId)! - order.get(b.candidateId)!);
    const message = problems.length === 1
      ? `${problems[0]!.reason}；本批未报考任何考生`
      : `${problems.length} 名考生不能报考，本批未报考任何考生：${problems.slice(0, 3).map((p) => p.reason).join('；')}${problems.length > 3 ? '……' : ''}`;
    throw badRequest('REGISTRATION_INVALID', message, { problems });
  }

  const now = nowIso(ctx.clock.now());
  const planCode = plan.code;
  const institutions = [...new Set(ids.map((id) => candidates.get(id)!.institution_id))];
  try {
    return await db.transaction().execute(async (trx) => {
      const first = await takeSerials(trx, plan.id, site.id, ids.length);
      const rows = ids.map((id, i) => {
        const c = candidates.get(id)!;
        return {
          id: newId(),
          plan_id: plan.id,
          candidate_id: id,
          level: input.level,
          ticket_no: ticketNumber(planCode, site.code, first + i),
          created_at: now,
          site_id: site.id,
          institution_id: c.institution_id,
          created_by: staff.id,
          name: c.name,
        };
      });
      for (const part of chunks(rows, 500)) {
        await trx.insertInto('registrations').values(part.map(({ name: _name, ...r }) => r)).execute();
      }
      await auditChange(trx, staff, {
        action: 'registration.create',
        entity: 'plan',
        entityId: plan.id,
        after: { siteId: site.id, level: input.level, count: rows.length, firstTicket: rows[0]!.ticket_no, lastTicket: rows[rows.length - 1]!.ticket_no },
        institutionId: institutions.length === 1 ? institutions[0] : staff.institutionId,
      });
      return {
        registered: rows.length,
        registrations: rows.map((r) => ({ id: r.id, candidateId: r.candidate_id, name: r.name, ticketNo: r.ticket_no })),
      };
    });
  } catch (err) {
    if (uniqueViolation(err)) throw conflict('REGISTRATION_CONFLICT', '有考生刚刚被其他人报考了本计划，本批未报考任何考生；请刷新后重试');
    throw err;
  }
}

/** Withdraws one registration: before the deadline, before the site's arrangement is published, and before any attempt. */
export async function withdrawRegistration(ctx: AppContext, staff: StaffUser, id: string): Promise<void> {
  const db = ctx.db;
  const reg = await db
    .selectFrom('registrations')
    .innerJoin('candidates', 'candidates.id', 'registrations.candidate_id')
    .select(['registrations.id', 'registrations.plan_id', 'registrations.site_id', 'registrations.level', 'registrations.ticket_no', 'registrations.institution_id', 'candidates.name'])
    .where('registrations.id', '=', id)
    .executeTakeFirst();
  // Only the institution that registered (and pays) may withdraw; the operator always.
  if (!reg || !canSeeInstitution(staff, reg.institution_id)) throw outOfScope();
  const plan = await planInfo(db, reg.plan_id);
  assertOpen(plan, ctx.clock.now(), '取消报考');
  if (reg.site_id) {
    const arrangement = await db.selectFrom('arrangements').select('state').where('plan_id', '=', reg.plan_id).where('site_id', '=', reg.site_id).executeTakeFirst();
    if (arrangement?.state === 'published') throw conflict('ARRANGEMENT_PUBLISHED', '该考核站点本计划的考场编排已发布，不能取消报考');
  }
  const attempt = await db.selectFrom('attempts').select('id').where('registration_id', '=', id).executeTakeFirst();
  if (attempt) throw conflict('REGISTRATION_HAS_ATTEMPTS', `${reg.name} 已参加考试，不能取消报考`);
  await db.transaction().execute(async (trx) => {
    // A draft arrangement's seat goes with the registration.
    await trx.deleteFrom('seat_assignments').where('registration_id', '=', id).execute();
    await trx.deleteFrom('registrations').where('id', '=', id).execute();
    await auditChange(trx, staff, {
      action: 'registration.delete', entity: 'registration', entityId: id,
      before: { planId: reg.plan_id, siteId: reg.site_id, level: reg.level, ticketNo: reg.ticket_no, name: reg.name },
      institutionId: reg.institution_id,
    });
  });
}

export interface RegistrationFilter {
  planId?: string;
  siteId?: string;
  level?: Level;
  institutionId?: string;
  q?: string;
}

/**
 * Registrations the caller may see: all for the operator; for anyone else
 * those their institution made, and those at their institution's sites.
 */
export async function listRegistrations(ctx: AppContext, staff: StaffUser, f: RegistrationFilter, page: number, pageSize: number) {
  const db = ctx.db;
  if (f.institutionId && staff.role !== 'operator' && f.institutionId !== staff.institutionId) {
    // Another institution's registrations are visible only at one's own site.
    if (!f.siteId) throw outOfScope();
  }
  if (f.siteId) {
    const site = await db.selectFrom('sites').select(['institution_id']).where('id', '=', f.siteId).executeTakeFirst();
    if (!site) throw outOfScope();
  }
  if (f.planId) {
    const plan = await db.selectFrom('plans').select('id').where('id', '=', f.planId).executeTakeFirst();
    if (!plan) throw outOfScope();
  }
  const only = institutionFilter(staff);
  const base = () => {
    let q = db
      .selectFrom('registrations')
      .innerJoin('candidates', 'candidates.id', 'registrations.candidate_id')
      .leftJoin('sites', 'sites.id', 'registrations.site_id');
    if (only !== null) q = q.where((eb) => eb.or([eb('registrations.institution_id', '=', only), eb('sites.institution_id', '=', only)]));
    if (f.planId) q = q.where('registrations.plan_id', '=', f.planId);
    if (f.siteId) q = q.where('registrations.site_id', '=', f.siteId);
    if (f.level) q = q.where('registrations.level', '=', f.level);
    if (f.institutionId) q = q.where('registrations.institution_id', '=', f.institutionId);
    const text = f.q?.replace(/[%_\\]/g, '').trim();
    if (text) {
      q = q.where((eb) => eb.or([
        eb('candidates.name', 'like', `%${text}%`),
        eb('registrations.ticket_no', 'like', `${text}%`),
        eb('candidates.id_number', 'like', `${text.toUpperCase()}%`),
      ]));
    }
    return q;
  };
  const count = await base().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base()
    .innerJoin('plans', 'plans.id', 'registrations.plan_id')
    .leftJoin('institutions', 'institutions.id', 'registrations.institution_id')
    .leftJoin('classes', 'classes.id', 'candidates.class_id')
    .leftJoin('majors', 'majors.id', 'candidates.major_id')
    .select([
      'registrations.id', 'registrations.plan_id', 'registrations.level', 'registrations.ticket_no', 'registrations.site_id', 'registrations.institution_id',
      'registrations.created_at', 'candidates.id as candidate_id', 'candidates.name', 'candidates.id_number', 'candidates.gender',
      'plans.name as plan_name', 'sites.name as site_name', 'institutions.name as institution_name', 'classes.name as class_name', 'majors.name as major_name',
    ])
    .orderBy('registrations.ticket_no')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  return {
    total: Number(count.n),
    page,
    pageSize,
    rows: rows.map((r) => ({
      id: r.id,
      planId: r.plan_id,
      planName: r.plan_name,
      level: r.level,
      ticketNo: r.ticket_no,
      siteId: r.site_id,
      siteName: r.site_name,
      institutionId: r.institution_id,
      institutionName: r.institution_name,
      candidateId: r.candidate_id,
      name: r.name,
      idNumber: r.id_number,
      gender: r.gender,
      className: r.class_name,
      majorName: r.major_name,
      createdAt: r.created_at,
      /** The caller's institution made it (or the caller is the operator): they may withdraw it. */
      mine: canSeeInstitution(staff, r.institution_id),
    })),
  };
}

/** What the 报考 form offers: the plans (with their levels and deadline), the enabled sites, the institutions in scope. */
export async function registrationOptions(ctx: AppContext, staff: StaffUser) {
  const db = ctx.db;
  const plans = await db.selectFrom('plans').select(['id', 'name', 'code', 'exam_date', 'registration_deadline']).orderBy('exam_date', 'desc').orderBy('created_at', 'desc').limit(200).execute();
  const planIds = plans.map((p) => p.id);
  const sittings = planIds.length ? await db.selectFrom('sittings').select(['plan_id', 'level', 'starts_at']).where('plan_id', 'in', planIds).execute() : [];
  const sites = await db
    .selectFrom('sites')
    .innerJoin('institutions', 'institutions.id', 'sites.institution_id')
    .select(['sites.id', 'sites.code', 'sites.name', 'sites.institution_id', 'institutions.name as institution_name'])
    .where('sites.status', '=', 'enabled')
    .orderBy('sites.code')
    .execute();
  const only = institutionFilter(staff);
  let iq = db.selectFrom('institutions').select(['id', 'code', 'name']).where('status', '!=', 'rejected');
  if (only !== null) iq = iq.where('id', '=', only);
  const institutions = await iq.orderBy('code').execute();
  const now = ctx.clock.now();
  return {
    now: nowIso(now),
    plans: plans.map((p) => {
      const info = toPlanInfo(p, sittings.filter((s) => s.plan_id === p.id));
      return {
        id: info.id,
        name: info.name,
        code: info.code,
        examDate: info.examDate,
        deadline: info.deadline === null ? null : nowIso(info.deadline),
        levels: info.levels,
        open: (info.deadline === null || now < info.deadline) && Boolean(info.code),
      };
    }),
    sites: sites.map((s) => ({
      id: s.id, code: s.code, name: s.name, institutionId: s.institution_id, institutionName: s.institution_name,
      own: staff.institutionId !== null && s.institution_id === staff.institutionId,
    })),
    institutions,
  };
}
