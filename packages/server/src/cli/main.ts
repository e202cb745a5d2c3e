import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { LEVELS, type Level } from '@kaowu/core';
import { loadConfig } from '../config.ts';
import { openContext } from '../bootstrap.ts';
import { importBank } from '../modules/bank/import-bank.ts';
import { formatProblem, parseBankFile } from '../modules/bank/bank-file.ts';
import { createDemo, demoLoginLines } from '../modules/demo/demo.ts';

const USAGE = `用法: npm run kaowu -- <命令>

  bank import <文件>     导入题库文件（全部成功或全部不导入，逐条列出错误）
  bank validate <文件>   只检查题库文件，不写数据库
  demo [选项]            新建一个演示考试计划（一个理论场次）并打印考生登录信息
      --candidates N            考生人数（默认 40）
      --level L                 junior | intermediate | advanced（默认 junior）
      --starts-at ISO           开考时间（默认现在）
      --duration-min N          考试时长（默认 90）
      --late-entry-min N        开考后禁止入场的分钟数（默认 30）
      --earliest-submit-min N   开考后多少分钟可交卷（默认 30）
      --final-lock-min N        结束前多少分钟禁止交卷（默认 5）
      --json                    只输出 JSON

环境变量 DATABASE_URL 选择数据库（默认 sqlite:./data/kaowu.db）。`;

class UsageError extends Error {}

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

async function withContext<T>(fn: (ctx: Awaited<ReturnType<typeof openContext>>) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const ctx = await openContext(config, { log: pino({ level: 'warn' }, pino.destination(2)) });
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
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
    console.log(`${name}: ${parsed.bank.questions.length} 道题，格式正确。`);
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
  throw new UsageError(`未知的 bank 子命令：${sub ?? ''}`);
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
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
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
    const demo = await createDemo(ctx, { candidates, level, startsAt, durationMin, rules });
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
      console.error(`错误：${(err as Error).message}\n\n${USAGE}`);
      return 2;
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
