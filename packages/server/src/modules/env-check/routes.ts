import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses, idParam, isoTime } from '../../http/schemas.ts';
import { AppError, badRequest, notFound } from '../../http/errors.ts';
import { newId, nowIso } from '../../ids.ts';
import { requireStaff } from '../accounts/staff-auth.ts';
import { siteInScopeOr404 } from '../sites/site-service.ts';
import { browserOf, envFailures } from './rules.ts';

const security = [{ bearer: [] }];
/** Posts per address and minute: a room of 40 machines behind one NAT address still fits. */
const POSTS_PER_MINUTE = 120;

const siteCode = z.string({ error: '请填写考核站点代码' }).trim().regex(/^\d{4}$/, '考核站点代码应为 4 位数字');
const ms = z.number().int().min(-86_400_000).max(86_400_000);

const envCheckBody = z.object({
  siteCode,
  roomId: idParam,
  seatNo: z.number({ error: '请填写座位号' }).int('座位号应为整数').min(1, '座位号至少为 1').max(300, '座位号不能超过 300'),
  screen: z.object({ width: z.number().int().min(0).max(20_000), height: z.number().int().min(0).max(20_000) }),
  localStorage: z.boolean(),
  fullscreen: z.boolean(),
  clockOffsetMs: ms.nullable(),
  latencyMs: z.number().int().min(0).max(600_000).nullable(),
  outsideReachable: z.boolean().nullable(),
});

const envCheckResult = z.object({
  id: z.string(),
  at: isoTime,
  passed: z.boolean(),
  failures: z.array(z.string()),
  browser: z.string(),
  browserVersion: z.number().int().nullable(),
});

/** A fixed one-minute window per address; the map is dropped when it grows large. */
class PerMinute {
  private window = 0;
  private counts = new Map<string, number>();
  take(key: string, now: number, limit: number): boolean {
    const w = Math.floor(now / 60_000);
    if (w !== this.window || this.counts.size > 50_000) {
      this.window = w;
      this.counts = new Map();
    }
    const n = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, n);
    return n <= limit;
  }
}

/** 环境检测 from the exam client's check page (no log-in: it runs before the exam), and the server's time. */
export const envCheckPublicRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const tags = ['public'];
  const limiter = new PerMinute();

  app.get('/time', {
    schema: { tags, summary: '服务器时间（环境检测测量时间差与延迟）', response: { 200: z.object({ serverNow: isoTime, serverMs: z.number() }) } },
    handler: async (_req, reply) => {
      reply.header('Cache-Control', 'no-store');
      const now = ctx.clock.now();
      return { serverNow: nowIso(now), serverMs: now };
    },
  });

  const enabledSite = async (code: string) => {
    const site = await ctx.db.selectFrom('sites').select(['id', 'code', 'name']).where('code', '=', code).where('status', '=', 'enabled').executeTakeFirst();
    if (!site) throw notFound('SITE_NOT_FOUND', '没有找到该考核站点，或站点未启用');
    return site;
  };

  app.get('/env-check/rooms', {
    schema: {
      tags, summary: '环境检测：考核站点的考场列表',
      querystring: z.object({ siteCode }),
      response: { 200: z.object({ site: z.object({ code: z.string(), name: z.string() }), rooms: z.array(z.object({ id: z.string(), name: z.string(), seats: z.number().int() })) }), ...errorResponses },
    },
    handler: async (req) => {
      const site = await enabledSite(req.query.siteCode);
      const rooms = await ctx.db.selectFrom('rooms').select(['id', 'name', 'seats']).where('site_id', '=', site.id).orderBy('name').execute();
      return { site: { code: site.code, name: site.name }, rooms };
    },
  });

  app.post('/env-check', {
    bodyLimit: 8 * 1024,
    schema: { tags, summary: '环境检测：提交本机检测结果', body: envCheckBody, response: { 200: envCheckResult, ...errorResponses } },
    handler: async (req) => {
      const now = ctx.clock.now();
      if (!limiter.take(req.ip, now, POSTS_PER_MINUTE)) throw new AppError(429, 'ENV_CHECK_RATE_LIMITED', '提交过于频繁，请稍后再试');
      const b = req.body;
      const site = await enabledSite(b.siteCode);
      const room = await ctx.db.selectFrom('rooms').select(['id', 'seats']).where('id', '=', b.roomId).where('site_id', '=', site.id).executeTakeFirst();
      if (!room) throw notFound('ROOM_NOT_FOUND', '该考核站点没有这个考场');
      if (b.seatNo > room.seats) throw badRequest('SEAT_NOT_FOUND', `座位号不能超过本考场的考位数 ${room.seats}`);
      const userAgent = String(req.headers['user-agent'] ?? '').slice(0, 400);
      const { browser, version } = browserOf(userAgent);
      const failures = envFailures({
        browser, browserVersion: version, screenWidth: b.screen.width, screenHeight: b.screen.height,
        localStorage: b.localStorage, fullscreen: b.fullscreen, clockOffsetMs: b.clockOffsetMs, latencyMs: b.latencyMs, outsideReachable: b.outsideReachable,
      });
      const id = newId();
      const at = nowIso(now);
      await ctx.db
        .insertInto('env_checks')
        .values({
          id, site_id: site.id, room_id: room.id, seat_no: b.seatNo, ip: req.ip, user_agent: userAgent, browser, browser_version: version,
          screen_width: b.screen.width, screen_height: b.screen.height, local_storage: b.localStorage ? 1 : 0, fullscreen: b.fullscreen ? 1 : 0,
          clock_offset_ms: b.clockOffsetMs, latency_ms: b.latencyMs, outside_reachable: b.outsideReachable === null ? null : b.outsideReachable ? 1 : 0,
          passed: failures.length === 0 ? 1 : 0, failures: JSON.stringify(failures), at,
        })
        .execute();
      return { id, at, passed: failures.length === 0, failures, browser, browserVersion: version };
    },
  });
};

