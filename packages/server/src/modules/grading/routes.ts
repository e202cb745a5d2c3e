import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CHECK_VERDICTS, ITEM_TYPES, LEVELS, MARKING_STATE_NAMES, type MarkingState } from '@kaowu/core';
import { errorResponses, idParam } from '../../http/schemas.ts';
import { requireStaff } from '../accounts/staff-auth.ts';
import type { GradingBackend } from './backend.ts';
import { MarkingService } from './marking.ts';
import { planResults, practicalBreakdown } from './results.ts';

const tags = ['grading'];
const security = [{ bearer: [] }];
const markingStates = Object.keys(MARKING_STATE_NAMES) as [MarkingState, ...MarkingState[]];

const gradingResult = z.object({
  taskId: z.string(),
  earned: z.number(),
  max: z.number(),
  sandboxMs: z.number(),
  checks: z.array(z.object({ id: z.string(), name: z.string(), sample: z.boolean(), verdict: z.enum(CHECK_VERDICTS), points: z.number(), earned: z.number(), message: z.string(), timeMs: z.number() })),
});

const markingItem = z.object({
  markingId: z.string(),
  task: z.object({
    questionId: z.string(),
    code: z.string(),
    type: z.enum(ITEM_TYPES),
    title: z.string(),
    statementHtml: z.string(),
    points: z.number(),
    rubric: z.array(z.object({ id: z.string(), name: z.string(), points: z.number(), description: z.string().optional() })),
    checks: z.array(z.object({ id: z.string(), name: z.string(), points: z.number(), sample: z.boolean() })),
    doubleMarking: z.number().nullable(),
  }),
  answer: z.object({
    files: z.record(z.string(), z.string()).nullable(),
    text: z.string().nullable(),
    upload: z.object({ name: z.string(), size: z.number(), sha256: z.string() }).nullable(),
  }),
  checks: gradingResult.nullable(),
  autoState: z.string(),
  marking: z.object({ state: z.enum(markingStates), round: z.number().int().nullable(), marksGiven: z.number().int() }),
  myMark: z
    .object({ round: z.number().int(), items: z.array(z.object({ id: z.string(), points: z.number(), comment: z.string().optional() })), total: z.number(), comment: z.string().nullable(), updatedAt: z.string() })
    .nullable(),
});

const markBody = z.object({
  items: z.array(z.object({ id: z.string().max(40), points: z.number().min(0).max(100), comment: z.string().max(500).optional() })).min(1).max(20),
  comment: z.string().max(2000).optional(),
  reason: z.string().max(500).optional(),
});

const paperResult = z.object({ state: z.enum(['not_entered', 'in_progress', 'grading', 'final', 'disqualified', 'absent']).describe('disqualified：取消考试资格；absent：缺考'), score: z.number().nullable(), maxScore: z.number().nullable() });

