import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../../http/schemas.ts';
import { badRequest } from '../../http/errors.ts';
import { requireCandidate } from '../accounts/candidate-auth.ts';
import type { DeliveryService } from './service.ts';
import type { PracticalService } from './practical.ts';
import { SebGuard } from './seb-guard.ts';
import { clientIdOf } from './client-id.ts';
import { candidateLiveRoute } from './live-socket.ts';
import type { LiveBus } from '../live/bus.ts';
import {
  answerParams, attemptParams, attemptResponse, eventBody, eventResponse, loginBody, loginResponse,
  runBody, runResponse, saveBody, saveResponse, sittingParams, statusResponse, submitResponse, uploadQuery, uploadResponse,
} from './schemas.ts';

type Services = { delivery: DeliveryService; practical: PracticalService; live: LiveBus };
/** The largest body the upload route reads; each task sets its own, smaller, limit. */
const UPLOAD_BODY_LIMIT = 21 * 1024 * 1024;

const tags = ['candidate'];
const security = [{ bearer: [] }];

/** The candidate API: docs/api-candidate.md. */
export const candidateRoutes: FastifyPluginAsyncZod<Services> = async (app, { delivery, practical, live }) => {
  app.post('/login', {
    schema: { tags, summary: '考生登录（准考证号 + 身份证号）', body: loginBody, response: { 200: loginResponse, ...errorResponses } },
    handler: async (req) => delivery.login(req.body.ticketNo, req.body.idNumber, req.ip),
  });

  // The live socket: its token comes in the first message (a browser cannot set headers on a WebSocket).
  app.register(candidateLiveRoute, { delivery, live });

  // Everything below needs a candidate token.
  app.register(authedRoutes, { delivery, practical, live });
};

const authedRoutes: FastifyPluginAsyncZod<Services> = async (authed, { delivery, practical }) => {
    authed.addHook('onRequest', requireCandidate);
    // A sitting that requires Safe Exam Browser: checked before any body is read.
    authed.addHook('onRequest', new SebGuard(authed.ctx).check);
    authed.addContentTypeParser(['application/zip', 'application/octet-stream', 'application/x-zip-compressed'], { parseAs: 'buffer', bodyLimit: UPLOAD_BODY_LIMIT }, (_req, body, done) => done(null, body));

    authed.post('/sittings/:sittingId/attempt', {
      schema: { tags, security, summary: '进入（或恢复）场次作答', params: sittingParams, response: { 200: attemptResponse, ...errorResponses } },
      handler: async (req) => delivery.enter(req.candidateId, req.params.sittingId, req.ip, clientIdOf(req)),
    });

    authed.put('/attempts/:attemptId/answers/:questionId', {
      config: { nulInBody: true },
      schema: { tags, security, summary: '保存一道题的答案', params: answerParams, body: saveBody, response: { 200: saveResponse, ...errorResponses } },
      handler: async (req) => {
        const { answer, seq, changedAt } = req.body;
        return delivery.saveAnswer(req.candidateId, req.params.attemptId, req.params.questionId, answer, seq, changedAt ? Date.parse(changedAt) : undefined, clientIdOf(req));
      },
    });

    authed.post('/attempts/:attemptId/submit', {
      schema: { tags, security, summary: '交卷', params: attemptParams, response: { 200: submitResponse, ...errorResponses } },
      handler: async (req) => delivery.submit(req.candidateId, req.params.attemptId, clientIdOf(req)),
    });

    authed.post('/attempts/:attemptId/events', {
      schema: { tags, security, summary: '记录客户端事件（离开全屏、失去焦点、重连…）', params: attemptParams, body: eventBody, response: { 200: eventResponse, ...errorResponses } },
      handler: async (req) => delivery.recordEvent(req.candidateId, req.params.attemptId, req.body.type, req.body.at, req.body.detail, clientIdOf(req)),
    });

    authed.get('/attempts/:attemptId/status', {
      schema: { tags, security, summary: '作答状态与截止时间', params: attemptParams, response: { 200: statusResponse, ...errorResponses } },
      handler: async (req) => delivery.status(req.candidateId, req.params.attemptId, clientIdOf(req)),
    });

    authed.post('/attempts/:attemptId/questions/:questionId/run', {
      schema: { tags, security, summary: '运行样例（只运行可见的样例检查，限频）', params: answerParams, body: runBody, response: { 200: runResponse, ...errorResponses } },
      handler: async (req) => ({ result: await practical.runSamples(req.candidateId, req.params.attemptId, req.params.questionId, req.body.files, clientIdOf(req)) }),
    });

    authed.put('/attempts/:attemptId/questions/:questionId/upload', {
      schema: {
        tags, security,
        summary: '上传项目压缩包（请求体为 zip 文件本身，Content-Type: application/zip）',
        params: answerParams,
        querystring: uploadQuery,
        response: { 200: uploadResponse, ...errorResponses },
      },
      handler: async (req) => {
        if (!Buffer.isBuffer(req.body)) throw badRequest('INVALID_ZIP', '请以 application/zip 上传 zip 文件');
        return practical.upload(req.candidateId, req.params.attemptId, req.params.questionId, req.query.name, req.body, req.query.seq, clientIdOf(req));
      },
    });
};
