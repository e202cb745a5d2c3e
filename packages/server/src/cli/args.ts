/**
 * What the CLI commands share: the two kinds of failure (exit 2 with the
 * usage text; exit 1 with a message), the database context, and the lookups
 * behind --as, --plan, --site and --out.
 *
 * --as names the staff account a 考务 command acts as. It must exist and be
 * active, and have one of the roles the console's route admits; the services
 * then apply that account's scope and audit every change under its username,
 * exactly as for a console session. (audit_log has no column to say a change
 * came from the CLI.)
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import pino from 'pino';
import { loadConfig } from '../config.ts';
import { openContext } from '../bootstrap.ts';
import type { AppContext } from '../context.ts';
import type { DB } from '../db/schema.ts';
import type { PlanRow, SiteRow } from '../modules/arrangement/load.ts';
import { ROLE_NAMES, type StaffRole, type StaffUser } from '../modules/accounts/staff-auth.ts';

/** A problem with the command line: exit 2, with `usage` (else the whole usage text). */
export class UsageError extends Error {
  constructor(message: string, readonly usage?: string) {
    super(message);
  }
}

/** Something the command line names that cannot be used (no such plan, an account that may not do this): exit 1. */
export class InputError extends Error {}

export async function withContext<T>(fn: (ctx: AppContext) => Promise<T>): Promise<T> {
  const ctx = await openContext(loadConfig(), { log: pino({ level: 'warn' }, pino.destination(2)) });
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

/** The value of a required option, or a usage error naming it. */
export function need(value: string | undefined, flag: string, what: string, usage: string): string {
  if (!value) throw new UsageError(`缺少 ${flag}（${what}）`, usage);
  return value;
}

/** Positional arguments beyond those expected are a usage error. */
export function noExtra(extra: readonly string[], usage: string): void {
  if (extra.length) throw new UsageError(`多余的参数：${extra.join(' ')}`, usage);
}

/** The content of an input file named on the command line. */
export function inputFile(file: string): Buffer {
  try {
    return fs.readFileSync(path.resolve(file));
  } catch (err) {
    throw new InputError(`无法读取文件 ${file}：${(err as Error).message}`);
  }
}

/** --out: an absolute path whose folder exists. */
export function outFile(value: string): string {
  const out = path.resolve(value);
  if (!fs.existsSync(path.dirname(out))) throw new InputError(`输出文件夹不存在：${path.dirname(out)}`);
  return out;
}

/** --as: the active staff account named, if its role is one of `roles` (those of the console's route). */
export async function actingStaff(db: Kysely<DB>, username: string, roles: readonly StaffRole[]): Promise<StaffUser> {
  const user = await db
    .selectFrom('users')
    .select(['id', 'username', 'role', 'display_name', 'institution_id', 'status'])
    .where('username', '=', username)
    .executeTakeFirst();
  if (!user) throw new InputError(`员工账号不存在：${username}`);
  if (user.status !== 'active') throw new InputError(`员工账号 ${username} 未启用，不能执行操作`);
  const role = user.role as StaffRole;
  if (!roles.includes(role)) {
    throw new InputError(`员工账号 ${username}（${ROLE_NAMES[role]}）无权执行此操作：须为${roles.map((r) => ROLE_NAMES[r]).join('或')}`);
  }
  return { id: user.id, username: user.username, role, displayName: user.display_name, institutionId: user.institution_id, actingFor: null, mustChangePassword: false, via: 'cli' };
}

/** --plan: a plan id or its 6-digit code. */
export async function findPlan(db: Kysely<DB>, key: string): Promise<PlanRow> {
  const cols = ['id', 'name', 'code', 'exam_date', 'certificate_id'] as const;
  const plan =
    (await db.selectFrom('plans').select(cols).where('id', '=', key).executeTakeFirst()) ??
    (await db.selectFrom('plans').select(cols).where('code', '=', key).executeTakeFirst());
  if (!plan) throw new InputError(`考试计划不存在：${key}`);
  return plan;
}

/** --site: a site id or its 4-digit code. */
export async function findSite(db: Kysely<DB>, key: string): Promise<SiteRow> {
  const site =
    (await db.selectFrom('sites').selectAll().where('id', '=', key).executeTakeFirst()) ??
    (await db.selectFrom('sites').selectAll().where('code', '=', key).executeTakeFirst());
  if (!site) throw new InputError(`考核站点不存在：${key}`);
  return site;
}
