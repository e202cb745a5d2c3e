import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { LEVELS, LEVEL_NAMES, PAPERS, PAPER_NAMES, type Level, type Paper } from '@kaowu/core';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { errorResponses, idParam, isoTime } from '../../http/schemas.ts';
import { badRequest, conflict, notFound } from '../../http/errors.ts';
import { nowIso } from '../../ids.ts';
import { shanghaiDate } from '../../time-format.ts';
import { auditChange } from '../accounts/scope.ts';
import { requireStaff, type StaffUser } from '../accounts/staff-auth.ts';
import { uniqueViolation } from '../../db/errors.ts';
import { createPlan, type NewPlan } from './plan-service.ts';
import { loadPresets, planFromPreset, presetViews } from './plan-presets.ts';
import { isCalendarDate, parseShanghaiDateTime } from './plan-time.ts';
import { certificateConfigSchema } from './reference-data.ts';

const tags = ['plans'];
const security = [{ bearer: [] }];

const dateField = (what: string) =>
  z.string({ error: `请填写${what}` }).trim().refine(isCalendarDate, `${what}应为有效日期，格式 YYYY-MM-DD`);
const dateTimeField = (what: string) =>
  z.string({ error: `请填写${what}` }).trim().min(1, `请填写${what}`).max(40, `${what}格式不正确`);
const planName = z.string({ error: '请填写计划名称' }).trim().min(1, '请填写计划名称').max(80, '计划名称不能超过 80 个字');

const newPlanBody = z.object({
  certificateCode: z.string().trim().min(1).max(40).default('python-dev'),
  name: planName,
  examDate: dateField('考试日期'),
  registrationDeadline: dateTimeField('报名截止时间'),
  sittings: z
    .array(
      z.object({
        level: z.enum(LEVELS, { error: '等级应为 junior、intermediate 或 advanced' }),
        paper: z.enum(PAPERS, { error: '科目应为 theory 或 practical' }),
        startsAt: dateTimeField('开考时间'),
        durationMin: z.number().int('考试时长应为整数分钟').min(10, '考试时长至少 10 分钟').max(600, '考试时长不能超过 600 分钟').optional(),
      }),
      { error: '请填写场次' },
    )
    .min(1, '至少需要一个场次')
    .max(12, '场次过多'),
});

const fromPresetBody = z.object({
  preset: z.string().trim().min(1, '请选择要复制的计划').max(40),
  examDate: dateField('考试日期').optional(),
  name: planName.optional(),
  registrationDeadline: dateTimeField('报名截止时间').optional(),
});

const patchBody = z
  .object({ name: planName, registrationDeadline: dateTimeField('报名截止时间') })
  .partial()
  .refine((b) => Object.keys(b).length > 0, '没有要修改的内容');

const sittingView = z.object({ id: z.string(), name: z.string(), level: z.enum(LEVELS), paper: z.enum(PAPERS), startsAt: isoTime, endsAt: isoTime });
const planDetail = z.object({
  id: z.string(),
  code: z.string().nullable(),
  name: z.string(),
  certificate: z.object({ code: z.string(), name: z.string() }),
  examDate: z.string(),
  registrationDeadline: isoTime.nullable(),
  createdAt: isoTime,
  /** The first sitting has begun: name and deadline can no longer change. */
  started: z.boolean(),
  candidates: z.number().int(),
  sittings: z.array(sittingView),
});

const presetList = z.object({
  certificate: z.string(),
  deadlineRule: z.string(),
  presets: z.array(
    z.object({
      key: z.string(), name: z.string(), examDate: z.string(), registrationDeadline: isoTime,
      sittings: z.array(z.object({ level: z.enum(LEVELS), paper: z.enum(PAPERS), startsAt: isoTime, endsAt: isoTime })),
      suggestedDate: z.string(), suggestedName: z.string(),
    }),
  ),
});

type Sittings = { level: Level; paper: Paper; startsAt: number; durationMin?: number }[];

async function planDetailOf(db: Kysely<DB>, planId: string, now: number): Promise<z.infer<typeof planDetail>> {
  const plan = await db
    .selectFrom('plans')
    .innerJoin('certificates', 'certificates.id', 'plans.certificate_id')
    .select(['plans.id', 'plans.code', 'plans.name', 'plans.exam_date', 'plans.registration_deadline', 'plans.created_at', 'certificates.code as certCode', 'certificates.name as certName'])
    .where('plans.id', '=', planId)
    .executeTakeFirst();
  if (!plan) throw notFound('PLAN_NOT_FOUND', '考试计划不存在');
  const sittings = await db.selectFrom('sittings').selectAll().where('plan_id', '=', planId).orderBy('starts_at').orderBy('level').execute();
  const count = await db.selectFrom('registrations').select((eb) => eb.fn.countAll<number>().as('n')).where('plan_id', '=', planId).executeTakeFirstOrThrow();
  const first = sittings.length ? Math.min(...sittings.map((s) => Date.parse(s.starts_at))) : null;
  return {
    id: plan.id,
    code: plan.code,
    name: plan.name,
    certificate: { code: plan.certCode, name: plan.certName },
    examDate: plan.exam_date,
    registrationDeadline: plan.registration_deadline,
    createdAt: plan.created_at,
    started: first !== null && now >= first,
    candidates: Number(count.n),
    sittings: sittings.map((s) => ({ id: s.id, name: s.name, level: s.level, paper: s.paper, startsAt: s.starts_at, endsAt: s.ends_at })),
  };
}

