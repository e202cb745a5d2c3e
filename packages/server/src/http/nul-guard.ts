import type { FastifyInstance } from 'fastify';
import { badRequest } from './errors.ts';

/** Whether a parsed JSON body holds a NUL (U+0000) in any string or key; iterative, so no nesting overflows it. */
function holdsNul(body: unknown): boolean {
  const stack: unknown[] = [body];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (v.includes('\0')) return true;
    } else if (Array.isArray(v)) {
      stack.push(...v);
    } else if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v)) {
      for (const [k, x] of Object.entries(v)) {
        if (k.includes('\0')) return true;
        stack.push(x);
      }
    }
  }
  return false;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The body may hold NUL: a candidate's answer, stored as JSON text (where NUL is
     * the escape \u0000) — refusing it would drop the answer from the client's queue.
     */
    nulInBody?: boolean;
  }
}

/**
 * No text field holds a NUL character, and PostgreSQL cannot even compare
 * one (it fails the query): a request carrying one — `%00` in its address, or
 * `\u0000` in a JSON body — is refused with a 400 before any route or hook
 * reads it, on every database alike.
 */
export function refuseNul(app: FastifyInstance): void {
  app.addHook('onRequest', async (req) => {
    if (req.url.includes('%00')) throw badRequest('NUL_CHARACTER', '地址中含有不允许的字符（%00）');
  });
  app.addHook('preValidation', async (req) => {
    if (req.routeOptions.config.nulInBody) return;
    if (req.body !== undefined && holdsNul(req.body)) throw badRequest('NUL_CHARACTER', '请求内容中含有不允许的空字符（\\u0000）');
  });
}
