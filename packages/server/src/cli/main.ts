import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ITEM_TYPES, LEVELS, LEVEL_NAMES, QUESTION_TYPE_NAMES, TASK_TYPE_NAMES, isTaskType, type ItemType, type Level, type TaskSpec } from '@kaowu/core';
import { AppError } from '../http/errors.ts';
import { importBank } from '../modules/bank/import-bank.ts';
import { formatProblem, isBankTask, parseBankFile } from '../modules/bank/bank-file.ts';
import { createDemo, demoLoginLines, DEMO_PAPERS, type DemoPapers } from '../modules/demo/demo.ts';
import { CheckInputError, defaultBankFiles, fullMarks, loadTasks, readSolution, resultLines } from './check.ts';
import { InputError, UsageError, withContext } from './args.ts';
import { printCommand, PRINT_USAGE } from './print.ts';
import { ARRANGE_USAGE, CANDIDATES_USAGE, PROCTORS_USAGE, REGISTER_USAGE, SETTLEMENT_USAGE } from './usage.ts';

const USAGE = `用法: npm run kaowu -- <命令>

  bank import <文件>     导入题库文件（全部成功或全部不导入，逐条列出错误）
  bank validate <文件>   只检查题库文件，不写数据库
  bank list [选项]       列出数据库中启用的题目与实操任务
      --level L                 只列出该等级（junior | intermediate | advanced）
      --type T                  只列出该题型（${ITEM_TYPES.join(' | ')}，或 task 表示全部实操题）
      --json                    只输出 JSON
  check <任务编号> <答案文件夹> [选项]
                         像考试评分一样评判一份实操题答案（退出码：0 自动分全得，1 未全得，2 用法错误/无此任务/沙箱不可用）
      --bank <文件>             从这些题库文件中找任务（可重复；默认 content/banks/*.yaml）
      --json                    只输出 JSON
  demo [选项]            新建一个演示考试计划（理论与实操场次）并打印考生、阅卷员登录信息
      --candidates N            考生人数（默认 40）
      --level L                 junior | intermediate | advanced（默认 junior）
      --starts-at ISO           开考时间（默认现在）
      --paper P                 theory | practical | both（默认 both；两场同时开考，便于演示）
      --duration-min N          考试时长（默认：理论 90、实操 120）
      --late-entry-min N        开考后禁止入场的分钟数（默认 30）
      --earliest-submit-min N   开考后多少分钟可交卷（默认 30）
      --final-lock-min N        结束前多少分钟禁止交卷（默认 5）
      --json                    只输出 JSON
${PRINT_USAGE}

考务批量操作：调用与控制台相同的服务，规则相同。--as <用户名> 为执行操作的员工账号（须存在且已启用，
角色与权限范围同控制台，每项修改以该账号记入操作日志，并注明“命令行”）；--plan 为考试计划 id
或 6 位计划编号，--site 为考核站点 id 或 4 位站点代码。
${CANDIDATES_USAGE}
${REGISTER_USAGE}
${ARRANGE_USAGE}
${PROCTORS_USAGE}
${SETTLEMENT_USAGE}

环境变量 DATABASE_URL 选择数据库（默认 sqlite:./data/kaowu.db）。`;

function readFile(file: string | undefined): { name: string; text: string } {
  if (!file) throw new UsageError('缺少文件参数');
  try {
    return { name: file, text: fs.readFileSync(path.resolve(file), 'utf8') };
  } catch (err) {
    throw new UsageError(`无法读取文件 ${file}：${(err as Error).message}`);
  }
}

function num(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`${flag} 应为非负数：${value}`);
  return n;
}

async function bankCommand(args: string[]): Promise<number> {
  const [sub, file] = args;
  if (sub === 'validate') {
    const { name, text } = readFile(file);
    const parsed = parseBankFile(text);
    if (!parsed.ok) {
      for (const p of parsed.problems) console.error(formatProblem(name, p));
      console.error(`共 ${parsed.problems.length} 处错误。`);
      return 1;
    }
    const tasks = parsed.bank.questions.filter(isBankTask).length;
    console.log(`${name}: ${parsed.bank.questions.length} 道题${tasks ? `（其中实操题 ${tasks} 道）` : ''}，格式正确。`);
    return 0;
  }
  if (sub === 'import') {
    const { name, text } = readFile(file);
    return withContext(async (ctx) => {
      const result = await importBank(ctx.db, text, path.basename(name));
      if (!result.ok) {
        for (const p of result.problems) console.error(formatProblem(name, p));
        console.error(`共 ${result.problems.length} 处错误，未导入任何题目。`);
        return 1;
      }
      const r = result.report;
      console.log(`已导入 ${name}（${r.certificate} / ${r.level}）：新增 ${r.added}，修订 ${r.revised}，未变 ${r.unchanged}。`);
      return 0;
    });
  }
  if (sub === 'list') return bankListCommand(args.slice(1));
  throw new UsageError(`未知的 bank 子命令：${sub ?? ''}`);
}