function parseDeadline(text: string): number {
  const ms = parseShanghaiDateTime(text);
  if (ms === null) throw badRequest('INVALID_DEADLINE', '报名截止时间格式不正确：请写成“2024-05-04 17:00”（北京时间）或带时区的 ISO 时间');
  return ms;
}

/**
 * The rules a new plan must meet, checked before anything is written: every
 * sitting on the exam date (Beijing), one sitting per level and paper, a
 * level's papers not overlapping, the first sitting still to come, and the
 * registration deadline after now and before the first sitting.
 */
async function checkNewPlan(db: Kysely<DB>, plan: NewPlan & { registrationDeadline: number }, now: number): Promise<void> {
  const cert = await db.selectFrom('certificates').select(['name', 'config']).where('code', '=', plan.certificateCode).executeTakeFirst();
  if (!cert) throw badRequest('CERTIFICATE_NOT_FOUND', `证书 ${plan.certificateCode} 不存在`);
  const config = certificateConfigSchema.parse(JSON.parse(cert.config));
  const seen = new Set<string>();
  const spans: { level: Level; paper: Paper; start: number; end: number }[] = [];
  for (const s of plan.sittings) {
    const label = `${LEVEL_NAMES[s.level]}${PAPER_NAMES[s.paper]}`;
    if (seen.has(`${s.level}/${s.paper}`)) throw badRequest('DUPLICATE_SITTING', `${label}场次重复：每个等级的每科只能有一个场次`);
    seen.add(`${s.level}/${s.paper}`);
    if (shanghaiDate(s.startsAt) !== plan.examDate) throw badRequest('SITTING_NOT_ON_EXAM_DATE', `${label}场次的开考时间不在考试日期 ${plan.examDate} 当天`);
    const duration = s.durationMin ?? config.papers[s.paper]?.durationMin ?? 0;
    spans.push({ level: s.level, paper: s.paper, start: s.startsAt, end: s.startsAt + duration * 60_000 });
  }
  for (const a of spans) {
    for (const b of spans) {
      if (a !== b && a.level === b.level && a.paper === 'theory' && b.paper === 'practical' && a.start < b.end && b.start < a.end) {
        throw badRequest('SITTINGS_OVERLAP', `${LEVEL_NAMES[a.level]}的理论与实操场次时间重叠：同一考生须参加两场考试`);
      }
    }
  }
  const first = Math.min(...spans.map((s) => s.start));
  if (first <= now) throw badRequest('PLAN_IN_PAST', '开考时间已过：请选择今后的考试日期');
  if (plan.registrationDeadline >= first) throw badRequest('DEADLINE_AFTER_START', '报名截止时间必须早于第一场考试的开考时间');
  if (plan.registrationDeadline <= now) throw badRequest('DEADLINE_PASSED', '报名截止时间已过：请设置今后的时间');
  const sameName = await db
    .selectFrom('plans')
    .innerJoin('certificates', 'certificates.id', 'plans.certificate_id')
    .select('plans.id')
    .where('certificates.code', '=', plan.certificateCode)
    .where('plans.name', '=', plan.name)
    .executeTakeFirst();
  if (sameName) throw conflict('PLAN_NAME_TAKEN', `已有名为“${plan.name}”的考试计划`);
}

/** Checks, then creates the plan and audits it in one transaction (a new code on the rare code clash). */
async function createCheckedPlan(db: Kysely<DB>, staff: StaffUser, plan: NewPlan & { registrationDeadline: number }, now: number, source: string | null): Promise<string> {
  await checkNewPlan(db, plan, now);
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction().execute(async (trx) => {
        const { planId, code } = await createPlan(trx, plan);
        await auditChange(trx, staff, {
          action: 'plan.create', entity: 'plan', entityId: planId,
          after: {
            code, name: plan.name, examDate: plan.examDate, registrationDeadline: nowIso(plan.registrationDeadline), preset: source,
            sittings: plan.sittings.map((s) => ({ level: s.level, paper: s.paper, startsAt: nowIso(s.startsAt), durationMin: s.durationMin ?? null })),
          },
        });
        return planId;
      });
    } catch (err) {
      if (attempt < 3 && uniqueViolation(err)?.includes('code')) continue;
      throw err;
    }
  }
}

