import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses, idParam } from '../../http/schemas.ts';
import { loadTarget } from '../arrangement/load.ts';
import { requireStaff } from '../accounts/staff-auth.ts';
import { PRINT_KIND_NAMES, PRINT_KINDS } from './print-data.ts';
import { contentDisposition, printFileNames, printPapers } from './print-service.ts';

const tags = ['printing'];
const security = [{ bearer: [] }];

const query = z.object({
  planId: idParam.describe('考试计划'),
  siteId: idParam.describe('考核站点'),
  roomId: idParam.optional().describe('只打印这个考场'),
});

/**
 * 打印准考证、考场门贴、考场桌贴、签到表 (manual part 5, 三、) from the
 * published 考场编排, as A4 PDFs: GET /print/tickets|door|desk|signin. The
 * coordinator of the site's institution or the operator; each download writes
 * a print_log row for the readiness checklist.
 */
export const printingRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const db = ctx.db;
  const staff = requireStaff('operator', 'coordinator');

  for (const kind of PRINT_KINDS) {
    app.get(`/print/${kind}`, {
      onRequest: staff,
      schema: {
        tags, security,
        summary: `打印${PRINT_KIND_NAMES[kind]}（PDF，A4；须先发布考场编排）`,
        querystring: query,
        response: { 200: z.any().describe('application/pdf'), ...errorResponses },
      },
      handler: async (req, reply) => {
        const { plan, site } = await loadTarget(db, req.staff, req.query.planId, req.query.siteId);
        const room = req.query.roomId
          ? ((await db.selectFrom('rooms').select(['id', 'name']).where('id', '=', req.query.roomId).where('site_id', '=', site.id).executeTakeFirst()) ?? null)
          : null;
        const out = await printPapers(db, { kind, plan, sites: [site], roomId: req.query.roomId, printedBy: req.staff.id, now: ctx.clock.now() });
        const names = printFileNames(kind, plan, site, room);
        return reply
          .type('application/pdf')
          .header('Content-Disposition', contentDisposition(names.name, names.ascii))
          .header('Cache-Control', 'no-store')
          .header('X-Pages', String(out.pages))
          .header('X-Candidates', String(out.candidates))
          .send(out.pdf);
      },
    });
  }
};
