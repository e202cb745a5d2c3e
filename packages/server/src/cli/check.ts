import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import {
  CHECK_VERDICT_NAMES,
  FILE_PATH_RE,
  TASK_TYPE_NAMES,
  answerProblem,
  type GradableTask,
  type GradingResult,
} from '@kaowu/core';
import { CONTENT_DIR } from '../content.ts';
import { formatProblem, isBankTask, parseBankFile } from '../modules/bank/bank-file.ts';

/**
 * `kaowu check`: grades a solution folder against a task of the bank files,
 * the way the exam grades a candidate's answer. The pieces live here so that
 * tests can use them without spawning the CLI.
 */

/** What `check` hands to the grader: the answer as the exam stores it. */
export interface SolutionAnswer {
  files?: Record<string, string>;
  zip?: Buffer;
}

/** A problem with the command line or the inputs (exit code 2). */
export class CheckInputError extends Error {}

export const DEFAULT_BANK_DIR = path.join(CONTENT_DIR, 'banks');

export function defaultBankFiles(dir = DEFAULT_BANK_DIR): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

export interface LoadedTask {
  task: GradableTask;
  file: string;
}

/**
 * Every practical task of the given bank files by id. A file that does not
 * parse is skipped, and its problems are returned so the caller can say why
 * a task was not found.
 */
export function loadTasks(files: readonly string[]): { tasks: Map<string, LoadedTask>; invalid: { file: string; problems: string[] }[] } {
  const tasks = new Map<string, LoadedTask>();
  const invalid: { file: string; problems: string[] }[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new CheckInputError(`无法读取题库文件 ${file}：${(err as Error).message}`);
    }
    const parsed = parseBankFile(text);
    if (!parsed.ok) {
      invalid.push({ file, problems: parsed.problems.map((p) => formatProblem(file, p)) });
      continue;
    }
    for (const q of parsed.bank.questions) {
      if (!isBankTask(q)) continue;
      tasks.set(q.id, { task: { ...q.task, id: q.id, type: q.type, points: q.points }, file });
    }
  }
  return { tasks, invalid };
}

/** Every regular file under `dir`, relative paths with "/", sorted; __pycache__ folders are skipped. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (entry.name !== '__pycache__') walk(p);
      } else if (entry.isFile() && !entry.name.endsWith('.pyc')) out.push(p);
    }
  };
  walk('');
  return out.sort();
}

/**
 * A solution folder as the exam's answer to `task`: the files of the folder
 * for code and webpage tasks; for upload tasks the folder zipped (or the one
 * .zip it holds at its top level).
 */
export function readSolution(task: GradableTask, dir: string): SolutionAnswer {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    throw new CheckInputError(`答案文件夹 ${dir} 不存在`);
  }
  if (!stat.isDirectory()) throw new CheckInputError(`${dir} 不是文件夹`);
  const paths = listFiles(dir);
  if (paths.length === 0) throw new CheckInputError(`答案文件夹 ${dir} 是空的`);
  if (task.type === 'case') throw new CheckInputError(`${task.id} 是${TASK_TYPE_NAMES.case}，没有自动检查项，由阅卷人按评分细则评分`);
  if (task.type === 'upload') {
    const zips = paths.filter((p) => !p.includes('/') && p.toLowerCase().endsWith('.zip'));
    const zip = zips.length === 1 && paths.length === 1 ? fs.readFileSync(path.join(dir, zips[0]!)) : zipFiles(dir, paths);
    if (zip.length > task.maxUploadKb * 1024) {
      throw new CheckInputError(`压缩包 ${Math.ceil(zip.length / 1024)} KB，超过本题上限 ${task.maxUploadKb} KB`);
    }
    return { zip };
  }
  const bad = paths.find((p) => !FILE_PATH_RE.test(p));
  if (bad !== undefined) throw new CheckInputError(`文件名 ${bad} 不可用：文件路径只能由字母、数字、_ . - / 组成`);
  const files = Object.fromEntries(paths.map((p) => [p, fs.readFileSync(path.join(dir, p), 'utf8')]));
  const problem = answerProblem({ type: task.type, optionIds: [] }, { files });
  if (problem) throw new CheckInputError(`考试中这份答案无法保存：${problem}`);
  return { files };
}

/** A zip archive (deflate) of the given files of `dir`, built in memory. */
export function zipFiles(dir: string, paths: readonly string[]): Buffer {
  const local: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  // DOS time and date of 2026-01-01 00:00: fixed, so the same folder gives the same zip.
  const dosTime = 0;
  const dosDate = ((2026 - 1980) << 9) | (1 << 5) | 1;
  for (const p of paths) {
    const data = fs.readFileSync(path.join(dir, p));
    const deflated = zlib.deflateRawSync(data);
    const name = Buffer.from(p, 'utf8');
    const crc = zlib.crc32(data);
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0);
    head.writeUInt16LE(20, 4); // version needed
    head.writeUInt16LE(0x0800, 6); // UTF-8 names
    head.writeUInt16LE(8, 8); // deflate
    head.writeUInt16LE(dosTime, 10);
    head.writeUInt16LE(dosDate, 12);
    head.writeUInt32LE(crc, 14);
    head.writeUInt32LE(deflated.length, 18);
    head.writeUInt32LE(data.length, 22);
    head.writeUInt16LE(name.length, 26);
    head.writeUInt16LE(0, 28);
    local.push(head, name, deflated);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4); // version made by
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(0x0800, 8);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt16LE(dosTime, 12);
    entry.writeUInt16LE(dosDate, 14);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(deflated.length, 20);
    entry.writeUInt32LE(data.length, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(offset, 42);
    central.push(entry, name);
    offset += head.length + name.length + deflated.length;
  }
  const centralSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(paths.length, 8);
  end.writeUInt16LE(paths.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...local, ...central, end]);
}

/** Whether every automatic point was earned. */
export const fullMarks = (r: GradingResult) => r.earned >= r.max - 1e-9;

const pts = (n: number) => String(Math.round(n * 100) / 100);

/** The result in Chinese, one line per check. */
export function resultLines(task: GradableTask, r: GradingResult): string[] {
  const manual = task.rubric.reduce((s, i) => s + i.points, 0);
  const lines = [`${task.id}《${task.title}》（${TASK_TYPE_NAMES[task.type]}，${pts(task.points)} 分）`];
  for (const c of r.checks) {
    const mark = c.verdict === 'passed' ? '✓' : '✗';
    const sample = c.sample ? '［样例］' : '';
    lines.push(`  ${mark} ${c.id} ${sample}${c.name}：${CHECK_VERDICT_NAMES[c.verdict]}，${pts(c.earned)}/${pts(c.points)} 分（${c.timeMs} ms）`);
    if (c.verdict !== 'passed' && c.message) {
      for (const l of c.message.split('\n').slice(0, 12)) lines.push(`      ${l}`);
    }
  }
  lines.push(`自动评分：${pts(r.earned)} / ${pts(r.max)} 分${manual > 0 ? `（另有人工评分 ${pts(manual)} 分）` : ''}${fullMarks(r) ? '，全部通过。' : '。'}`);
  return lines;
}
