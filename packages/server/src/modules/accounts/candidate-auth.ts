import type { FastifyReply, FastifyRequest } from 'fastify';
import { bearerToken } from '../../http/tokens.ts';
import { unauthorized } from '../../http/errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The registration the candidate token speaks for. */
    candidateId: string;
  }
}

export async function requireCandidate(req: FastifyRequest, _reply: FastifyReply): Promise<void> {
  const token = bearerToken(req.headers.authorization);
  const claims = token ? req.server.ctx.tokens.verify(token, 'candidate', req.server.ctx.clock.now()) : null;
  if (!claims) throw unauthorized('INVALID_TOKEN', '登录已失效，请重新登录');
  req.candidateId = claims.sub;
}
