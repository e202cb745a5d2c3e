import type { FastifyReply, FastifyRequest } from 'fastify';
import { bearerToken } from '../../http/tokens.ts';
import { forbidden, unauthorized } from '../../http/errors.ts';

/** operator: runs the exam; grader: marks practical tasks (阅卷). */
export const STAFF_ROLES = ['operator', 'grader'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export interface StaffUser {
  id: string;
  username: string;
  role: StaffRole;
  displayName: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    staff: StaffUser;
  }
}

/** A hook that lets through staff with one of `roles`. */
export function requireStaff(...roles: StaffRole[]) {
  return async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const { ctx } = req.server;
    const token = bearerToken(req.headers.authorization);
    const claims = token ? ctx.tokens.verify(token, 'staff', ctx.clock.now()) : null;
    if (!claims) throw unauthorized('INVALID_TOKEN', '登录已失效，请重新登录');
    const user = await ctx.db.selectFrom('users').select(['id', 'username', 'role', 'display_name']).where('id', '=', claims.sub).executeTakeFirst();
    if (!user) throw unauthorized('INVALID_TOKEN', '登录已失效，请重新登录');
    if (!roles.includes(user.role as StaffRole)) throw forbidden();
    req.staff = { id: user.id, username: user.username, role: user.role as StaffRole, displayName: user.display_name };
  };
}