const ITEM_TYPE_NAMES: Record<ItemType, string> = { ...QUESTION_TYPE_NAMES, ...TASK_TYPE_NAMES };

/** Display width: CJK and full-width characters take two columns. */
const width = (s: string) => [...s].reduce((n, c) => n + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(c) ? 2 : 1), 0);
const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - width(s)));

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : pad(c, widths[i]!))).join('  ');
  return [line(header), ...rows.map(line)];
}

async function bankListCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { level: { type: 'string' }, type: { type: 'string' }, json: { type: 'boolean', default: false } }, strict: true });
  const level = values.level as Level | undefined;
  if (level !== undefined && !LEVELS.includes(level)) throw new UsageError(`--level 应为 ${LEVELS.join(' | ')}`);
  const type = values.type as ItemType | 'task' | undefined;
  if (type !== undefined && type !== 'task' && !ITEM_TYPES.includes(type)) throw new UsageError(`--type 应为 ${ITEM_TYPES.join(' | ')} 或 task`);
  return withContext(async (ctx) => {
    let query = ctx.db
      .selectFrom('questions')
      .innerJoin('certificates', 'certificates.id', 'questions.certificate_id')
      .select(['questions.code', 'questions.revision', 'certificates.code as certificate', 'questions.level', 'questions.type', 'questions.topic', 'questions.points', 'questions.task'])
      .where('questions.active', '=', 1);
    if (level) query = query.where('questions.level', '=', level);
    if (type === 'task') query = query.where('questions.task', 'is not', null);
    else if (type) query = query.where('questions.type', '=', type);
    const rows = await query.orderBy('questions.code').execute();
    const order = (l: Level) => LEVELS.indexOf(l);
    const items = rows
      .map((r) => ({
        id: r.code,
        revision: Number(r.revision),
        certificate: r.certificate,
        level: r.level,
        type: r.type,
        topic: r.topic,
        points: Number(r.points),
        title: isTaskType(r.type) && r.task ? (JSON.parse(r.task) as TaskSpec).title : null,
      }))
      .sort((a, b) => order(a.level) - order(b.level) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    if (values.json) {
      console.log(JSON.stringify(items));
      return 0;
    }
    if (items.length === 0) {
      console.log('没有符合条件的启用题目。');
      return 0;
    }
    const lines = table(
      ['编号', '修订', '等级', '题型', '知识点', '分值', '标题'],
      items.map((i) => [i.id, String(i.revision), LEVEL_NAMES[i.level], ITEM_TYPE_NAMES[i.type], i.topic, String(i.points), i.title ?? '']),
    );
    console.log(lines.map((l) => l.trimEnd()).join('\n'));
    const tasks = items.filter((i) => isTaskType(i.type)).length;
    console.log(`共 ${items.length} 道（理论题 ${items.length - tasks}，实操题 ${tasks}）。`);
    return 0;
  });
}

async function checkCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { bank: { type: 'string', multiple: true }, json: { type: 'boolean', default: false } },
    allowPositionals: true,
    strict: true,
  });
  const [taskId, dir, ...extra] = positionals;
  if (!taskId || !dir) throw new UsageError('用法：check <任务编号> <答案文件夹>');
  if (extra.length > 0) throw new UsageError(`多余的参数：${extra.join(' ')}`);
  const fail = (message: string): number => {
    if (values.json) console.log(JSON.stringify({ error: message }));
    console.error(`错误：${message}`);
    return 2;
  };
  let answer;
  let loaded;
  try {
    const files = values.bank?.length ? values.bank.map((f) => path.resolve(f)) : defaultBankFiles();
    const { tasks, invalid } = loadTasks(files);
    loaded = tasks.get(taskId);
    if (!loaded) {
      const why = invalid.map((i) => `\n${i.problems.slice(0, 5).join('\n')}`).join('');
      return fail(`题库中没有实操任务 ${taskId}${invalid.length ? `（${invalid.length} 个题库文件有错误，已跳过：${why}）` : ''}`);
    }
    answer = readSolution(loaded.task, dir);
  } catch (err) {
    if (err instanceof CheckInputError) return fail(err.message);
    throw err;
  }
  const { Grader, SandboxUnavailable } = await import('@kaowu/grader');
  const grader = new Grader({ slots: 1 });
  try {
    const status = await grader.status();
    if (!status.available) return fail(`沙箱不可用：${status.reason ?? '原因未知'}`);
    const result = await grader.grade(loaded.task, answer, { samplesOnly: false });
    if (values.json) console.log(JSON.stringify({ taskId, type: loaded.task.type, points: loaded.task.points, fullMarks: fullMarks(result), result }));
    else console.log(resultLines(loaded.task, result).join('\n'));
    return fullMarks(result) ? 0 : 1;
  } catch (err) {
    if (err instanceof SandboxUnavailable) return fail(`沙箱不可用：${err.reason}`);
    throw err;
  } finally {
    await grader.close();
  }
}