const seatCheck = z.object({
  seatNo: z.number().int(),
  at: isoTime,
  passed: z.boolean(),
  failures: z.array(z.string()),
  ip: z.string(),
  browser: z.string(),
  browserVersion: z.number().int().nullable(),
  screen: z.string(),
  latencyMs: z.number().int().nullable(),
  clockOffsetMs: z.number().int().nullable(),
});
const envCheckView = z.object({
  site: z.object({ id: z.string(), code: z.string(), name: z.string() }),
  rooms: z.array(z.object({ id: z.string(), name: z.string(), seats: z.number().int(), checked: z.number().int(), failed: z.number().int(), checks: z.array(seatCheck) })),
});

/** The site's latest check per room and seat (site technician, coordinator, operator; scoped to the institution's site). */
export const envCheckConsoleRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  app.get('/env-checks', {
    onRequest: requireStaff('operator', 'coordinator', 'site_technician'),
    schema: {
      tags: ['sites'], security, summary: '环境检测结果（每个考场、座位的最新一次）',
      querystring: z.object({ siteId: idParam }), response: { 200: envCheckView, ...errorResponses },
    },
    handler: async (req) => {
      const site = await siteInScopeOr404(ctx.db, req.staff, req.query.siteId);
      const rooms = await ctx.db.selectFrom('rooms').select(['id', 'name', 'seats']).where('site_id', '=', site.id).orderBy('name').execute();
      const rows = await ctx.db
        .selectFrom('env_checks')
        .select(['room_id', 'seat_no', 'at', 'passed', 'failures', 'ip', 'browser', 'browser_version', 'screen_width', 'screen_height', 'latency_ms', 'clock_offset_ms'])
        .where('site_id', '=', site.id)
        .where('at', '>=', nowIso(ctx.clock.now() - 60 * 86_400_000))
        .orderBy('at', 'desc')
        .execute();
      const latest = new Map<string, (typeof rows)[number]>();
      for (const r of rows) {
        const key = `${r.room_id}/${r.seat_no}`;
        if (!latest.has(key)) latest.set(key, r);
      }
      return {
        site: { id: site.id, code: site.code, name: site.name },
        rooms: rooms.map((room) => {
          const checks = [...latest.values()]
            .filter((r) => r.room_id === room.id)
            .sort((a, b) => a.seat_no - b.seat_no)
            .map((r) => ({
              seatNo: Number(r.seat_no), at: r.at, passed: Number(r.passed) === 1, failures: JSON.parse(r.failures) as string[], ip: r.ip,
              browser: r.browser, browserVersion: r.browser_version === null ? null : Number(r.browser_version),
              screen: `${r.screen_width}×${r.screen_height}`,
              latencyMs: r.latency_ms === null ? null : Number(r.latency_ms), clockOffsetMs: r.clock_offset_ms === null ? null : Number(r.clock_offset_ms),
            }));
          return { id: room.id, name: room.name, seats: room.seats, checked: checks.length, failed: checks.filter((c) => !c.passed).length, checks };
        }),
      };
    },
  });
};
