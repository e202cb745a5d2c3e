import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ITEM_TYPES, LEVELS, PAPERS } from '@kaowu/core';
import { errorResponses, idParam, isoTime } from '../../http/schemas.ts';
import { badRequest, notFound } from '../../http/errors.ts';
import { requireStaff } from '../accounts/staff-auth.ts';
import { importBank } from '../bank/import-bank.ts';
import { formatProblem } from '../bank/bank-file.ts';
import { recordAudit } from '../accounts/audit.ts';

const tags = ['console'];
const security = [{ bearer: [] }];

const planSummary = z.object({
  id: z.string(),
  /** 6 digits, part of ticket numbers. */
  code: z.string().nullable(),
  name: z.string(),
  examDate: z.string(),
  certificate: z.string(),
  createdAt: isoTime,
  candidates: z.number().int(),
  sittings: z.array(
    z.object({ id: z.string(), name: z.string(), level: z.enum(LEVELS), paper: z.enum(PAPERS), startsAt: isoTime, endsAt: isoTime }),
  ),
});

const attemptRow = z.object({
  registrationId: z.string(),
  ticketNo: z.string(),
  name: z.string(),
  attemptId: z.string().nullable(),
  state: z.enum(['not_entered', 'in_progress', 'submitted']),
  startedAt: isoTime.nullable(),
  deadline: isoTime.nullable(),
  submittedAt: isoTime.nullable(),
  submitReason: z.enum(['candidate', 'deadline', 'fullscreen-exit', 'proctor', 'disqualified']).nullable(),
  answered: z.number().int(),
  score: z.number().nullable(),
  maxScore: z.number().nullable(),
  fullscreenExits: z.number().int(),
});

/** The operator's console: plans, sittings, attempts and the bank. */
export const consoleRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', requireStaff('operator'));
  const db = app.ctx.db;

  app.get('/plans', {
    schema: { tags, security, summary: '考试计划列表', response: { 200: z.object({ plans: z.array(planSummary) }), ...errorResponses } },
    handler: async () => {
      const plans = await db
        .selectFrom('plans')
        .innerJoin('certificates', 'certificates.id', 'plans.certificate_id')
        .select(['plans.id', 'plans.code', 'plans.name', 'plans.exam_date', 'plans.created_at', 'certificates.name as certificate'])
        .orderBy('plans.created_at', 'desc')
        .limit(200)
        .execute();
      const ids = plans.map((p) => p.id);
      const sittings = ids.length ? await db.selectFrom('sittings').selectAll().where('plan_id', 'in', ids).orderBy('starts_at').execute() : [];
      const counts = ids.length
        ? await db.selectFrom('registrations').select(['plan_id', (eb) => eb.fn.countAll<number>().as('n')]).where('plan_id', 'in', ids).groupBy('plan_id').execute()
        : [];
      return {
        plans: plans.map((p) => ({
          id: p.id,
          code: p.code,
          name: p.name,
          examDate: p.exam_date,
          certificate: p.certificate,
          createdAt: p.created_at,
          candidates: Number(counts.find((c) => c.plan_id === p.id)?.n ?? 0),
          sittings: sittings
            .filter((s) => s.plan_id === p.id)
            .map((s) => ({ id: s.id, name: s.name, level: s.level, paper: s.paper, startsAt: s.starts_at, endsAt: s.ends_at })),
        })),
      };
    },
  });

  app.get('/sittings/:sittingId/attempts', {
    schema: {
      tags, security, summary: '场次考生与作答情况',
      params: z.object({ sittingId: idParam }),
      response: {
        200: z.object({ sitting: z.object({ id: z.string(), name: z.string(), startsAt: isoTime, endsAt: isoTime, sebRequired: z.boolean() }), rows: z.array(attemptRow) }),
        ...errorResponses,
      },
    },
    handler: async (req) => {
      const sitting = await db.selectFrom('sittings').selectAll().where('id', '=', req.params.sittingId).executeTakeFirst();
      if (!sitting) throw notFound('SITTING_NOT_FOUND', '没有找到该场次');
      const rows = await db
        .selectFrom('registrations')
        .innerJoin('candidates', 'candidates.id', 'registrations.candidate_id')
        .leftJoin('attempts', (j) => j.onRef('attempts.registration_id', '=', 'registrations.id').on('attempts.sitting_id', '=', sitting.id))
        .select([
          'registrations.id as registrationId', 'registrations.ticket_no', 'candidates.name', 'attempts.id as attemptId', 'attempts.state',
          'attempts.started_at', 'attempts.deadline_at', 'attempts.submitted_at', 'attempts.submit_reason', 'attempts.score', 'attempts.max_score',
          'attempts.fullscreen_exits',
          (eb) => eb.selectFrom('answers').select(eb.fn.countAll<number>().as('n')).whereRef('answers.attempt_id', '=', 'attempts.id').as('answered'),
        ])
        .where('registrations.plan_id', '=', sitting.plan_id)
        .where('registrations.level', '=', sitting.level)
        .orderBy('registrations.ticket_no')
        .execute();
      return {
        sitting: { id: sitting.id, name: sitting.name, startsAt: sitting.starts_at, endsAt: sitting.ends_at, sebRequired: sitting.seb_config_key !== null },
        rows: rows.map((r) => ({
          registrationId: r.registrationId,
          ticketNo: r.ticket_no,
          name: r.name,
          attemptId: r.attemptId,
          state: r.state ?? ('not_entered' as const),
          startedAt: r.started_at,
          deadline: r.deadline_at,
          submittedAt: r.submitted_at,
          submitReason: r.submit_reason,
          answered: Number(r.answered ?? 0),
          score: r.score === null ? null : Number(r.score),
          maxScore: r.max_score === null ? null : Number(r.max_score),
          fullscreenExits: Number(r.fullscreen_exits ?? 0),
        })),
      };
    },
  });

  app.get('/bank/summary', {
    schema: {
      tags, security, summary: '题库统计（按等级与题型）',
      response: { 200: z.object({ rows: z.array(z.object({ level: z.enum(LEVELS), type: z.enum(ITEM_TYPES), count: z.number().int() })) }), ...errorResponses },
    },
    handler: async () => {
      const rows = await db
        .selectFrom('questions')
        .select(['level', 'type', (eb) => eb.fn.countAll<number>().as('n')])
        .where('active', '=', 1)
        .groupBy(['level', 'type'])
        .orderBy('level')
        .execute();
      return { rows: rows.map((r) => ({ level: r.level, type: r.type, count: Number(r.n) })) };
    },
  });

  app.post('/bank/import', {
    schema: {
      tags, security, summary: '导入题库文件（全部成功或全部不导入）',
      body: z.object({ filename: z.string().min(1).max(200), content: z.string().min(1, '文件为空').max(4 * 1024 * 1024) }),
      response: {
        200: z.object({ certificate: z.string(), level: z.string(), added: z.number().int(), revised: z.number().int(), unchanged: z.number().int() }),
        ...errorResponses,
      },
    },
    handler: async (req) => {
      const result = await importBank(db, req.body.content, req.body.filename);
      if (!result.ok) {
        throw badRequest('BANK_INVALID', `题库文件有 ${result.problems.length} 处错误，未导入任何题目`, {
          problems: result.problems.map((p) => ({ ...p, text: formatProblem(req.body.filename, p) })),
        });
      }
      app.ctx.questions.invalidatePools();
      await recordAudit(db, req.staff.username, 'bank.import', 'bank', `${result.report.certificate}/${result.report.level}`, null, result.report);
      return result.report;
    },
  });
};
