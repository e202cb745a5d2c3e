/**
 * `kaowu print tickets|door|desk|signin --plan <计划> [--site <站点>] [--room <考场>] --out <file.pdf>`
 *
 * Prints from the published 考场编排, like the console's 打印 tab, and writes
 * print_log rows (printed_by "cli"). --plan takes a plan id or its 6-digit
 * code, --site a site id or its 4-digit code; without --site, every site of
 * the plan whose arrangement is published goes into the one file. One line of
 * summary on success; a Chinese message and a non-zero exit otherwise.
 */
import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { PlanRow, SiteRow } from '../modules/arrangement/load.ts';
import type { PrintKind } from '../modules/printing/print-data.ts';
import { findPlan, findSite, InputError, need, noExtra, outFile, UsageError, withContext } from './args.ts';

/** The same as PRINT_KINDS / PRINT_KIND_NAMES in printing/print-data.ts (not imported: pdfkit loads only for this command). */
const PRINT_KIND_NAMES: Record<PrintKind, string> = { tickets: '准考证', door: '考场门贴', desk: '考场桌贴', signin: '签到表' };
const PRINT_KINDS = Object.keys(PRINT_KIND_NAMES) as PrintKind[];

export const PRINT_USAGE = `  print <种类> --plan <计划> [--site <站点>] [--room <考场>] --out <文件.pdf>
                         从已发布的考场编排打印 PDF（种类：tickets 准考证 | door 考场门贴 | desk 考场桌贴 | signin 签到表）
      --plan P                  考试计划 id 或 6 位计划编号
      --site S                  考核站点 id 或 4 位站点代码（默认：该计划所有已发布编排的站点）
      --room R                  只打印该考场（考场 id 或名称；须同时给出 --site）`;

/** The site named, else every site of the plan whose arrangement is published. */
async function findSites(db: Kysely<DB>, plan: PlanRow, key: string | undefined): Promise<SiteRow[]> {
  if (key) return [await findSite(db, key)];
  const sites = await db
    .selectFrom('sites')
    .innerJoin('arrangements', 'arrangements.site_id', 'sites.id')
    .selectAll('sites')
    .where('arrangements.plan_id', '=', plan.id)
    .where('arrangements.state', '=', 'published')
    .orderBy('sites.code')
    .execute();
  if (sites.length === 0) throw new InputError(`考试计划“${plan.name}”还没有任何考核站点发布考场编排，无可打印的内容`);
  return sites;
}

export async function printCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { plan: { type: 'string' }, site: { type: 'string' }, room: { type: 'string' }, out: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const [kind, ...extra] = positionals;
  if (!kind || !(PRINT_KINDS as readonly string[]).includes(kind)) {
    throw new UsageError(`${kind ? `未知的打印种类：${kind}` : '缺少打印种类'}（可选：${PRINT_KINDS.map((k) => `${k} ${PRINT_KIND_NAMES[k]}`).join('、')}）`, PRINT_USAGE);
  }
  noExtra(extra, PRINT_USAGE);
  const planKey = need(values.plan, '--plan', '考试计划 id 或 6 位计划编号', PRINT_USAGE);
  const out = outFile(need(values.out, '--out', '输出的 PDF 文件', PRINT_USAGE));
  if (values.room && !values.site) throw new UsageError('--room 须与 --site 一起使用', PRINT_USAGE);

  const [{ printPapers }, { PrintFontError }] = await Promise.all([import('../modules/printing/print-service.ts'), import('../modules/printing/index.ts')]);
  return withContext(async (ctx) => {
    const plan = await findPlan(ctx.db, planKey);
    const sites = await findSites(ctx.db, plan, values.site);
    let roomId: string | undefined;
    if (values.room) {
      const room =
        (await ctx.db.selectFrom('rooms').select('id').where('site_id', '=', sites[0]!.id).where('id', '=', values.room).executeTakeFirst()) ??
        (await ctx.db.selectFrom('rooms').select('id').where('site_id', '=', sites[0]!.id).where('name', '=', values.room).executeTakeFirst());
      if (!room) throw new InputError(`考核站点“${sites[0]!.name}”没有考场：${values.room}`);
      roomId = room.id;
    }
    try {
      const result = await printPapers(ctx.db, { kind: kind as PrintKind, plan, sites, roomId, printedBy: 'cli', now: ctx.clock.now(), out });
      console.log(
        `已打印${PRINT_KIND_NAMES[kind as PrintKind]}：${result.pages} 页，${result.candidates} 名考生，${result.rooms} 个考场，${sites.length} 个考核站点 → ${out}`,
      );
      return 0;
    } catch (err) {
      if (err instanceof PrintFontError) throw new InputError(err.message);
      throw err;
    }
  });
}
