/**
 * `kaowu register`: 报考 in batch from a list of ID numbers, through the
 * console's service (registration/registrations.ts) as the --as account. The
 * numbers are looked up within that account's scope first; any that name no
 * candidate it may see are all listed and nothing is registered.
 */
import { parseArgs } from 'node:util';
import ExcelJS from 'exceljs';
import { LEVEL_NAMES, LEVELS, type Level } from '@kaowu/core';
import type { Kysely } from 'kysely';
import { chunks } from '../db/chunks.ts';
import type { DB } from '../db/schema.ts';
import { AppError } from '../http/errors.ts';
import { canSeeInstitution } from '../modules/accounts/scope.ts';
import type { StaffUser } from '../modules/accounts/staff-auth.ts';
import { registerCandidates, type RegisterProblem } from '../modules/registration/registrations.ts';
import { ADMINISTRATION_STAFF } from '../modules/accounts/staff-auth.ts';
import { codeColumn, isCellError, NOT_XLSX, rawCell } from '../modules/sheets/index.ts';
import { actingStaff, findPlan, findSite, InputError, inputFile, need, noExtra, UsageError, withContext } from './args.ts';
import { REGISTER_USAGE } from './usage.ts';

const ID_HEADER = '证件号码';

export async function registerCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { plan: { type: 'string' }, site: { type: 'string' }, level: { type: 'string' }, ids: { type: 'string' }, as: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  noExtra(positionals, REGISTER_USAGE);
  const planKey = need(values.plan, '--plan', '考试计划 id 或 6 位计划编号', REGISTER_USAGE);
  const siteKey = need(values.site, '--site', '考核站点 id 或 4 位站点代码', REGISTER_USAGE);
  const level = need(values.level, '--level', LEVELS.join(' | '), REGISTER_USAGE) as Level;
  if (!LEVELS.includes(level)) throw new UsageError(`--level 应为 ${LEVELS.join(' | ')}`, REGISTER_USAGE);
  const file = need(values.ids, '--ids', '证件号码文件', REGISTER_USAGE);
  const username = need(values.as, '--as', '以哪个员工账号执行', REGISTER_USAGE);
  const numbers = await idNumbers(file);
  if (numbers.length === 0) throw new InputError(`文件 ${file} 中没有证件号码`);

  return withContext(async (ctx) => {
    const staff = await actingStaff(ctx.db, username, ADMINISTRATION_STAFF);
    const [plan, site] = await Promise.all([findPlan(ctx.db, planKey), findSite(ctx.db, siteKey)]);
    const { candidateIds, missing } = await candidatesOf(ctx.db, staff, numbers);
    if (missing.length > 0) {
      for (const n of missing) console.error(`证件号码 ${n}：考生不存在或无权访问`);
      throw new InputError(`有 ${missing.length} 个证件号码找不到可报考的考生，本批未报考任何考生`);
    }
    try {
      const result = await registerCandidates(ctx, staff, { planId: plan.id, siteId: site.id, level, candidateIds });
      const tickets = result.registrations.map((r) => r.ticketNo);
      console.log(`已报考 ${result.registered} 名考生：${plan.name}，${site.name}，${LEVEL_NAMES[level]}；准考证号 ${tickets[0]} 至 ${tickets[tickets.length - 1]}。`);
      return 0;
    } catch (err) {
      // The service's message names three at most: list every one.
      if (err instanceof AppError && Array.isArray(err.extra.problems)) for (const p of err.extra.problems as RegisterProblem[]) console.error(p.reason);
      throw err;
    }
  });
}

/** The ID numbers of the file, as stored (no spaces, upper case), each once, in order. */
async function idNumbers(file: string): Promise<string[]> {
  const content = inputFile(file);
  const isXlsx = content[0] === 0x50 && content[1] === 0x4b;
  const cells = isXlsx ? await firstColumn(content) : content.toString('utf8').split('\n');
  return [...new Set(cells.map((c) => c.replace(/\s+/g, '').toUpperCase()).filter((n) => n && n !== ID_HEADER))];
}

/** The spreadsheet's reading of an ID number cell: a long number Excel rounded is an error, as in the import. */
const ID_CELL = codeColumn({ key: 'idNumber', header: ID_HEADER, required: false });

/** Column A of the first sheet; any cell that cannot be an ID number as typed is listed, and nothing is read. */
async function firstColumn(content: Buffer): Promise<string[]> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(content as unknown as Parameters<typeof wb.xlsx.load>[0]);
  } catch {
    throw new InputError(NOT_XLSX);
  }
  const cells: string[] = [];
  const bad: string[] = [];
  wb.worksheets[0]?.eachRow((row, n) => {
    const value = ID_CELL.parse(rawCell(row.getCell(1).value));
    if (isCellError(value)) bad.push(`第 ${n} 行：${value.error}`);
    else if (value) cells.push(value);
  });
  if (bad.length > 0) {
    for (const line of bad) console.error(line);
    throw new InputError(`文件中有 ${bad.length} 个单元格不是可用的证件号码，本批未报考任何考生`);
  }
  return cells;
}

/** The candidates the numbers name among those `staff` may see, and the numbers that name none. */
async function candidatesOf(db: Kysely<DB>, staff: StaffUser, numbers: readonly string[]): Promise<{ candidateIds: string[]; missing: string[] }> {
  const found = new Map<string, string>();
  for (const part of chunks(numbers, 500)) {
    const rows = await db.selectFrom('candidates').select(['id', 'id_number', 'institution_id']).where('id_number', 'in', part).execute();
    for (const r of rows) if (canSeeInstitution(staff, r.institution_id)) found.set(r.id_number, r.id);
  }
  return { candidateIds: numbers.filter((n) => found.has(n)).map((n) => found.get(n)!), missing: numbers.filter((n) => !found.has(n)) };
}
