import fs from 'node:fs';
import path from 'node:path';
import type { Level, Paper, SittingRulesInput } from '@kaowu/core';
import { LEVEL_NAMES, PAPER_NAMES } from '@kaowu/core';
import type { AppContext } from '../../context.ts';
import { CONTENT_DIR } from '../../content.ts';
import { newId, nowIso } from '../../ids.ts';
import { shanghaiDate, shanghaiTime } from '../../time-format.ts';
import { importBank } from '../bank/import-bank.ts';
import { formatProblem } from '../bank/bank-file.ts';
import { checkPassword, createUser } from '../accounts/users.ts';
import { createPlan } from '../plans/plan-service.ts';
import { demoPeople } from './people.ts';
import { arrangeDemoPlan, demoTicketNumbers, ensureDemoRooms, ensureDemoSchool, DEMO_INSTITUTION, DEMO_SCHOOL_ACCOUNTS } from './school.ts';
import { ROLE_NAMES } from '../accounts/staff-auth.ts';

export const DEMO_OPERATOR = { username: 'operator', password: 'kaowu-demo-2026' };
/** Graders for 阅卷 (three, so double marking and arbitration can be tried). */
export const DEMO_GRADERS = ['grader1', 'grader2', 'grader3'].map((username) => ({ username, password: DEMO_OPERATOR.password }));
export const DEMO_PAPERS = ['theory', 'practical', 'both'] as const;
export type DemoPapers = (typeof DEMO_PAPERS)[number];
export const DEMO_CERTIFICATE = 'python-dev';
const BANK_DIR = path.join(CONTENT_DIR, 'banks');

export interface DemoOptions {
  candidates: number;
  level: Level;
  startsAt: number;
  durationMin?: number;
  rules?: SittingRulesInput;
  /** Which papers get a sitting (default theory); both open at `startsAt`, so a demo can try them side by side. */
  papers?: DemoPapers;
  /**
   * Register the candidates at the demo school's site (school.ts): classes, ticket numbers of
   * the site, the arrangement and proctors published. Up to 9,999 candidates (one site's tickets).
   */
  school?: boolean;
}

export interface DemoResult {
  planId: string;
  /** The first sitting (theory when there is one). */
  sittingId: string;
  sittings: { id: string; paper: Paper }[];
  graders: { username: string; password: string }[];
  operator: { username: string; password: string };
  candidates: { ticketNo: string; idNumber: string; name: string }[];
  /** Whether the candidates sit at the demo school's site (arranged, with proctors). */
  school: boolean;
}

/** Imports every demo bank in content/banks (unchanged questions stay as they are). */
export async function importDemoBanks(ctx: AppContext): Promise<void> {
  for (const file of fs.readdirSync(BANK_DIR).filter((f) => /\.(ya?ml|json)$/.test(f)).sort()) {
    const result = await importBank(ctx.db, fs.readFileSync(path.join(BANK_DIR, file), 'utf8'), `content/banks/${file}`);
    if (!result.ok) throw new Error(`demo bank ${file} is invalid:\n${result.problems.map((p) => formatProblem(file, p)).join('\n')}`);
  }
  ctx.questions.invalidatePools();
}

async function ensureDemoStaff(ctx: AppContext): Promise<void> {
  const staff = [
    { ...DEMO_OPERATOR, role: 'operator' as const, displayName: '演示运营管理员' },
    ...DEMO_GRADERS.map((g, i) => ({ ...g, role: 'grader' as const, displayName: `演示阅卷员 ${i + 1}` })),
  ];
  for (const user of staff) {
    const existing = await ctx.db.selectFrom('users').select('id').where('username', '=', user.username).executeTakeFirst();
    if (!existing) await createUser(ctx.db, user);
    else if (!(await checkPassword(ctx.db, user.username, user.password))) {
      ctx.log.warn({ username: user.username }, 'a demo password was changed; the printed one no longer works');
    }
  }
}