/** 考试计划: the operator creates plans (by hand or from the 2024 presets) and edits name and deadline. */
export const planRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const db = ctx.db;
  app.addHook('onRequest', requireStaff('operator'));

  app.get('/plan-presets', {
    schema: { tags, security, summary: '手册中的 2024 年考试计划（可复制为新计划）', response: { 200: presetList, ...errorResponses } },
    handler: async () => presetViews(ctx.clock.now()),
  });

  app.post('/plans', {
    schema: { tags, security, summary: '新建考试计划', body: newPlanBody, response: { 200: planDetail, ...errorResponses } },
    handler: async (req) => {
      const b = req.body;
      const sittings: Sittings = b.sittings.map((s) => {
        const startsAt = parseShanghaiDateTime(s.startsAt, b.examDate);
        if (startsAt === null) {
          throw badRequest('INVALID_START', `${LEVEL_NAMES[s.level]}${PAPER_NAMES[s.paper]}的开考时间格式不正确：请写成“08:30”“2024-05-18 08:30”或带时区的 ISO 时间`);
        }
        return { level: s.level, paper: s.paper, startsAt, durationMin: s.durationMin };
      });
      const now = ctx.clock.now();
      const plan = { certificateCode: b.certificateCode, name: b.name, examDate: b.examDate, registrationDeadline: parseDeadline(b.registrationDeadline), sittings };
      const planId = await createCheckedPlan(db, req.staff, plan, now, null);
      return planDetailOf(db, planId, now);
    },
  });

  app.post('/plans/from-preset', {
    schema: { tags, security, summary: '复制 2024 年计划为新计划（可换考试日期）', body: fromPresetBody, response: { 200: planDetail, ...errorResponses } },
    handler: async (req) => {
      const file = loadPresets();
      const preset = file.presets.find((p) => p.key === req.body.preset);
      if (!preset) throw badRequest('PRESET_NOT_FOUND', `没有这个预设计划：${req.body.preset}`);
      const base = planFromPreset(file, req.body.examDate ?? preset.examDate);
      const now = ctx.clock.now();
      const plan = {
        ...base,
        name: req.body.name ?? base.name,
        registrationDeadline: req.body.registrationDeadline ? parseDeadline(req.body.registrationDeadline) : base.registrationDeadline,
      };
      const planId = await createCheckedPlan(db, req.staff, plan, now, preset.key);
      return planDetailOf(db, planId, now);
    },
  });

  app.get('/plans/:planId', {
    schema: { tags, security, summary: '考试计划详情与场次', params: z.object({ planId: idParam }), response: { 200: planDetail, ...errorResponses } },
    handler: async (req) => planDetailOf(db, req.params.planId, ctx.clock.now()),
  });

  app.patch('/plans/:planId', {
    schema: {
      tags, security, summary: '修改计划名称或报名截止时间（开考后不能修改）',
      params: z.object({ planId: idParam }), body: patchBody, response: { 200: planDetail, ...errorResponses },
    },
    handler: async (req) => {
      const now = ctx.clock.now();
      const before = await planDetailOf(db, req.params.planId, now);
      if (before.started) throw conflict('PLAN_STARTED', '考试已开始，不能再修改计划名称或报名截止时间');
      const name = req.body.name ?? before.name;
      const deadline = req.body.registrationDeadline !== undefined ? parseDeadline(req.body.registrationDeadline) : null;
      const first = before.sittings.length ? Math.min(...before.sittings.map((s) => Date.parse(s.startsAt))) : null;
      if (deadline !== null && first !== null && deadline >= first) throw badRequest('DEADLINE_AFTER_START', '报名截止时间必须早于第一场考试的开考时间');
      if (name !== before.name) {
        const cert = before.certificate.code;
        const same = await db
          .selectFrom('plans').innerJoin('certificates', 'certificates.id', 'plans.certificate_id').select('plans.id')
          .where('certificates.code', '=', cert).where('plans.name', '=', name).where('plans.id', '<>', before.id)
          .executeTakeFirst();
        if (same) throw conflict('PLAN_NAME_TAKEN', `已有名为“${name}”的考试计划`);
      }
      const after = { name, registrationDeadline: deadline !== null ? nowIso(deadline) : before.registrationDeadline };
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('plans').set({ name: after.name, registration_deadline: after.registrationDeadline }).where('id', '=', before.id).execute();
        await auditChange(trx, req.staff, {
          action: 'plan.update', entity: 'plan', entityId: before.id,
          before: { name: before.name, registrationDeadline: before.registrationDeadline }, after,
        });
      });
      return planDetailOf(db, before.id, now);
    },
  });
};
