import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses, idParam } from '../../http/schemas.ts';
import { institutionFilter } from '../accounts/scope.ts';
import { requireStaff } from '../accounts/staff-auth.ts';
import { createRoom, deleteRoom, updateRoom } from './room-service.ts';
import { agreementBody, disableBody, rejectBody, roomBody, roomPatchBody, siteApplicationBody, siteDetail, siteSummary } from './schemas.ts';
import { applyForSite, reviewSite, setAgreement, siteInScopeOr404 } from './site-service.ts';
import { ROOM_EDITORS, siteDetail as buildSiteDetail, siteSummaries } from './site-view.ts';

const tags = ['sites'];
const security = [{ bearer: [] }];

const siteParams = z.object({ siteId: idParam });
const roomParams = z.object({ siteId: idParam, roomId: idParam });
const detailQuery = z.object({ planId: idParam.optional() });
const detailResponse = { 200: siteDetail, ...errorResponses };

/**
 * 考核站点 and 考场 (manual parts 3–5). Institution people see their own
 * institution's sites only (404 otherwise); the operator sees all and reviews.
 */
export const siteRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const db = ctx.db;
  const readers = requireStaff('operator', 'institution_admin', 'coordinator', 'site_technician');
  const applicants = requireStaff('coordinator', 'institution_admin');
  const operators = requireStaff('operator');
  const roomEditors = requireStaff(...ROOM_EDITORS);

  const detail = async (req: { staff: Parameters<typeof buildSiteDetail>[1] }, siteId: string, planId?: string) =>
    buildSiteDetail(db, req.staff, await siteInScopeOr404(db, req.staff, siteId), planId, ctx.clock.now());

  app.get('/sites', {
    onRequest: readers,
    schema: {
      tags, security, summary: '考核站点列表（运营管理员：全部；院校人员：本院校）',
      querystring: z.object({ status: z.enum(['pending', 'enabled', 'rejected', 'disabled'], { error: '状态应为 pending、enabled、rejected 或 disabled' }).optional() }),
      response: { 200: z.object({ sites: z.array(siteSummary) }), ...errorResponses },
    },
    handler: async (req) => {
      let q = db.selectFrom('sites').selectAll().orderBy('created_at', 'desc').limit(1000);
      const institution = institutionFilter(req.staff);
      if (institution !== null) q = q.where('institution_id', '=', institution);
      if (req.query.status) q = q.where('status', '=', req.query.status);
      return { sites: await siteSummaries(db, await q.execute()) };
    },
  });

  app.post('/sites', {
    onRequest: applicants,
    schema: { tags, security, summary: '申请考核站点（证书负责人或院校管理员）', body: siteApplicationBody, response: detailResponse },
    handler: async (req) => {
      const site = await applyForSite(db, req.staff, req.body);
      return detail(req, site.id);
    },
  });

  app.get('/sites/:siteId', {
    onRequest: readers,
    schema: { tags, security, summary: '考核站点详情：考场与提示', params: siteParams, querystring: detailQuery, response: detailResponse },
    handler: async (req) => detail(req, req.params.siteId, req.query.planId),
  });

  app.post('/sites/:siteId/approve', {
    onRequest: operators,
    schema: { tags, security, summary: '审核通过并启用考核站点（也用于重新启用已停用的站点）', params: siteParams, response: detailResponse },
    handler: async (req) => {
      await reviewSite(db, req.staff, req.params.siteId, 'approve', null, ctx.clock.now());
      return detail(req, req.params.siteId);
    },
  });

  app.post('/sites/:siteId/reject', {
    onRequest: operators,
    schema: { tags, security, summary: '驳回考核站点申请（须写明原因）', params: siteParams, body: rejectBody, response: detailResponse },
    handler: async (req) => {
      await reviewSite(db, req.staff, req.params.siteId, 'reject', req.body.reason, ctx.clock.now());
      return detail(req, req.params.siteId);
    },
  });

  app.post('/sites/:siteId/disable', {
    onRequest: operators,
    schema: { tags, security, summary: '停用考核站点', params: siteParams, body: disableBody.optional(), response: detailResponse },
    handler: async (req) => {
      await reviewSite(db, req.staff, req.params.siteId, 'disable', req.body?.reason || null, ctx.clock.now());
      return detail(req, req.params.siteId);
    },
  });

  app.post('/sites/:siteId/agreement', {
    onRequest: operators,
    schema: { tags, security, summary: '设置考务协议状态（未发送 / 已发送 / 已签署）', params: siteParams, body: agreementBody, response: detailResponse },
    handler: async (req) => {
      await setAgreement(db, req.staff, req.params.siteId, req.body.status);
      return detail(req, req.params.siteId);
    },
  });

  app.post('/sites/:siteId/rooms', {
    onRequest: roomEditors,
    schema: { tags, security, summary: '新增考场', params: siteParams, body: roomBody, response: detailResponse },
    handler: async (req) => {
      const site = await siteInScopeOr404(db, req.staff, req.params.siteId);
      await createRoom(db, req.staff, site, req.body);
      return detail(req, site.id);
    },
  });

  app.patch('/sites/:siteId/rooms/:roomId', {
    onRequest: roomEditors,
    schema: { tags, security, summary: '修改考场', params: roomParams, body: roomPatchBody, response: detailResponse },
    handler: async (req) => {
      const site = await siteInScopeOr404(db, req.staff, req.params.siteId);
      await updateRoom(db, req.staff, site, req.params.roomId, req.body, ctx.clock.now());
      return detail(req, site.id);
    },
  });

  app.delete('/sites/:siteId/rooms/:roomId', {
    onRequest: roomEditors,
    schema: { tags, security, summary: '删除考场（已有编排的考场不能删除）', params: roomParams, response: detailResponse },
    handler: async (req) => {
      const site = await siteInScopeOr404(db, req.staff, req.params.siteId);
      await deleteRoom(db, req.staff, site, req.params.roomId);
      return detail(req, site.id);
    },
  });
};
