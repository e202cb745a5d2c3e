import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { LiveBus, LiveEvent } from '../live/bus.ts';
import type { DeliveryService } from './service.ts';
import { SEB_HEADER, sebHeaderValid, sebRequestUrl } from './seb.ts';

/** What the route uses of a `ws` WebSocket. */
interface Socket {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  ping(): void;
  terminate(): void;
  on(event: 'message', listener: (data: unknown) => void): unknown;
  on(event: 'close' | 'pong', listener: () => void): unknown;
}

const OPEN = 1;
/** The first message must come within this long after the upgrade. */
export const HELLO_TIMEOUT_MS = 5_000;
/** Keeps proxies from closing an idle socket, and finds dead ones (no pong by the next ping). */
export const PING_EVERY_MS = 25_000;

/**
 * Events not passed on to candidates: those a candidate's own client causes
 * (its client knows already), and the proctors' own bookkeeping (no attempt
 * or status changes). Each would only cost every client a status read.
 */
const QUIET_KINDS = new Set(['login', 'enter', 'event', 'switch-request', 'absence', 'absence-cancel', 'sign-in', 'record']);

/** Whether an event of the sitting concerns this candidate: theirs, their room's, or the whole sitting's. */
export function concernsCandidate(event: LiveEvent, registrationId: string, roomId: string | null): boolean {
  if (QUIET_KINDS.has(event.kind)) return false;
  if (event.registrationId) return event.registrationId === registrationId;
  return !event.roomId || event.roomId === roomId;
}

/**
 * Safe Exam Browser on the upgrade request: the hash is accepted for the URL
 * as `ws(s)://…` or as `http(s)://…` (which of the two a given SEB version
 * hashes for a WebSocket handshake is not specified).
 */
function sebSocketValid(req: FastifyRequest, configKey: string): boolean {
  const header = req.headers[SEB_HEADER];
  const http = sebRequestUrl(req.protocol, req.host, req.url);
  const ws = sebRequestUrl(req.protocol === 'https' ? 'wss' : 'ws', req.host, req.url);
  return sebHeaderValid(header, ws, configKey) || sebHeaderValid(header, http, configKey);
}

/**
 * `GET /api/candidate/live` (WebSocket): the exam client's live link. First
 * message `{ token, attemptId }` within 5 s → `{ type: 'ready' }`; then
 * `{ type: 'changed', kind }` for every event of the attempt's sitting that
 * concerns this candidate. Events carry no data: the client reads the status.
 * Refusals send `{ type: 'error', code, message }` and close with 44xx.
 */
export const candidateLiveRoute: FastifyPluginAsync<{ delivery: DeliveryService; live: LiveBus }> = async (app, { delivery, live }) => {
  app.get('/live', { websocket: true, schema: { hide: true } }, (socket: Socket, req: FastifyRequest) => {
    const { ctx } = app;
    let stage: 'hello' | 'checking' | 'ready' | 'closed' = 'hello';
    let unsubscribe: (() => void) | null = null;
    let pinger: ReturnType<typeof setInterval> | null = null;
    const send = (msg: object) => {
      if (socket.readyState === OPEN) socket.send(JSON.stringify(msg));
    };
    const refuse = (closeCode: number, code: string, message: string) => {
      if (stage === 'closed') return;
      send({ type: 'error', code, message });
      socket.close(closeCode, code);
      cleanup();
    };
    const cleanup = () => {
      stage = 'closed';
      clearTimeout(helloTimer);
      if (pinger) clearInterval(pinger);
      pinger = null;
      unsubscribe?.();
      unsubscribe = null;
    };
    const helloTimer = setTimeout(() => refuse(4408, 'HELLO_TIMEOUT', '连接超时'), HELLO_TIMEOUT_MS);
    socket.on('close', cleanup);

    socket.on('message', (data) => {
      if (stage !== 'hello') return; // later messages mean nothing
      stage = 'checking';
      clearTimeout(helloTimer);
      void hello(String(data)).catch((err: unknown) => {
        ctx.log.warn({ err }, 'candidate live socket: hello failed');
        refuse(4500, 'INTERNAL', '服务器内部错误');
      });
    });

    const hello = async (text: string) => {
      let msg: { token?: unknown; attemptId?: unknown };
      try {
        msg = JSON.parse(text) as typeof msg;
      } catch {
        msg = {};
      }
      if (!msg || typeof msg.token !== 'string' || typeof msg.attemptId !== 'string' || msg.attemptId.length > 64) {
        return refuse(4400, 'BAD_MESSAGE', '第一条消息应为 { token, attemptId }');
      }
      const now = ctx.clock.now();
      const claims = ctx.tokens.verify(msg.token, 'candidate', now);
      if (!claims) return refuse(4401, 'INVALID_TOKEN', '登录已失效，请重新登录');
      const place = await delivery.placeOf(msg.attemptId);
      if (!place || place.registrationId !== claims.sub) return refuse(4404, 'ATTEMPT_NOT_FOUND', '没有找到该作答记录');
      const sitting = await ctx.sittings.sitting(place.sittingId, now);
      if (sitting?.sebConfigKey && !sebSocketValid(req, sitting.sebConfigKey)) {
        return refuse(4403, 'SEB_REQUIRED', '本场考试须使用安全考试浏览器（Safe Exam Browser）参加');
      }
      if (stage !== 'checking') return; // closed meanwhile
      stage = 'ready';
      unsubscribe = live.subscribe(place.sittingId, (event) => {
        if (concernsCandidate(event, place.registrationId, place.roomId)) send({ type: 'changed', kind: event.kind });
      });
      let alive = true;
      socket.on('pong', () => {
        alive = true;
      });
      pinger = setInterval(() => {
        if (!alive) {
          socket.terminate();
          cleanup();
          return;
        }
        alive = false;
        socket.ping();
      }, PING_EVERY_MS);
      pinger.unref?.();
      send({ type: 'ready' });
    };
  });
};
