import '../../zod-locale.ts';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { z } from 'zod';
import { ITEM_TYPES, LEVELS, OPTION_IDS, TASK_TYPES, TASK_TYPE_NAMES, isTaskType, questionTypeSchema, taskSpecSchema, type BankProblem } from '@kaowu/core';

/** Format `kaowu-bank`, version 1: docs/bank-format.md. */
export const BANK_FORMAT = 'kaowu-bank';
export const BANK_VERSIONS = [1] as const;

const optionText = z.string({ error: '选项文本应为字符串（YAML 中请给数字、true/false 等加引号）' }).min(1, '选项文本不能为空');

const questionSchema = z
  .strictObject({
    id: z.string().regex(/^[A-Za-z0-9_-]{3,40}$/, '题目编号只能由 3–40 个字母、数字、-、_ 组成'),
    type: questionTypeSchema,
    topic: z.string().min(1, '缺少知识点 topic'),
    points: z.number().positive('分值应为正数'),
    stem: z.string().min(1, '题干不能为空'),
    code: z.string().min(1).optional(),
    options: z.record(z.string(), optionText).optional(),
    answer: z.union([z.string(), z.array(z.string()), z.boolean()]),
    explanation: z.string().min(1, '缺少解析 explanation'),
    output: z.string().optional(),
    requires: z.array(z.string()).optional(),
    checkOutput: z.boolean().optional(),
  })
  .superRefine((q, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    if (q.type === 'truefalse') {
      if (q.options !== undefined) issue(['options'], '判断题不应有选项');
      if (typeof q.answer !== 'boolean') issue(['answer'], '判断题的答案应为 true 或 false');
      return;
    }
    if (q.output !== undefined) issue(['output'], 'output 只用于判断题');
    const ids = Object.keys(q.options ?? {});
    if (ids.length < 2 || ids.length > 8) return issue(['options'], '选择题应有 2–8 个选项');
    const expected = OPTION_IDS.slice(0, ids.length);
    if (ids.some((id, i) => id !== expected[i])) {
      return issue(['options'], `选项编号应依次为 ${expected.join('、')}`);
    }
    const texts = Object.values(q.options ?? {});
    if (new Set(texts).size !== texts.length) issue(['options'], '选项文本有重复');
    if (q.type === 'single') {
      if (typeof q.answer !== 'string') return issue(['answer'], '单选题的答案应为一个选项编号');
      if (!ids.includes(q.answer)) issue(['answer'], `答案 ${q.answer} 不是本题的选项`);
    } else {
      if (!Array.isArray(q.answer)) return issue(['answer'], '多选题的答案应为选项编号列表');
      if (q.answer.length < 2) issue(['answer'], '多选题至少应有两个正确选项');
      if (new Set(q.answer).size !== q.answer.length) issue(['answer'], '答案中有重复选项');
      const unknown = q.answer.filter((a) => !ids.includes(a));
      if (unknown.length > 0) issue(['answer'], `答案 ${unknown.join('、')} 不是本题的选项`);
    }
  });
export type BankQuestion = z.infer<typeof questionSchema>;

/** Fields of a theory question that a practical task must not have (its content is in `task`). */
const THEORY_ONLY = ['options', 'answer', 'output', 'code', 'requires', 'checkOutput'] as const;

const sum = (xs: readonly { points: number }[]) => xs.reduce((s, x) => s + x.points, 0);

/** Two paths overlap when they are equal or one is a folder of the other. */
const overlaps = (a: string, b: string) => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);

/**
 * A practical task (实操题): code, webpage, case or upload. Its statement is the
 * Markdown `stem`; `task` holds files, data, checks and rubric (core's
 * taskSpecSchema). Rules: docs/bank-format.md ("Practical tasks").
 */
