import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError } from './errors.ts';

const FIELD_NAMES: Record<string, string> = { body: '请求体', params: '路径参数', querystring: '查询参数', headers: '请求头' };

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
      const code = err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'UNSUPPORTED_MEDIA_TYPE' : 'BAD_REQUEST';
      return reply.status(err.statusCode).send({ error: { code, message: `请求不正确：${err.message}` } });
    }
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'INTERNAL', message: '服务器内部错误，请稍后重试' } });
  });

  app.setNotFoundHandler((req, reply) => {
    reply.status(404).send({ error: { code: 'NOT_FOUND', message: `没有这个地址：${req.method} ${req.url.split('?')[0]}` } });
  });
}
