import type { FastifyRequest } from 'fastify';
import { badRequest, conflict } from '../../http/errors.ts';

/**
 * One exam client per attempt (docs/proctoring.md): the exam client keeps a
 * random id in its local storage and sends it as `X-Kaowu-Client` with every
 * candidate request. Requests without it are one anonymous client (API users,
 * tests, benchmarks).
 */
export const CLIENT_HEADER = 'x-kaowu-client';
export const ANONYMOUS_CLIENT = '-';
const CLIENT_ID = /^[A-Za-z0-9_-]{8,64}$/;

/** The request's client id; 400 for a malformed one. */
export function clientIdOf(req: FastifyRequest): string {
  const raw = req.headers[CLIENT_HEADER];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || value === '') return ANONYMOUS_CLIENT;
  if (!CLIENT_ID.test(value)) throw badRequest('INVALID_CLIENT_ID', '考试客户端标识无效，请刷新页面后重试');
  return value;
}

/** Another client took the attempt over (a proctor approved a machine switch). */
export const clientReplaced = () => conflict('CLIENT_REPLACED', '本场考试已在另一台计算机上继续作答');

/** Whether `client` may act on an attempt held by `holder` (null: an attempt from before clients were tracked). */
export function clientMayAct(holder: string | null, client: string): boolean {
  return holder === null || holder === client;
}
