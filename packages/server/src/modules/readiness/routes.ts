import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { errorResponses, idParam, isoTime } from '../../http/schemas.ts';
import { badRequest, notFound } from '../../http/errors.ts';
import { nowIso } from '../../ids.ts';
import { auditChange } from '../accounts/scope.ts';
import { requireStaff, type StaffUser } from '../accounts/staff-auth.ts';
import { SITE_STATUS_NAMES } from '../sites/labels.ts';
import { siteInScopeOr404 } from '../sites/site-service.ts';
import { checklist, isManualItem, MANUAL_ITEMS, PHASES } from './checklist.ts';
import { readinessFacts } from './facts.ts';

const tags = ['readiness'];
const security = [{ bearer: [] }];

const ITEM_STATES = ['done', 'missing', 'upcoming', 'overdue'] as const;
const MARKERS = ['operator', 'coordinator', 'site_technician'] as const;

const target = z.object({ planId: idParam.describe('考试计划'), siteId: idParam.describe('考核站点') });
const itemKey = z.string().min(1).max(40);

const readinessView = z.object({
  plan: z.object({ id: z.string(), name: z.string(), code: z.string().nullable(), examDate: z.string(), firstStartsAt: isoTime.nullable() }),
  site: z.object({ id: z.string(), code: z.string(), name: z.string(), status: z.string(), statusName: z.string() }),
  /** The server's clock the states were computed with. */
  now: isoTime,
  registered: z.number().int(),
  phases: z.array(z.object({ key: z.string(), title: z.string() })),
  items: z.array(
    z.object({
      key: z.string(), phase: z.string(), phaseTitle: z.string(), title: z.string(), description: z.string(), due: isoTime,
      state: z.enum(ITEM_STATES), detail: z.string(), manual: z.boolean(),
      mark: z.object({ by: z.string(), at: isoTime, note: z.string().nullable() }).nullable(),
    }),
  ),
  /** Whether the caller may set and clear the marks. */
  canMark: z.boolean(),
});
type ReadinessView = z.infer<typeof readinessView>;

async function planOr404(db: Kysely<DB>, planId: string) {
  const plan = await db.selectFrom('plans').select(['id', 'name', 'code', 'exam_date']).where('id', '=', planId).executeTakeFirst();
  if (!plan) throw notFound('PLAN_NOT_FOUND', '考试计划不存在');
  return plan;
}

async function view(db: Kysely<DB>, staff: StaffUser, planId: string, siteId: string, now: number): Promise<ReadinessView> {
  const site = await siteInScopeOr404(db, staff, siteId);
  const plan = await planOr404(db, planId);
  const facts = await readinessFacts(db, plan.id, plan.exam_date, site);
  const first = facts.sittings.length ? Math.min(...facts.sittings.map((s) => s.startsAt)) : null;
  return {
    plan: { id: plan.id, name: plan.name, code: plan.code, examDate: plan.exam_date, firstStartsAt: first === null ? null : nowIso(first) },
    site: { id: site.id, code: site.code, name: site.name, status: site.status, statusName: SITE_STATUS_NAMES[site.status] },
    now: nowIso(now),
    registered: Object.values(facts.registered).reduce((a, b) => a + (b ?? 0), 0),
    phases: PHASES.map((p) => ({ key: p.key, title: p.title })),
    items: checklist(facts, now),
    canMark: (MARKERS as readonly string[]).includes(staff.role),
  };
}