/** A new demo plan with one theory sitting and `candidates` registered candidates. */
export async function createDemo(ctx: AppContext, opts: DemoOptions): Promise<DemoResult> {
  const questions = await ctx.db.selectFrom('questions').select('id').where('level', '=', opts.level).where('active', '=', 1).limit(1).execute();
  if (questions.length === 0) await importDemoBanks(ctx);
  await ensureDemoStaff(ctx);
  const papers: Paper[] = opts.papers === 'both' ? ['theory', 'practical'] : [opts.papers ?? 'theory'];

  const people = demoPeople(opts.candidates);
  const { result, school } = await ctx.db.transaction().execute(async (trx) => {
    const school = opts.school ? await ensureDemoSchool(trx, DEMO_OPERATOR.password) : null;
    const planCount = await trx.selectFrom('plans').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const planNo = Number(planCount.n) + 1;
    const { planId, sittingIds, code: planCode } = await createPlan(trx, {
      certificateCode: DEMO_CERTIFICATE,
      name: `演示考试计划 ${planNo}（${LEVEL_NAMES[opts.level]}）`,
      examDate: shanghaiDate(opts.startsAt),
      sittings: papers.map((paper) => ({ level: opts.level, paper, startsAt: opts.startsAt, durationMin: opts.durationMin, rules: opts.rules })),
    });
    const now = nowIso();
    // Ticket numbers: 2-digit year, 4-digit plan number, level digit, 5-digit sequence.
    const prefix = shanghaiDate(opts.startsAt).slice(2, 4) + String(planNo).padStart(4, '0') + String(['junior', 'intermediate', 'advanced'].indexOf(opts.level) + 1);
    const existing = new Set(
      (await trx.selectFrom('candidates').select('id_number').where('id_number', 'in', people.map((p) => p.idNumber)).execute()).map((r) => r.id_number),
    );
    const fresh = people.filter((p) => !existing.has(p.idNumber));
    const tickets = school
      ? await demoTicketNumbers(trx, { id: planId, code: planCode }, school, fresh.length)
      : fresh.map((_, i) => prefix + String(i + 1).padStart(5, '0'));
    const candidates = fresh.map((p, i) => ({ ...p, ticketNo: tickets[i]!, klass: school ? school.classes[i % school.classes.length]! : null }));
    for (let i = 0; i < candidates.length; i += 200) {
      const chunk = candidates.slice(i, i + 200).map((c) => ({ ...c, candidateId: newId(), registrationId: newId() }));
      await trx.insertInto('candidates').values(chunk.map((c) => ({
        id: c.candidateId, name: c.name, id_type: 'resident', id_number: c.idNumber, created_at: now,
        // The 17th digit of a resident ID: odd for men.
        gender: Number(c.idNumber[16]) % 2 === 1 ? '男' as const : '女' as const,
        institution_id: school?.institutionId ?? null, major_id: c.klass?.majorId ?? null, class_id: c.klass?.id ?? null,
      }))).execute();
      await trx
        .insertInto('registrations')
        .values(chunk.map((c) => ({
          id: c.registrationId, plan_id: planId, candidate_id: c.candidateId, level: opts.level, ticket_no: c.ticketNo, created_at: now,
          site_id: school?.siteId ?? null, institution_id: school?.institutionId ?? null,
        })))
        .execute();
    }
    if (school) await ensureDemoRooms(trx, planId, school);
    const result: DemoResult = {
      planId,
      sittingId: sittingIds[0]!,
      sittings: sittingIds.map((id, i) => ({ id, paper: papers[i]! })),
      graders: DEMO_GRADERS.map((g) => ({ ...g })),
      operator: { ...DEMO_OPERATOR },
      school: Boolean(school),
      candidates: candidates.map(({ ticketNo, idNumber, name }) => ({ ticketNo, idNumber, name })) };
    return { result, school };
  });
  // Seats and proctors through the console's own services, which run their own transactions.
  if (school) await arrangeDemoPlan(ctx, result.planId, school, DEMO_OPERATOR.username);
  return result;
}

export function demoLoginLines(demo: DemoResult, startsAt: number): string[] {
  const lines = [
    `演示数据：考试计划 ${demo.planId}，${demo.sittings.map((s) => `${PAPER_NAMES[s.paper]}场次 ${s.id}`).join('，')}，开考时间 ${shanghaiTime(startsAt)}（北京时间）`,
    `  运营管理员：用户名 ${demo.operator.username}  密码 ${demo.operator.password}`,
    `  阅卷员：用户名 ${demo.graders.map((g) => g.username).join(' / ')}  密码 ${demo.operator.password}`,
    ...(demo.school ? [`  ${DEMO_INSTITUTION.name}（密码同上）：${schoolAccountsLine()}`] : []),
    '  考生（准考证号 / 身份证号 / 姓名）：',
  ];
  for (const c of demo.candidates.slice(0, 10)) lines.push(`    ${c.ticketNo}  ${c.idNumber}  ${c.name}`);
  if (demo.candidates.length > 10) lines.push(`    …… 共 ${demo.candidates.length} 名考生（npm run kaowu -- demo --json 可得到全部登录信息）`);
  return lines;
}

/** "院校管理员 school-admin，证书负责人 coordinator，教师 teacher1 / … / teacher6，…" */
function schoolAccountsLine(): string {
  const byRole = new Map<string, string[]>();
  for (const a of DEMO_SCHOOL_ACCOUNTS) byRole.set(ROLE_NAMES[a.role], [...(byRole.get(ROLE_NAMES[a.role]) ?? []), a.username]);
  return [...byRole].map(([role, names]) => `${role} ${names.join(' / ')}`).join('，');
}
