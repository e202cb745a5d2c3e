import './zod-locale.ts';
import fs from 'node:fs';
import path from 'node:path';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type RouteOptions } from 'fastify';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifyWebsocket from '@fastify/websocket';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from './context.ts';
import { frameworkErrors, installErrorHandler } from './http/error-handler.ts';
import { refuseNul } from './http/nul-guard.ts';
import { REPO_ROOT } from './content.ts';
import { candidateRoutes } from './modules/delivery/routes.ts';
import { sebConsoleRoutes } from './modules/delivery/seb-routes.ts';
import { envCheckConsoleRoutes, envCheckPublicRoutes } from './modules/env-check/routes.ts';
import { DeliveryService } from './modules/delivery/service.ts';
import { PracticalService } from './modules/delivery/practical.ts';
import type { GradingBackend } from './modules/grading/backend.ts';
import { staffAccountRoutes } from './modules/accounts/routes.ts';
import { consoleRoutes } from './modules/console/routes.ts';
import { gradingRoutes } from './modules/grading/routes.ts';
import { registrationModuleRoutes } from './modules/registration/routes.ts';
import { publicRoutes } from './modules/public-routes.ts';
import { siteRoutes } from './modules/sites/routes.ts';
import { planRoutes } from './modules/plans/plan-routes.ts';
import { readinessRoutes } from './modules/readiness/routes.ts';
import { organizationRoutes } from './modules/organizations/index.ts';
import { arrangementRoutes } from './modules/arrangement/routes.ts';
import { printingRoutes } from './modules/printing/routes.ts';
import { LocalLiveBus, type LiveBus } from './modules/live/bus.ts';
import { proctoringRoutes } from './modules/proctoring/routes.ts';

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
  }
}

export interface App {
  app: FastifyInstance;
  delivery: DeliveryService;
  /** Live changes of sittings, for seat maps and candidates' clients. */
  live: LiveBus;
}

/** The whole HTTP application over one context; tests call it with inject(). */
export async function buildApp(
  ctx: AppContext,
  opts: {
    logger?: boolean;
    grading?: GradingBackend | null;
    /** Live events between nodes (Redis pub/sub when scaled out); in-process by default. */
    live?: LiveBus;
    /** Tests: sees every route as it is added (the scope matrix). */ onRoute?: (route: RouteOptions) => void } = {},
): Promise<App> {
  const app = Fastify({
    loggerInstance: opts.logger === false ? undefined : (ctx.log as FastifyBaseLogger),
    bodyLimit: 5 * 1024 * 1024,
    trustProxy: true,
    // Exam-day traffic is many small requests: keep the connection alive.
    keepAliveTimeout: 65_000,
    // One log line per request would cost more than a save itself; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    // An undecodable or too long path parameter, refused before any route runs: in our error form too.
    frameworkErrors,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('ctx', ctx);
  if (opts.onRoute) app.addHook('onRoute', opts.onRoute);
  installErrorHandler(app);
  refuseNul(app);

  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Kaowu 考务 API', version: '1', description: '考生作答、工作人员与题库接口。候考与作答规则见 docs/api-candidate.md。' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
  });

  // Proctors' seat maps and candidates' clients listen over WebSockets.
  await app.register(fastifyWebsocket, { options: { maxPayload: 4096 } });
  const live = opts.live ?? new LocalLiveBus();
  const delivery = new DeliveryService(ctx, live);
  const grading = opts.grading ?? null;
  const practical = new PracticalService(ctx, delivery, grading);
  await app.register(
    async (api) => {
      await api.register(publicRoutes);
      await api.register(candidateRoutes, { prefix: '/candidate', delivery, practical, live });
      await api.register(staffAccountRoutes, { prefix: '/staff' });
      await api.register(consoleRoutes, { prefix: '/console' });
      await api.register(gradingRoutes, { prefix: '/console', grading });
      await api.register(siteRoutes, { prefix: '/console' });
      await api.register(planRoutes, { prefix: '/console' });
      await api.register(readinessRoutes, { prefix: '/console' });
      await api.register(registrationModuleRoutes, { prefix: '/console' });
      await api.register(organizationRoutes);
      await api.register(arrangementRoutes, { prefix: '/console' });
      await api.register(printingRoutes, { prefix: '/console' });
      await api.register(sebConsoleRoutes, { prefix: '/console' });
      await api.register(envCheckPublicRoutes, { prefix: '/public' });
      await api.register(envCheckConsoleRoutes, { prefix: '/console' });
      await api.register(proctoringRoutes, { prefix: '/console', delivery, live });
      api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
    },
    { prefix: '/api' },
  );

  registerFrontEnds(app);
  return { app, delivery, live };
}

const INDEX_HTML = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>考务 Kaowu</title>
<style>body{font-family:sans-serif;max-width:40em;margin:4em auto;line-height:1.8}a{display:block;font-size:1.3em}</style></head>
<body><h1>考务 Kaowu</h1><a href="/exam/">考生入口（在线考试）</a><a href="/console/">管理控制台</a>
<p><a href="/api/openapi.json" style="font-size:1em">API 文档（OpenAPI）</a></p></body></html>`;

/** The two front ends, built by Vite into web/<name>/dist. */
function registerFrontEnds(app: FastifyInstance): void {
  app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.type('text/html; charset=utf-8').send(INDEX_HTML));
  let decorated = false;
  for (const name of ['exam', 'console']) {
    const root = path.join(REPO_ROOT, 'web', name, 'dist');
    if (!fs.existsSync(root)) {
      app.get(`/${name}/*`, { schema: { hide: true } }, async (_req, reply) =>
        reply.status(503).type('text/plain; charset=utf-8').send(`${name} 前端尚未构建：请运行 npm run build`),
      );
      continue;
    }
    app.register(fastifyStatic, {
      root,
      prefix: `/${name}/`,
      decorateReply: !decorated,
      // Hashed assets may be cached for ever; index.html must never be.
      setHeaders: (res, file) => {
        res.setHeader('Cache-Control', file.endsWith('.html') ? 'no-cache' : 'public, max-age=31536000, immutable');
      },
    });
    decorated = true;
  }
}
