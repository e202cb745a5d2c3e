import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../../http/schemas.ts';
import { requireCandidate } from '../accounts/candidate-auth.ts';
import type { DeliveryService } from './service.ts';
import {
  answerParams, attemptParams, attemptResponse, eventBody, eventResponse, loginBody, loginResponse,
  saveBody, saveResponse, sittingParams, statusResponse, submitResponse,
} from './schemas.ts';

const tags = ['candidate'];
const security = [{ bearer: [] }];

/** The candidate API: docs/api-candidate.md. */
export const candidateRoutes: FastifyPluginAsyncZod<{ delivery: DeliveryService }> = async (app, { delivery }) => {
  app.post('/login', {
    schema: { tags, summary: '考生登录（准考证号 + 身份证号）', body: loginBody, response: { 200: loginResponse, ...errorResponses } },
    handler: async (req) => delivery.login(req.body.ticketNo, req.body.idNumber),
  });

  // Everything below needs a candidate token.
  app.register(authedRoutes, { delivery });
};

const authedRoutes: FastifyPluginAsyncZod<{ delivery: DeliveryService }> = async (authed, { delivery }) => {
    authed.addHook('onRequest', requireCandidate);

    authed.post('/sittings/:sittingId/attempt', {
      schema: { tags, security, summary: '进入（或恢复）场次作答', params: sittingParams, response: { 200: attemptResponse, ...errorResponses } },
      handler: async (req) => delivery.enter(req.candidateId, req.params.sittingId),
    });

    authed.put('/attempts/:attemptId/answers/:questionId', {
      schema: { tags, security, summary: '保存一道题的答案', params: answerParams, body: saveBody, response: { 200: saveResponse, ...errorResponses } },
      handler: async (req) => {
        const { answer, seq, changedAt } = req.body;
        return delivery.saveAnswer(req.candidateId, req.params.attemptId, req.params.questionId, answer, seq, changedAt ? Date.parse(changedAt) : undefined);
      },
    });

    authed.post('/attempts/:attemptId/submit', {
      schema: { tags, security, summary: '交卷', params: attemptParams, response: { 200: submitResponse, ...errorResponses } },
      handler: async (req) => delivery.submit(req.candidateId, req.params.attemptId),
    });

    authed.post('/attempts/:attemptId/events', {
      schema: { tags, security, summary: '记录客户端事件（离开全屏、失去焦点、重连…）', params: attemptParams, body: eventBody, response: { 200: eventResponse, ...errorResponses } },
      handler: async (req) => delivery.recordEvent(req.candidateId, req.params.attemptId, req.body.type, req.body.at, req.body.detail),
    });

    authed.get('/attempts/:attemptId/status', {
      schema: { tags, security, summary: '作答状态与截止时间', params: attemptParams, response: { 200: statusResponse, ...errorResponses } },
      handler: async (req) => delivery.status(req.candidateId, req.params.attemptId),
    });
};
