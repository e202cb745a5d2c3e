/**
 * `kaowu candidates template|import|export`: 考生管理 in batch, through the
 * console's services (registration/candidate-import.ts, candidates.ts) and
 * sheets, as the --as account.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { AppError } from '../http/errors.ts';
import type { StaffUser } from '../modules/accounts/staff-auth.ts';
import { importCandidates } from '../modules/registration/candidate-import.ts';
import { exportRows, type CandidateFilter } from '../modules/registration/candidates.ts';
import { classesInScope, institutionsInScope, majorsInScope } from '../modules/registration/lookups.ts';
import { ADMINISTRATION_STAFF, CANDIDATE_READERS } from '../modules/accounts/staff-auth.ts';
import { candidateTemplate, exportCandidates, formatSheetError, type SheetError } from '../modules/sheets/index.ts';
import { actingStaff, findPlan, InputError, inputFile, need, noExtra, outFile, UsageError, withContext } from './args.ts';
import { CANDIDATES_USAGE } from './usage.ts';

export async function candidatesCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      as: { type: 'string' }, out: { type: 'string' }, plan: { type: 'string' }, institution: { type: 'string' },
      major: { type: 'string' }, class: { type: 'string' }, q: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const [sub, ...rest] = positionals;
  if (sub !== 'template' && sub !== 'import' && sub !== 'export') {
    throw new UsageError(`${sub ? `未知的 candidates 子命令：${sub}` : '缺少 candidates 子命令'}（可选：template、import、export）`, CANDIDATES_USAGE);
  }
  const username = need(values.as, '--as', '以哪个员工账号执行', CANDIDATES_USAGE);
  if (sub === 'import') {
    const [file, ...extra] = rest;
    noExtra(extra, CANDIDATES_USAGE);
    return importFile(need(file, '<文件.xlsx>', '要导入的考生信息文件', CANDIDATES_USAGE), username);
  }
  noExtra(rest, CANDIDATES_USAGE);
  const out = outFile(need(values.out, '--out', '输出的 .xlsx 文件', CANDIDATES_USAGE));
  return withContext(async (ctx) => {
    const staff = await actingStaff(ctx.db, username, CANDIDATE_READERS);
    if (sub === 'template') {
      const [institutions, majors, classes] = await Promise.all([institutionsInScope(ctx.db, staff), majorsInScope(ctx.db, staff), classesInScope(ctx.db, staff)]);
      fs.writeFileSync(out, await candidateTemplate({ institutions, majors, classes }));
      console.log(`已生成考生信息导入模板（可选院校 ${institutions.length} 所、专业 ${majors.length} 个、班级 ${classes.length} 个）→ ${out}`);
      return 0;
    }
    const rows = await exportRows(ctx.db, staff, await exportFilter(ctx.db, staff, values));
    fs.writeFileSync(out, await exportCandidates(rows));
    console.log(`已导出 ${rows.length} 名考生 → ${out}`);
    return 0;
  });
}

async function importFile(file: string, username: string): Promise<number> {
  const content = inputFile(file);
  return withContext(async (ctx) => {
    const staff = await actingStaff(ctx.db, username, ADMINISTRATION_STAFF);
    try {
      const report = await importCandidates(ctx, staff, content);
      console.log(`已导入 ${report.imported} 名考生：${report.institutions.map((i) => `${i.institutionName} ${i.count} 名`).join('，')}。`);
      return 0;
    } catch (err) {
      // Every bad row, then the service's summary (main prints it; alone, it already says what is wrong with the file as a whole).
      const rows = err instanceof AppError && Array.isArray(err.extra.rows) ? (err.extra.rows as SheetError[]) : [];
      if (rows.some((e) => e.row > 0)) for (const e of rows) console.error(formatSheetError(e));
      throw err;
    }
  });
}

type ExportOptions = { plan?: string; institution?: string; major?: string; class?: string; q?: string };

/** The command line's filter as the export service takes it: names and codes become ids; scope is the service's to check. */
async function exportFilter(db: Kysely<DB>, staff: StaffUser, v: ExportOptions): Promise<CandidateFilter> {
  const f: CandidateFilter = { q: v.q };
  if (v.plan) f.planId = (await findPlan(db, v.plan)).id;
  if (v.institution) {
    const i = await db.selectFrom('institutions').select('id').where((eb) => eb.or([eb('id', '=', v.institution!), eb('code', '=', v.institution!)])).executeTakeFirst();
    if (!i) throw new InputError(`院校不存在：${v.institution}`);
    f.institutionId = i.id;
  }
  if (v.major) f.majorId = pick(await majorsInScope(db, staff), v.major, '专业', f.institutionId);
  if (v.class) f.classId = pick(await classesInScope(db, staff), v.class, '班级', f.institutionId);
  return f;
}

/** The one major or class the key names (id or name, within the institution when given). */
function pick(list: readonly { id: string; name: string; institutionId: string }[], key: string, what: string, institutionId: string | undefined): string {
  const hits = list.filter((x) => (x.id === key || x.name === key) && (!institutionId || x.institutionId === institutionId));
  if (hits.length === 0) throw new InputError(`${what}不存在或无权访问：${key}`);
  if (hits.length > 1) throw new InputError(`有 ${hits.length} 个名为“${key}”的${what}（不同院校），请用 --institution 指定院校`);
  return hits[0]!.id;
}
