import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../../http/schemas.ts';
import { institutionFilter } from '../accounts/scope.ts';
import { ADMINISTRATION_STAFF, requireStaff } from '../accounts/staff-auth.ts';
import { publishArrangement, runArrangement } from './arrange-service.ts';
import { arrangementView } from './arrangement-view.ts';
import { loadTarget } from './load.ts';
import { runProctors, setChief, setRoomProctors, viewProctors } from './proctor-service.ts';
import {
  arrangementView as arrangementSchema, chiefBody, proctorRunBody, proctorSetBody, proctorView as proctorSchema, runBody, runResponse, targetBody,
  targetQuery, targetsResponse,
} from './schemas.ts';

const tags = ['arrangement'];
const security = [{ bearer: [] }];

/**
 * 考场编排 and 监考安排 (manual parts 3 and 5): the coordinator of the site's
 * institution, or the operator. A site outside the caller's scope answers 404.
 */
export const arrangementRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const db = ctx.db;
  const staff = requireStaff(...ADMINISTRATION_STAFF);

  app.get('/arrangements/targets', {
    onRequest: staff,
    schema: { tags, security, summary: '可编排的考试计划与考核站点（运营管理员：全部站点；证书负责人：本院校）', response: { 200: targetsResponse, ...errorResponses } },
    handler: async (req) => {
      const plans = await db.selectFrom('plans').select(['id', 'name', 'code', 'exam_date']).orderBy('exam_date', 'desc').orderBy('created_at', 'desc').limit(200).execute();
      let q = db
        .selectFrom('sites')
        .innerJoin('institutions', 'institutions.id', 'sites.institution_id')
        .select(['sites.id', 'sites.code', 'sites.name', 'sites.status', 'institutions.name as institution_name'])
        .where('sites.status', 'in', ['enabled', 'disabled'])
        .orderBy('sites.code')
        .limit(2000);
      const institution = institutionFilter(req.staff);
      if (institution !== null) q = q.where('sites.institution_id', '=', institution);
      const sites = await q.execute();
      return {
        plans: plans.map((p) => ({ id: p.id, name: p.name, code: p.code, examDate: p.exam_date })),
        sites: sites.map((s) => ({ id: s.id, code: s.code, name: s.name, institutionName: s.institution_name, status: s.status })),
      };
    },
  });

  app.get('/arrangements', {
    onRequest: staff,
    schema: { tags, security, summary: '考场编排：考场、座位图、未安排的考生', querystring: targetQuery, response: { 200: arrangementSchema, ...errorResponses } },
    handler: async (req) => arrangementView(db, await loadTarget(db, req.staff, req.query.planId, req.query.siteId)),
  });

  app.post('/arrangements/run', {
    onRequest: staff,
    schema: {
      tags, security,
      summary: '编排（每个考场一个级别、同班考生错开；已发布的编排保留每个座位，新报考的考生排入空位）',
      body: runBody,
      response: { 200: runResponse, ...errorResponses },
    },
    handler: async (req) => runArrangement(ctx, req.staff, req.body),
  });

  app.post('/arrangements/publish', {
    onRequest: staff,
    schema: { tags, security, summary: '发布考场编排（仍有考生未安排座位时不能发布）', body: targetBody, response: { 200: arrangementSchema, ...errorResponses } },
    handler: async (req) => publishArrangement(ctx, req.staff, req.body),
  });

  app.get('/proctor-assignments', {
    onRequest: staff,
    schema: { tags, security, summary: '监考安排：各考场的监考员、回避情况、主考', querystring: targetQuery, response: { 200: proctorSchema, ...errorResponses } },
    handler: async (req) => viewProctors(ctx, req.staff, req.query.planId, req.query.siteId),
  });

  app.post('/proctor-assignments/run', {
    onRequest: staff,
    schema: {
      tags, security, summary: '自动安排监考员（每 40 名考生 2 名；本专业教师、班主任、辅导员回避；保留仍符合要求的安排）',
      body: proctorRunBody, response: { 200: proctorSchema, ...errorResponses },
    },
    handler: async (req) => runProctors(ctx, req.staff, req.body),
  });

  app.put('/proctor-assignments', {
    onRequest: staff,
    schema: {
      tags, security, summary: '手工设置一个考场的监考员（检查回避，每人每个考试计划只监考一个考场）',
      body: proctorSetBody, response: { 200: proctorSchema, ...errorResponses },
    },
    handler: async (req) => setRoomProctors(ctx, req.staff, req.body),
  });

  app.put('/proctor-assignments/chief', {
    onRequest: staff,
    schema: { tags, security, summary: '指定（或取消）本考点本计划的主考', body: chiefBody, response: { 200: proctorSchema, ...errorResponses } },
    handler: async (req) => setChief(ctx, req.staff, req.body),
  });
};
