/**
 * `kaowu arrange` and `kaowu proctors assign`: 考场编排 (run, then optionally
 * publish) and automatic 监考安排 for one plan at one site, through the
 * console's services (arrangement/arrange-service.ts, proctor-service.ts) as
 * the --as account; what they return is printed the way the console shows it.
 */
import { parseArgs } from 'node:util';
import { publishArrangement, runArrangement } from '../modules/arrangement/arrange-service.ts';
import { runProctors } from '../modules/arrangement/proctor-service.ts';
import { ADMINISTRATION_STAFF } from '../modules/accounts/staff-auth.ts';
import type { ArrangementView, ProctorView } from '../modules/arrangement/schemas.ts';
import { actingStaff, findPlan, findSite, need, noExtra, UsageError, withContext } from './args.ts';
import { ARRANGE_USAGE, PROCTORS_USAGE } from './usage.ts';

const target = { plan: { type: 'string' }, site: { type: 'string' }, as: { type: 'string' } } as const;

/** --plan, --site and --as, required. */
function targetArgs(values: { plan?: string; site?: string; as?: string }, usage: string) {
  return {
    planKey: need(values.plan, '--plan', '考试计划 id 或 6 位计划编号', usage),
    siteKey: need(values.site, '--site', '考核站点 id 或 4 位站点代码', usage),
    username: need(values.as, '--as', '以哪个员工账号执行', usage),
  };
}

export async function arrangeCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { ...target, 'every-other-seat': { type: 'boolean' }, 'all-seats': { type: 'boolean' }, publish: { type: 'boolean', default: false } },
    allowPositionals: true,
    strict: true,
  });
  noExtra(positionals, ARRANGE_USAGE);
  if (values['every-other-seat'] && values['all-seats']) throw new UsageError('--every-other-seat 与 --all-seats 只能选一个', ARRANGE_USAGE);
  const everyOtherSeat = values['every-other-seat'] ? true : values['all-seats'] ? false : undefined;
  const { planKey, siteKey, username } = targetArgs(values, ARRANGE_USAGE);
  return withContext(async (ctx) => {
    const staff = await actingStaff(ctx.db, username, ADMINISTRATION_STAFF);
    const [plan, site] = await Promise.all([findPlan(ctx.db, planKey), findSite(ctx.db, siteKey)]);
    const view = await runArrangement(ctx, staff, { planId: plan.id, siteId: site.id, everyOtherSeat });
    console.log([heading('考场编排', view), view.run.message, ...arrangementLines(view)].join('\n'));
    if (values.publish) {
      const published = await publishArrangement(ctx, staff, { planId: plan.id, siteId: site.id });
      console.log(`已发布考场编排：${published.totals.placed} 名考生，${published.rooms.filter((r) => r.used > 0).length} 个考场。`);
    }
    return 0;
  });
}

export async function proctorsCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: target, allowPositionals: true, strict: true });
  const [sub, ...extra] = positionals;
  if (sub !== 'assign') throw new UsageError(`${sub ? `未知的 proctors 子命令：${sub}` : '缺少 proctors 子命令'}（可选：assign）`, PROCTORS_USAGE);
  noExtra(extra, PROCTORS_USAGE);
  const { planKey, siteKey, username } = targetArgs(values, PROCTORS_USAGE);
  return withContext(async (ctx) => {
    const staff = await actingStaff(ctx.db, username, ADMINISTRATION_STAFF);
    const [plan, site] = await Promise.all([findPlan(ctx.db, planKey), findSite(ctx.db, siteKey)]);
    const view = await runProctors(ctx, staff, { planId: plan.id, siteId: site.id });
    console.log([heading('监考安排', view), ...proctorLines(view)].join('\n'));
    return 0;
  });
}

const heading = (what: string, v: { plan: { name: string }; site: { name: string; code: string } }) => `${what}：${v.plan.name} · ${v.site.name}（${v.site.code}）`;

function arrangementLines(v: ArrangementView): string[] {
  const t = v.totals;
  const lines = v.rooms.map((r) => `  ${r.name}（${r.location}）：${r.levelName ?? '未使用'}，${r.used}/${r.capacity} 人`);
  lines.push(`共 ${t.registered} 名考生：已安排座位 ${t.placed} 名，未安排 ${t.unplaced} 名；${v.rooms.length} 个考场，可容纳 ${t.capacity} 人。`);
  if (v.unplaced.length) {
    lines.push(`未安排座位的考生（${v.unplaced.length} 名）：`);
    for (const u of v.unplaced) lines.push(`  ${u.ticketNo} ${u.name}（${u.levelName}${u.className ? `，${u.className}` : ''}）`);
  }
  for (const p of v.problems) lines.push(`提示：${p}`);
  return lines;
}

function proctorLines(v: ProctorView): string[] {
  const names = new Map(v.pool.map((p) => [p.userId, p.name]));
  const lines: string[] = [];
  for (const r of v.rooms.filter((room) => room.candidates > 0 || room.proctors.length > 0)) {
    const proctors = r.proctors.map((p) => p.name).join('、') || '（无）';
    lines.push(`  ${r.name}（${r.levelName ?? '—'}，${r.candidates} 名考生，需 ${r.needed} 名）：${proctors}`);
    for (const a of r.avoiders) lines.push(`    回避：${names.get(a.userId) ?? a.userId}——${a.reasons.join('；')}`);
  }
  lines.push(`主考：${v.chief?.name ?? '未指定'}`);
  for (const p of v.problems) lines.push(`问题：${p.message}`);
  lines.push(`共需监考员 ${v.totals.needed} 名，已安排 ${v.totals.assigned} 名（可安排 ${v.totals.pool} 人）。`);
  return lines;
}
