/**
 * `kaowu settlement export`: the 结算单 .xlsx of a plan, one per site, through
 * the console's service (registration/settlements.ts) and sheet, as the --as
 * account (whose scope decides which sites and lines it sees).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { settlements, settlementSheet } from '../modules/registration/settlements.ts';
import { ADMINISTRATION_STAFF } from '../modules/accounts/staff-auth.ts';
import { exportSettlement } from '../modules/sheets/index.ts';
import { actingStaff, findPlan, findSite, InputError, need, noExtra, outFile, UsageError, withContext } from './args.ts';
import { SETTLEMENT_USAGE } from './usage.ts';

export async function settlementCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { plan: { type: 'string' }, site: { type: 'string' }, as: { type: 'string' }, out: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const [sub, ...extra] = positionals;
  if (sub !== 'export') throw new UsageError(`${sub ? `未知的 settlement 子命令：${sub}` : '缺少 settlement 子命令'}（可选：export）`, SETTLEMENT_USAGE);
  noExtra(extra, SETTLEMENT_USAGE);
  const planKey = need(values.plan, '--plan', '考试计划 id 或 6 位计划编号', SETTLEMENT_USAGE);
  const username = need(values.as, '--as', '以哪个员工账号执行', SETTLEMENT_USAGE);
  const out = outFile(need(values.out, '--out', '输出的 .xlsx 文件', SETTLEMENT_USAGE));
  return withContext(async (ctx) => {
    const staff = await actingStaff(ctx.db, username, ADMINISTRATION_STAFF);
    const plan = await findPlan(ctx.db, planKey);
    const siteIds = values.site ? [(await findSite(ctx.db, values.site)).id] : (await settlements(ctx, staff, plan.id)).sites.map((s) => s.siteId);
    if (siteIds.length === 0) throw new InputError(`考试计划“${plan.name}”还没有可结算的报考`);
    for (const siteId of siteIds) {
      const { data, siteCode } = await settlementSheet(ctx, staff, plan.id, siteId);
      const file = siteIds.length > 1 ? path.join(path.dirname(out), `${path.basename(out, path.extname(out))}-${siteCode}${path.extname(out)}`) : out;
      fs.writeFileSync(file, await exportSettlement(data));
      const t = data.totals;
      console.log(`已导出结算单：${data.siteName}，${t.registrations} 人次，应缴 ${t.payable} 元，返还 ${t.refund} 元，实缴 ${t.net} 元 → ${file}`);
    }
    return 0;
  });
}
