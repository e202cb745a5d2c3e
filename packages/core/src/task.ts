import { z } from 'zod';
import type { TaskType } from './levels.ts';

/**
 * Practical tasks (实操题): what a bank entry of type code, webpage, case or
 * upload carries besides its id, topic, points and statement. The grader, the
 * bank parser and the presenter all read these shapes. Format reference:
 * docs/bank-format.md ("Practical tasks").
 */

export const TASK_TYPE_NAMES: Record<TaskType, string> = {
  code: '编程题',
  webpage: '网页题',
  case: '案例分析题',
  upload: '项目上传题',
};

/** A relative path inside the candidate's working folder: no "..", no absolute paths. */
export const FILE_PATH_RE = /^(?!.*(^|\/)\.\.?(\/|$))[A-Za-z0-9_.\-][A-Za-z0-9_.\-/]{0,99}$/;
export const filePath = z.string().regex(FILE_PATH_RE, '文件路径只能由字母、数字、_ . - / 组成，且不能含 .. 或以 / 开头');

/** Files by relative path. */
export const fileMap = z.record(filePath, z.string());
export type FileMap = z.infer<typeof fileMap>;

/** Sandbox limits; every field has a default (see SANDBOX_DEFAULTS). */
export const sandboxLimitsSchema = z.strictObject({
  cpuSec: z.number().positive().max(60).default(5),
  memoryMb: z.number().int().min(64).max(4096).default(512),
  processes: z.number().int().min(1).max(256).default(64),
  outputKb: z.number().int().min(1).max(4096).default(64),
  wallSec: z.number().positive().max(120).default(10),
  fileSizeMb: z.number().int().min(1).max(256).default(16),
  openFiles: z.number().int().min(16).max(1024).default(64),
});
export type SandboxLimits = z.infer<typeof sandboxLimitsSchema>;
export const SANDBOX_DEFAULTS: SandboxLimits = sandboxLimitsSchema.parse({});

const checkBase = {
  id: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, '检查项编号只能由字母、数字、-、_ 组成'),
  name: z.string().min(1, '检查项缺少名称 name'),
  /** A sample: shown to the candidate and runnable with the Run button during the sitting. */
  sample: z.boolean().default(false),
  points: z.number().min(0, '分值不能为负'),
  /** Per-check limit on wall time, within the task's. */
  timeoutSec: z.number().positive().max(60).optional(),
};

/** Feeds stdin to the entry module and compares what it prints. */
export const stdoutCheckSchema = z.strictObject({
  ...checkBase,
  kind: z.literal('stdout'),
  stdin: z.string().default(''),
  stdout: z.string(),
  compare: z.enum(['exact', 'trim', 'numeric']).default('trim'),
  /** For compare: numeric, the absolute tolerance per number. */
  tolerance: z.number().min(0).default(1e-6),
});

/** A Python script run in the working folder after the candidate's files; passes when it exits normally. */
export const scriptCheckSchema = z.strictObject({
  ...checkBase,
  kind: z.literal('script'),
  /** Runs the entry module first (as __main__, stdin empty) before the script, e.g. for files it writes. */
  runEntry: z.boolean().default(false),
  script: z.string().min(1, '检查脚本不能为空'),
  /** Shown to the candidate for a sample in place of the script. */
  description: z.string().optional(),
});

/** An assertion on the rendered page of a webpage task, in headless Chromium. */
export const pageCheckSchema = z.strictObject({
  ...checkBase,
  kind: z.literal('page'),
  page: filePath.default('index.html'),
  selector: z.string().min(1),
  expect: z.union([
    z.strictObject({ exists: z.boolean() }),
    z.strictObject({ count: z.number().int().min(0) }),
    z.strictObject({ text: z.string() }),
    z.strictObject({ style: z.strictObject({ property: z.string().min(1), value: z.string() }) }),
    z.strictObject({ attribute: z.strictObject({ name: z.string().min(1), value: z.string() }) }),
  ]),
  description: z.string().optional(),
});

export const taskCheckSchema = z.discriminatedUnion('kind', [stdoutCheckSchema, scriptCheckSchema, pageCheckSchema]);
export type TaskCheck = z.infer<typeof taskCheckSchema>;
export type StdoutCheck = z.infer<typeof stdoutCheckSchema>;
export type ScriptCheck = z.infer<typeof scriptCheckSchema>;
export type PageCheck = z.infer<typeof pageCheckSchema>;

export const rubricItemSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/),
  name: z.string().min(1),
  points: z.number().positive(),
  description: z.string().optional(),
});
export type RubricItem = z.infer<typeof rubricItemSchema>;

/** 双评: two independent graders; a third arbitrates when they differ by more than the threshold. */
export const doubleMarkingSchema = z.strictObject({
  threshold: z.number().min(0).default(3),
});

/** Everything of a practical task but its id, type, topic, points and statement. */
export const taskSpecSchema = z.strictObject({
  title: z.string().min(1),
  /** Editable files the candidate starts with (code, webpage). */
  files: fileMap.default({}),
  /** Read-only files in the working folder (an HTML page for lxml, a CSV for pandas …). */
  data: fileMap.default({}),
  /** The module run by stdout checks and runEntry scripts. */
  entry: filePath.default('main.py'),
  limits: sandboxLimitsSchema.default(SANDBOX_DEFAULTS),
  checks: z.array(taskCheckSchema).default([]),
  rubric: z.array(rubricItemSchema).default([]),
  doubleMarking: doubleMarkingSchema.optional(),
  /** upload: the largest zip accepted. */
  maxUploadKb: z.number().int().min(1).max(20_480).default(2048),
});
export type TaskSpec = z.infer<typeof taskSpecSchema>;

/** A practical task as the grader receives it. */
export interface GradableTask extends TaskSpec {
  id: string;
  type: TaskType;
  points: number;
}

/** What a candidate's answer to a practical task looks like. */
export const filesAnswerSchema = z.strictObject({ files: fileMap });
export const textAnswerSchema = z.strictObject({ text: z.string().max(20_000, '作答内容不能超过 20000 字') });
export const uploadAnswerSchema = z.strictObject({
  upload: z.strictObject({ id: z.string().max(40), name: z.string().max(200), size: z.number().int().min(0), sha256: z.string().length(64) }),
});

/** Limits on a files answer: sizes a code task never needs, so a save stays small. */
export const MAX_ANSWER_FILES = 20;
export const MAX_ANSWER_BYTES = 200 * 1024;

export const CHECK_VERDICTS = ['passed', 'failed', 'error', 'timeout', 'memory', 'output-limit', 'killed', 'sandbox-error'] as const;
export type CheckVerdict = (typeof CHECK_VERDICTS)[number];

export const CHECK_VERDICT_NAMES: Record<CheckVerdict, string> = {
  passed: '通过',
  failed: '结果错误',
  error: '运行出错',
  timeout: '超时',
  memory: '内存超限',
  'output-limit': '输出超限',
  killed: '被终止',
  'sandbox-error': '沙箱异常',
};

export interface CheckResult {
  id: string;
  name: string;
  sample: boolean;
  verdict: CheckVerdict;
  points: number;
  earned: number;
  /** A short Chinese explanation; for samples, what differed. */
  message: string;
  /** What the program printed (capped), shown for samples only. */
  stdout?: string;
  stderr?: string;
  timeMs: number;
}

export interface GradingResult {
  taskId: string;
  samplesOnly: boolean;
  earned: number;
  /** Sum of the checks' points (rubric points are graded by people). */
  max: number;
  checks: CheckResult[];
  /** Wall time spent in the sandbox. */
  sandboxMs: number;
}