const taskSchema = z
  .strictObject({
    id: z.string().regex(/^[A-Za-z0-9_-]{3,40}$/, '题目编号只能由 3–40 个字母、数字、-、_ 组成'),
    type: z.enum(TASK_TYPES),
    topic: z.string().min(1, '缺少知识点 topic'),
    points: z.number().positive('分值应为正数'),
    stem: z.string().min(1, '题目描述 stem 不能为空'),
    task: taskSpecSchema,
    /** Notes for graders; never sent to candidates. */
    explanation: z.string().min(1, '解析 explanation 不能为空').optional(),
    // Theory-only fields, accepted here only to be refused with a clear message.
    options: z.unknown().optional(),
    answer: z.unknown().optional(),
    output: z.unknown().optional(),
    code: z.unknown().optional(),
    requires: z.unknown().optional(),
    checkOutput: z.unknown().optional(),
  })
  .superRefine((q, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const typeName = TASK_TYPE_NAMES[q.type];
    for (const key of THEORY_ONLY) {
      if (q[key] !== undefined) issue([key], `${typeName}不应有 ${key}（实操题的内容写在 task 中）`);
    }
    const t = q.task;
    const automatic = sum(t.checks);
    const manual = sum(t.rubric);
    if (Math.abs(automatic + manual - q.points) > 1e-9) {
      issue(['points'], `分值 ${q.points} 应等于检查项分值之和 ${automatic} 加评分细则分值之和 ${manual}（共 ${automatic + manual}）`);
    }
    const checkIds = new Map<string, number>();
    t.checks.forEach((c, i) => {
      const first = checkIds.get(c.id);
      if (first !== undefined) issue(['task', 'checks', i, 'id'], `检查项编号 ${c.id} 重复（第 ${first + 1} 项已使用）`);
      else checkIds.set(c.id, i);
    });
    const rubricIds = new Map<string, number>();
    t.rubric.forEach((r, i) => {
      const first = rubricIds.get(r.id);
      if (first !== undefined) issue(['task', 'rubric', i, 'id'], `评分细则编号 ${r.id} 重复（第 ${first + 1} 项已使用）`);
      else rubricIds.set(r.id, i);
    });
    if (q.type === 'case') {
      if (t.checks.length > 0) issue(['task', 'checks'], '案例分析题没有自动检查项，只按评分细则 rubric 人工评分');
      if (t.rubric.length === 0) issue(['task', 'rubric'], '案例分析题至少应有一项评分细则 rubric');
    }
    t.checks.forEach((c, i) => {
      if (q.type === 'webpage' && c.kind !== 'page') issue(['task', 'checks', i, 'kind'], `网页题只能使用 page 检查项，不能使用 ${c.kind}`);
      if ((q.type === 'code' || q.type === 'upload') && c.kind === 'page') issue(['task', 'checks', i, 'kind'], `${typeName}不能使用 page 检查项（page 只用于网页题）`);
      if (c.kind === 'page' && q.type === 'webpage' && t.files[c.page] === undefined && t.data[c.page] === undefined) {
        issue(['task', 'checks', i, 'page'], `页面 ${c.page} 不在 task.files 或 task.data 中`);
      }
    });
    const runsEntry = t.checks.some((c) => c.kind === 'stdout' || (c.kind === 'script' && c.runEntry));
    if (q.type === 'code' && runsEntry && t.files[t.entry] === undefined) {
      issue(['task', 'entry'], `入口文件 ${t.entry} 应是 task.files 中的一个文件（stdout 检查和 runEntry 脚本要运行它）`);
    }
    for (const d of Object.keys(t.data)) {
      const clash = Object.keys(t.files).find((f) => overlaps(f, d));
      if (clash !== undefined) issue(['task', 'data', d], `数据文件 ${d} 与考生文件 ${clash} 路径重叠`);
    }
    if (t.doubleMarking && t.rubric.length === 0) issue(['task', 'doubleMarking'], '双评 doubleMarking 需要评分细则 rubric');
  });
export type BankTask = Omit<z.infer<typeof taskSchema>, (typeof THEORY_ONLY)[number]>;

/** An entry of `questions:`: a theory question or a practical task. */
export type BankItem = BankQuestion | BankTask;
export const isBankTask = (item: BankItem): item is BankTask => isTaskType(item.type);

const itemSchema = z.discriminatedUnion('type', [questionSchema, taskSchema], { error: `题型 type 应为 ${ITEM_TYPES.join(' / ')}` });

const bankFileSchema = z.strictObject({
  format: z.literal(BANK_FORMAT, { error: `format 应为 ${BANK_FORMAT}` }),
  version: z.union(BANK_VERSIONS.map((v) => z.literal(v)), { error: `不支持的题库格式版本（支持：${BANK_VERSIONS.join('、')}）` }),
  certificate: z.string().min(1),
  level: z.enum(LEVELS, { error: `level 应为 ${LEVELS.join(' / ')}` }),
  title: z.string().optional(),
  questions: z.array(itemSchema).min(1, '题库中没有题目'),
});
export type BankFile = z.infer<typeof bankFileSchema>;

export type BankParseResult = { ok: true; bank: BankFile } | { ok: false; problems: BankProblem[] };

function pathString(path: readonly PropertyKey[]): string {
  return path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${String(p)}` : String(p)), '');
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const key of path) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}

/** The position of the deepest node on `path` that exists. */
function positionOf(doc: Document, lines: LineCounter, path: readonly PropertyKey[]): { line: number; col: number } | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n) as unknown[], true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]);
  }
  return undefined;
}

/** Parses and validates a bank file (YAML or JSON text); every problem is reported. */
export function parseBankFile(text: string): BankParseResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        return { line: pos?.line, col: pos?.col, path: '', message: `语法错误：${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}` };
      }),
    };
  }
  const data: unknown = doc.toJS();
  const parsed = bankFileSchema.safeParse(data);
  const problems: BankProblem[] = [];
  const questions = (data as { questions?: unknown[] } | null)?.questions;
  const idAt = (path: readonly PropertyKey[]): string | undefined => {
    if (path[0] !== 'questions' || typeof path[1] !== 'number' || !Array.isArray(questions)) return undefined;
    const id = (questions[path[1]] as { id?: unknown } | undefined)?.id;
    return typeof id === 'string' ? id : undefined;
  };
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const missing = issue.code !== 'custom' && valueAt(data, issue.path) === undefined;
      const message = missing ? `缺少必填字段 ${String(issue.path.at(-1) ?? '')}` : issue.message;
      problems.push({ ...positionOf(doc, lines, issue.path), path: pathString(issue.path), questionId: idAt(issue.path), message });
    }
  }
  if (Array.isArray(questions)) {
    const seen = new Map<string, number>();
    questions.forEach((q, i) => {
      const id = (q as { id?: unknown } | null)?.id;
      if (typeof id !== 'string') return;
      const first = seen.get(id);
      if (first !== undefined) {
        const path = ['questions', i, 'id'];
        problems.push({ ...positionOf(doc, lines, path), path: pathString(path), questionId: id, message: `题目编号 ${id} 重复（第 ${first + 1} 题已使用）` });
      } else seen.set(id, i);
    });
  }
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  if (problems.length > 0 || !parsed.success) return { ok: false, problems };
  return { ok: true, bank: parsed.data };
}

export function formatProblem(file: string, p: BankProblem): string {
  const where = p.line ? `${file}:${p.line}:${p.col}` : file;
  const what = [p.questionId ? `题目 ${p.questionId}` : '', p.path].filter(Boolean).join(' ');
  return `${where}: ${what ? `${what}: ` : ''}${p.message}`;
}
