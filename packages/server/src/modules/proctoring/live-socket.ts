/**
 * The proctor console's live socket: GET /api/console/proctor/live. The first
 * message (within 5 s) is `{ token, sittingId, roomId }` (roomId null: a
 * chief's whole site; `siteId` picks the site for the operator); the token is
 * checked like every console request (staffFromToken, "log in as" included),
 * then the scope. The server answers `{ type: 'ready' }`, then `{ type:
 * 'changed', kind, registrationId }` for every live event of that room (or
 * site): events naming the room, or a candidate seated in it, or the whole
 * sitting. Events carry no data: the page re-reads the room.
 */
import type { Level } from '@kaowu/core';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../http/errors.ts';
import { staffFromToken } from '../accounts/staff-auth.ts';
import type { LiveBus, LiveEvent } from '../live/bus.ts';
import { chiefSiteOf, PROCTOR_GATE, roomAccess, siteAccess } from './scope.ts';
import { liveHello } from './schemas.ts';

export const HELLO_TIMEOUT_MS = 5_000;
export const PING_INTERVAL_MS = 25_000;

/** What this module uses of a `ws` socket (the package ships no types here). */
interface LiveSocket {
  readonly readyState: number;
  readonly OPEN: number;
  send(data: string): void;
  close(code: number, reason: string): void;
  ping(): void;
  on(event: 'close', listener: () => void): void;
  on(event: 'message', listener: (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => void): void;
}

/** Close codes of the socket (4000–4999 are the application's), with short Chinese reasons (≤ 123 bytes). */
export const LIVE_CLOSE = {
  badHello: { code: 4400, reason: '首条消息格式不正确' },
  auth: { code: 4401, reason: '登录已失效，请重新登录' },
  forbidden: { code: 4403, reason: '没有权限查看监考信息' },
  scope: { code: 4404, reason: '考场不存在或无权访问' },
  timeout: { code: 4408, reason: '5 秒内未收到登录信息' },
  error: { code: 1011, reason: '服务器内部错误' },
} as const;

/** Registrations seated in the room (or at the site) for the sitting's plan and level, and the site's rooms. */
async function seated(app: FastifyInstance, planId: string, level: Level, where: { roomId: string } | { siteId: string }) {
  let q = app.ctx.db
    .selectFrom('seat_assignments as sa')
    .innerJoin('registrations as r', 'r.id', 'sa.registration_id')
    .select(['sa.registration_id', 'sa.room_id'])
    .where('sa.plan_id', '=', planId)
    .where('r.level', '=', level);
  q = 'roomId' in where ? q.where('sa.room_id', '=', where.roomId) : q.where('sa.site_id', '=', where.siteId);
  const rows = await q.execute();
  return { registrations: new Set(rows.map((r) => r.registration_id)), rooms: new Set(rows.map((r) => r.room_id)) };
}

export function registerProctorLive(app: FastifyInstance, live: LiveBus): void {
  const { ctx } = app;

  /** Which events concern this socket, or a close reason. */
  async function scopeOf(hello: { token: string; sittingId: string; roomId: string | null; siteId?: string }) {
    const staff = await staffFromToken(ctx, hello.token);
    if (!staff) return LIVE_CLOSE.auth;
    if (!PROCTOR_GATE.includes(staff.role) || staff.mustChangePassword) return LIVE_CLOSE.forbidden;
    if (hello.roomId) {
      const { sitting, room } = await roomAccess(ctx, staff, hello.sittingId, hello.roomId);
      const { registrations } = await seated(app, sitting.planId, sitting.level, { roomId: room.id });
      return (e: LiveEvent) => (e.roomId ? e.roomId === room.id : e.registrationId ? registrations.has(e.registrationId) : true);
    }
    const sitting = await ctx.sittings.sitting(hello.sittingId, ctx.clock.now());
    if (!sitting) return LIVE_CLOSE.scope;
    const siteId = hello.siteId ?? (staff.role === 'operator' ? null : await chiefSiteOf(ctx, staff, sitting.planId));
    if (!siteId) {
      // The operator without a site: the whole sitting. Anyone else without a chief's duty: nothing.
      return staff.role === 'operator' ? () => true : LIVE_CLOSE.scope;
    }
    await siteAccess(ctx, staff, hello.sittingId, siteId);
    const { registrations, rooms } = await seated(app, sitting.planId, sitting.level, { siteId });
    return (e: LiveEvent) => (e.roomId ? rooms.has(e.roomId) : e.registrationId ? registrations.has(e.registrationId) : true);
  }

  app.get('/proctor/live', { websocket: true, schema: { tags: ['proctor'], summary: '监考实时通知（WebSocket；首条消息发送登录信息）', hide: true } }, (socket: LiveSocket) => {
    let phase: 'hello' | 'checking' | 'ready' | 'closed' = 'hello';
    let unsubscribe: (() => void) | null = null;
    const send = (msg: unknown) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(msg));
    };
    const close = (c: { code: number; reason: string }) => {
      if (phase === 'closed') return;
      phase = 'closed';
      socket.close(c.code, c.reason);
    };
    const helloTimer = setTimeout(() => close(LIVE_CLOSE.timeout), HELLO_TIMEOUT_MS);
    const ping = setInterval(() => {
      if (socket.readyState === socket.OPEN) socket.ping();
    }, PING_INTERVAL_MS);
    helloTimer.unref();
    ping.unref();

    socket.on('close', () => {
      phase = 'closed';
      clearTimeout(helloTimer);
      clearInterval(ping);
      unsubscribe?.();
      unsubscribe = null;
    });

    socket.on('message', (data, isBinary) => {
      if (phase !== 'hello') return; // later messages mean nothing
      phase = 'checking';
      clearTimeout(helloTimer);
      let hello;
      try {
        if (isBinary) throw new Error('binary');
        hello = liveHello.parse(JSON.parse(String(data)));
      } catch {
        return close(LIVE_CLOSE.badHello);
      }
      scopeOf(hello)
        .then((scope) => {
          if (typeof scope !== 'function') return close(scope);
          if (phase !== 'checking') return; // closed while we checked
          unsubscribe = live.subscribe(hello.sittingId, (e) => {
            if (scope(e)) send({ type: 'changed', kind: e.kind, registrationId: e.registrationId ?? null });
          });
          phase = 'ready';
          send({ type: 'ready' });
        })
        .catch((err: unknown) => {
          if (err instanceof AppError && err.status === 404) return close(LIVE_CLOSE.scope);
          ctx.log.error({ err }, 'proctor live socket failed');
          close(LIVE_CLOSE.error);
        });
    });
  });
}
