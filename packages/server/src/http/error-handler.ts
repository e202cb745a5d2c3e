import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError } from './errors.ts';

const FIELD_NAMES: Record<string, string> = { body: '请求体', params: '路径参数', querystring: '查询参数', headers: '请求头' };

/** Fastify's own refusals of a request (its messages are English): our code and a Chinese message. */
const FRAMEWORK_ERRORS: Record<string, { code: string; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'BAD_REQUEST', message: '请求体不是有效的 JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'BAD_REQUEST', message: '请求体为空：Content-Type 为 application/json 时须有 JSON 内容' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE', message: '不支持该请求体类型（Content-Type）' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'BAD_REQUEST', message: '请求体的长度与 Content-Length 不符' },
  FST_ERR_BAD_URL: { code: 'BAD_REQUEST', message: '地址不正确：含有无法解码的字符' },
  FST_ERR_MAX_PARAM_LENGTH: { code: 'BAD_REQUEST', message: '地址中的参数过长' },
};

/** A refusal of Fastify's own (a 4xx, English): our code and a Chinese message; one not listed keeps its code, for the logs. */
function frameworkRefusal(err: FastifyError): { status: number; error: { code: string; message: string } } {
  const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
  return { status, error: FRAMEWORK_ERRORS[err.code] ?? { code: 'BAD_REQUEST', message: `请求不正确（${err.code ?? status}）` } };
}

/**
 * Errors the router meets before any route runs (an undecodable or too long
 * path parameter): Fastify's `frameworkErrors` option, so that they too leave
 * in our form rather than Fastify's English one.
 */
export function frameworkErrors(err: FastifyError, _req: FastifyRequest, reply: FastifyReply): void {
  const { status, error } = frameworkRefusal(err);
  reply.status(status).send({ error });
}

/** Every error leaves as `{ error: { code, message } }`, with a Chinese message. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof AppError) {
      return reply.status(err.status).send({ error: { code: err.code, message: err.message, ...err.extra } });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = FIELD_NAMES[err.validationContext ?? ''] ?? '请求';
      const details = err.validation.map((v) => ({ path: v.instancePath.replace(/^\//, '').replace(/\//g, '.'), message: v.message ?? '' }));
      const message = `${where}不正确：` + details.map((d) => (d.path ? `${d.path}：${d.message}` : d.message)).join('；');
      return reply.status(400).send({ error: { code: 'VALIDATION_FAILED', message, details } });
    }
    if (isResponseSerializationError(err)) {
      req.log.error({ err, cause: err.cause }, 'response did not match its schema');
      return reply.status(500).send({ error: { code: 'INTERNAL', message: '服务器内部错误' } });
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.status(413).send({ error: { code: 'BODY_TOO_LARGE', message: '上传的内容超过了允许的大小，请检查文件后重新上传' } });
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      const { status, error } = frameworkRefusal(err);
      return reply.status(status).send({ error });
    }
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'INTERNAL', message: '服务器内部错误，请稍后重试' } });
  });

  app.setNotFoundHandler((req, reply) => {
    reply.status(404).send({ error: { code: 'NOT_FOUND', message: `没有这个地址：${req.method} ${req.url.split('?')[0]}` } });
  });
}
