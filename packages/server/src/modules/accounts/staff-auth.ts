import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { bearerToken, type TokenClaims } from '../../http/tokens.ts';
import { AppError, forbidden, unauthorized } from '../../http/errors.ts';

/**
 * Every account that signs in to the console (docs/administration.md, "Roles and scopes"):
 * - operator (运营管理员): runs the exam nationally; sees everything;
 * - institution_admin (院校管理员), coordinator (证书负责人), teacher (教师), student (学生),
 *   site_technician (考场技术支持): people of one institution, who see only that institution;
 * - proctor (监考员): sees only the rooms and sittings assigned to them;
 * - grader (阅卷员): marks practical tasks without candidate identity.
 */
export const STAFF_ROLES = [
  'operator', 'institution_admin', 'coordinator', 'teacher', 'student', 'proctor', 'site_technician', 'grader',
] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Roles that belong to one institution (users.institution_id is set). */
export const INSTITUTION_ROLES = ['institution_admin', 'coordinator', 'teacher', 'student', 'proctor', 'site_technician'] as const satisfies readonly StaffRole[];

/** Who may read candidates; who runs the administration (candidates, registrations, settlements, arrangement, proctors). The console routes and the CLI admit the same. */
export const CANDIDATE_READERS = ['operator', 'coordinator', 'teacher'] as const satisfies readonly StaffRole[];
export const ADMINISTRATION_STAFF = ['operator', 'coordinator'] as const satisfies readonly StaffRole[];

export const ROLE_NAMES: Record<StaffRole, string> = {
  operator: '运营管理员',
  institution_admin: '院校管理员',
  coordinator: '证书负责人',
  teacher: '教师',
  student: '学生',
  proctor: '监考员',
  site_technician: '考场技术支持',
  grader: '阅卷员',
};

export interface StaffUser {
  id: string;
  username: string;
  role: StaffRole;
  displayName: string;
  /** null for the operator's own staff (operator, grader). */
  institutionId: string | null;
  /** "Log in as": the coordinator really acting, when this session acts as one of their teachers. */
  actingFor: { id: string; username: string; displayName: string } | null;
  /** A generated or reset password: nothing but 修改密码 until a new one is chosen (never while acting as the account). */
  mustChangePassword: boolean;
  /** Set when the kaowu command line acts as this account (--as); its audit lines say so. */
  via?: 'cli';
}

declare module 'fastify' {
  interface FastifyRequest {
    staff: StaffUser;
  }
}

/**
 * The active staff account a token stands for (under "log in as", the account
 * acted as, with the real actor in actingFor), or null: the one check behind
 * requireStaff and the proctors' WebSocket (which gets its token in a message).
 */
export async function staffFromToken(ctx: Pick<AppContext, 'db' | 'tokens' | 'clock'>, token: string | null): Promise<StaffUser | null> {
  const claims = token ? ctx.tokens.verify(token, 'staff', ctx.clock.now()) : null;
  if (!claims) return null;
  const ids = claims.act ? [claims.sub, claims.act] : [claims.sub];
  const rows = await ctx.db
    .selectFrom('users')
    .select(['id', 'username', 'role', 'display_name', 'institution_id', 'status', 'password_changed_at', 'must_change_password'])
    .where('id', 'in', ids)
    .execute();
  const user = rows.find((r) => r.id === claims.sub);
  const actor = claims.act ? rows.find((r) => r.id === claims.act) : null;
  if (!user || user.status !== 'active' || (claims.act && (!actor || actor.status !== 'active'))) return null;
  // The session belongs to whoever signed in: under "log in as", the coordinator.
  if (!issuedSincePasswordSet(claims, (actor ?? user).password_changed_at)) return null;
  return {
    id: user.id,
    username: user.username,
    role: user.role as StaffRole,
    displayName: user.display_name,
    institutionId: user.institution_id,
    actingFor: actor ? { id: actor.id, username: actor.username, displayName: actor.display_name } : null,
    mustChangePassword: !actor && Boolean(user.must_change_password),
  };
}

/**
 * Whether the token was issued after the password was last set: changing or
 * resetting a password ends every session opened before. A token without iat
 * (signed before tokens had one) counts as older than any change.
 */
function issuedSincePasswordSet(claims: TokenClaims, passwordChangedAt: string | null): boolean {
  if (!passwordChangedAt) return true;
  return claims.iat !== undefined && Math.round(claims.iat * 1000) >= Date.parse(passwordChangedAt);
}

/** A hook that lets through active staff with one of `roles` who have chosen their own password. */
export function requireStaff(...roles: StaffRole[]) {
  return staffHook(roles, false);
}

/** requireStaff that also lets through an account that must change its password first: only for /me and 修改密码. */
export function requireStaffSession(...roles: StaffRole[]) {
  return staffHook(roles, true);
}

function staffHook(roles: StaffRole[], beforePasswordChange: boolean) {
  return async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const staff = await staffFromToken(req.server.ctx, bearerToken(req.headers.authorization));
    if (!staff) throw unauthorized('INVALID_TOKEN', '登录已失效，请重新登录');
    if (!roles.includes(staff.role)) throw forbidden();
    if (staff.mustChangePassword && !beforePasswordChange) throw passwordChangeRequired();
    req.staff = staff;
  };
}

export const passwordChangeRequired = () => new AppError(403, 'PASSWORD_CHANGE_REQUIRED', '请先修改密码：首次登录或密码被重置后，须设置自己的新密码');