/** 阅卷 for graders and operators; scores and grading status for operators. */
export const gradingRoutes: FastifyPluginAsyncZod<{ grading: GradingBackend | null }> = async (app, { grading }) => {
  const marking = new MarkingService(app.ctx);
  const graders = requireStaff('grader', 'operator');
  const operators = requireStaff('operator');

  app.get('/grading/tasks', {
    onRequest: graders,
    schema: {
      tags, security, summary: '需要人工评分的实操题与阅卷进度',
      response: {
        200: z.object({
          tasks: z.array(z.object({
            questionId: z.string(), code: z.string(), type: z.enum(ITEM_TYPES), title: z.string(), doubleMarking: z.number().nullable(),
            submissions: z.number().int(), final: z.number().int(), needsArbitration: z.number().int(), forMe: z.number().int(), markedByMe: z.number().int(),
          })),
        }),
        ...errorResponses,
      },
    },
    handler: async (req) => ({ tasks: await marking.tasks(req.staff) }),
  });

  app.get('/grading/tasks/:questionId/next', {
    onRequest: graders,
    schema: { tags, security, summary: '取下一份待评答卷（匿名）', params: z.object({ questionId: idParam }), response: { 200: z.object({ item: markingItem.nullable() }), ...errorResponses } },
    handler: async (req) => ({ item: await marking.next(req.staff, req.params.questionId) }),
  });

  app.get('/grading/items/:markingId', {
    onRequest: graders,
    schema: { tags, security, summary: '一份答卷（匿名）', params: z.object({ markingId: idParam }), response: { 200: markingItem, ...errorResponses } },
    handler: async (req) => marking.item(req.staff, req.params.markingId),
  });

  app.put('/grading/items/:markingId/mark', {
    onRequest: graders,
    schema: { tags, security, summary: '给分或改分（改分须填原因，均记入审计日志）', params: z.object({ markingId: idParam }), body: markBody, response: { 200: markingItem, ...errorResponses } },
    handler: async (req) => marking.mark(req.staff, req.params.markingId, req.body),
  });

  app.get('/grading/items/:markingId/upload', {
    onRequest: graders,
    schema: { tags, security, summary: '下载上传题的项目压缩包', params: z.object({ markingId: idParam }) },
    handler: async (req, reply) => {
      const file = await marking.upload(req.params.markingId);
      return reply.type('application/zip').header('Content-Disposition', `attachment; filename="${file.name}"`).send(file.content);
    },
  });

  app.get('/grading/status', {
    onRequest: operators,
    schema: {
      tags, security, summary: '自动判分状态（沙箱与任务）',
      response: {
        200: z.object({
          mode: z.enum(['in-process', 'bullmq', 'off']),
          sandbox: z.object({ available: z.boolean(), reason: z.string().optional() }),
          jobs: z.record(z.string(), z.number().int()),
        }),
        ...errorResponses,
      },
    },
    handler: async () => {
      const counts = await app.ctx.db.selectFrom('grading_jobs').select(['state', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('state').execute();
      const sandbox = grading ? await grading.sandboxStatus() : { available: false, reason: '本节点未启用判分（GRADING=off）' };
      return {
        mode: grading?.kind ?? ('off' as const),
        sandbox: { available: sandbox.available, ...(sandbox.reason ? { reason: sandbox.reason } : {}) },
        jobs: Object.fromEntries(counts.map((c) => [c.state, Number(c.n)])),
      };
    },
  });

  app.get('/plans/:planId/results', {
    onRequest: operators,
    schema: {
      tags, security, summary: '考生成绩（理论、实操与综合成绩；未发布前考生不可见）',
      params: z.object({ planId: idParam }),
      response: {
        200: z.object({
          plan: z.object({ id: z.string(), name: z.string() }),
          settings: z.object({ weights: z.object({ theory: z.number(), practical: z.number() }), passMark: z.number(), decimals: z.number() }),
          rows: z.array(z.object({
            registrationId: z.string(), ticketNo: z.string(), name: z.string(), level: z.enum(LEVELS),
            theory: paperResult,
            practical: paperResult.extend({ auto: z.number().nullable(), manual: z.number().nullable(), attemptId: z.string().nullable() }),
            combined: z.number().nullable(),
            passed: z.boolean().nullable(),
          })),
        }),
        ...errorResponses,
      },
    },
    handler: async (req) => planResults(app.ctx, req.params.planId),
  });

  app.get('/attempts/:attemptId/practical', {
    onRequest: operators,
    schema: {
      tags, security, summary: '实操试卷逐题得分（自动 + 人工）',
      params: z.object({ attemptId: idParam }),
      response: {
        200: z.object({
          auto: z.number(), manual: z.number(), complete: z.boolean(), score: z.number().nullable(), maxScore: z.number(),
          tasks: z.array(z.object({
            questionId: z.string(), code: z.string(), title: z.string(), type: z.enum(ITEM_TYPES), paperPoints: z.number(),
            auto: z.number().nullable(), manual: z.number().nullable(), marking: z.union([z.enum(markingStates), z.literal('not-needed')]), blank: z.boolean(),
            autoState: z.string().nullable(), autoError: z.string().nullable(),
          })),
        }),
        ...errorResponses,
      },
    },
    handler: async (req) => practicalBreakdown(app.ctx, req.params.attemptId),
  });
};