/** 考前准备: the timeline of part 6 as a checklist per plan and site, and the marks a site sets by hand. */
export const readinessRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const db = ctx.db;
  const readers = requireStaff('operator', 'institution_admin', 'coordinator', 'site_technician');
  const markers = requireStaff(...MARKERS);

  app.get('/readiness/plans', {
    onRequest: readers,
    schema: {
      tags, security, summary: '可查看考前准备的考试计划',
      response: {
        200: z.object({ plans: z.array(z.object({ id: z.string(), name: z.string(), code: z.string().nullable(), examDate: z.string(), firstStartsAt: isoTime.nullable() })) }),
        ...errorResponses,
      },
    },
    handler: async () => {
      const plans = await db
        .selectFrom('plans')
        .select(['id', 'name', 'code', 'exam_date', (eb) => eb.selectFrom('sittings').select((e) => e.fn.min('starts_at').as('m')).whereRef('sittings.plan_id', '=', 'plans.id').as('first')])
        .orderBy('exam_date', 'desc')
        .orderBy('created_at', 'desc')
        .limit(200)
        .execute();
      return { plans: plans.map((p) => ({ id: p.id, name: p.name, code: p.code, examDate: p.exam_date, firstStartsAt: (p.first as string | null) ?? null })) };
    },
  });

  app.get('/readiness', {
    onRequest: readers,
    schema: {
      tags, security, summary: '考前准备清单（按手册考试日程，由数据计算）',
      querystring: z.object({ planId: idParam.optional(), siteId: idParam.optional() }),
      response: { 200: readinessView, ...errorResponses },
    },
    handler: async (req) => {
      const { planId, siteId } = req.query;
      if (!planId) throw badRequest('PLAN_REQUIRED', '请选择考试计划');
      if (!siteId) throw badRequest('SITE_REQUIRED', '请选择考核站点');
      return view(db, req.staff, planId, siteId, ctx.clock.now());
    },
  });

  app.post('/readiness/marks', {
    onRequest: markers,
    schema: {
      tags, security, summary: '确认一项需手工确认的考前准备工作',
      body: target.extend({ item: itemKey, note: z.string().trim().max(200, '备注不能超过 200 个字').optional() }),
      response: { 200: readinessView, ...errorResponses },
    },
    handler: async (req) => {
      const { planId, siteId, item } = req.body;
      const note = req.body.note || null;
      const site = await siteInScopeOr404(db, req.staff, siteId);
      await planOr404(db, planId);
      if (!isManualItem(item)) throw badRequest('NOT_A_MANUAL_ITEM', `“${item}”不是需手工确认的项目：其余项目由系统根据数据自动判断`);
      const now = ctx.clock.now();
      const before = await db.selectFrom('readiness_marks').selectAll().where('plan_id', '=', planId).where('site_id', '=', siteId).where('item', '=', item).executeTakeFirst();
      const at = nowIso(now);
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('readiness_marks')
          .values({ plan_id: planId, site_id: siteId, item, done_by: req.staff.id, done_at: at, note })
          .onConflict((oc) => oc.columns(['plan_id', 'site_id', 'item']).doUpdateSet({ done_by: req.staff.id, done_at: at, note }))
          .execute();
        await auditChange(trx, req.staff, {
          action: 'readiness.mark', entity: 'readiness', entityId: `${planId}/${siteId}/${item}`,
          before: before ? { item, doneBy: before.done_by, doneAt: before.done_at, note: before.note } : null,
          after: { item, title: MANUAL_ITEMS[item].title, doneBy: req.staff.id, doneAt: at, note },
          institutionId: site.institution_id,
        });
      });
      return view(db, req.staff, planId, siteId, now);
    },
  });

  app.delete('/readiness/marks', {
    onRequest: markers,
    schema: {
      tags, security, summary: '撤销一项手工确认',
      querystring: target.extend({ item: itemKey }),
      response: { 200: readinessView, ...errorResponses },
    },
    handler: async (req) => {
      const { planId, siteId, item } = req.query;
      const site = await siteInScopeOr404(db, req.staff, siteId);
      await planOr404(db, planId);
      if (!isManualItem(item)) throw badRequest('NOT_A_MANUAL_ITEM', `“${item}”不是需手工确认的项目`);
      const before = await db.selectFrom('readiness_marks').selectAll().where('plan_id', '=', planId).where('site_id', '=', siteId).where('item', '=', item).executeTakeFirst();
      if (before) {
        await db.transaction().execute(async (trx) => {
          await trx.deleteFrom('readiness_marks').where('plan_id', '=', planId).where('site_id', '=', siteId).where('item', '=', item).execute();
          await auditChange(trx, req.staff, {
            action: 'readiness.unmark', entity: 'readiness', entityId: `${planId}/${siteId}/${item}`,
            before: { item, doneBy: before.done_by, doneAt: before.done_at, note: before.note }, after: null, institutionId: site.institution_id,
          });
        });
      }
      return view(db, req.staff, planId, siteId, ctx.clock.now());
    },
  });
};
