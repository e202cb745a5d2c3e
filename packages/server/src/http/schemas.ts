import { z } from 'zod';
import { errorBodySchema } from './errors.ts';

/** Error responses every route may give, for the OpenAPI document. */
export const errorResponses = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
} as const;

export const isoTime = z.string().describe('ISO 8601, UTC');
/** A time a client sends: ISO 8601 with a zone (toISOString() gives one). */
export const isoTimeInput = z.iso.datetime({ offset: true, error: '时间格式不正确：应为带时区的 ISO 8601 时间，如 2026-06-20T08:30:00.000Z' }).describe('ISO 8601');
export const idParam = z.string().min(1).max(64);