async function demoCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      candidates: { type: 'string' },
      level: { type: 'string' },
      'starts-at': { type: 'string' },
      'duration-min': { type: 'string' },
      'late-entry-min': { type: 'string' },
      'earliest-submit-min': { type: 'string' },
      'final-lock-min': { type: 'string' },
      paper: { type: 'string' },
      'no-school': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const papers = (values.paper ?? 'both') as DemoPapers;
  if (!DEMO_PAPERS.includes(papers)) throw new UsageError(`--paper 应为 ${DEMO_PAPERS.join(' | ')}`);
  const level = (values.level ?? 'junior') as Level;
  if (!LEVELS.includes(level)) throw new UsageError(`--level 应为 ${LEVELS.join(' | ')}`);
  const candidates = num(values.candidates, '--candidates') ?? 40;
  if (!Number.isInteger(candidates) || candidates < 1 || candidates > 100_000) throw new UsageError('--candidates 应为 1–100000 的整数');
  const startsAt = values['starts-at'] ? Date.parse(values['starts-at']) : Date.now();
  if (Number.isNaN(startsAt)) throw new UsageError(`--starts-at 不是有效的 ISO 时间：${values['starts-at']}`);
  const durationMin = num(values['duration-min'], '--duration-min');
  if (durationMin !== undefined && durationMin <= 0) throw new UsageError('--duration-min 应大于 0');
  const rules = {
    lateEntryMin: num(values['late-entry-min'], '--late-entry-min'),
    earliestSubmitMin: num(values['earliest-submit-min'], '--earliest-submit-min'),
    finalLockMin: num(values['final-lock-min'], '--final-lock-min'),
  };
  return withContext(async (ctx) => {
    // The demo school's site holds up to 9,999 tickets per plan; larger demos register without a site.
    const school = !values['no-school'] && candidates <= 9999;
    const demo = await createDemo(ctx, { candidates, level, startsAt, durationMin, rules, papers, school });
    if (values.json) console.log(JSON.stringify(demo));
    else console.log(demoLoginLines(demo, startsAt).join('\n'));
    return 0;
  });
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'bank':
        return await bankCommand(rest);
      case 'demo':
        return await demoCommand(rest);
      case 'check':
        return await checkCommand(rest);
      case 'print':
        return await printCommand(rest);
      // The 考务 commands load their services only when they run.
      case 'candidates':
        return await (await import('./candidates.ts')).candidatesCommand(rest);
      case 'register':
        return await (await import('./registration.ts')).registerCommand(rest);
      case 'arrange':
        return await (await import('./arrangement.ts')).arrangeCommand(rest);
      case 'proctors':
        return await (await import('./arrangement.ts')).proctorsCommand(rest);
      case 'settlement':
        return await (await import('./settlement.ts')).settlementCommand(rest);
      case undefined:
      case 'help':
      case '--help':
        console.log(USAGE);
        return command === undefined ? 1 : 0;
      default:
        throw new UsageError(`未知命令：${command}`);
    }
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      const usage = err instanceof UsageError && err.usage ? `用法:\n${err.usage}` : USAGE;
      console.error(`错误：${(err as Error).message}\n\n${usage}`);
      return 2;
    }
    if (err instanceof InputError || err instanceof AppError) {
      console.error(`错误：${err.message}`);
      return 1;
    }
    throw err;
  }
}

// exitCode, not exit(): a piped stdout (e.g. `demo --json | jq`) must drain first.
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(err);
    process.exitCode = 1;
  },
);
