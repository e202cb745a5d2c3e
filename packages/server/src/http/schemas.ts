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
export const idParam = z.string().min(1).max(64);
