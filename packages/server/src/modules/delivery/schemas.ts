import { z } from 'zod';
import { answerValueSchema, CHECK_VERDICTS, fileMap, ITEM_TYPES, LEVELS, MAX_ANSWER_BYTES, MAX_ANSWER_FILES, PAPERS, TASK_TYPES } from '@kaowu/core';
import { idParam, isoTime, isoTimeInput } from '../../http/schemas.ts';

export const loginBody = z.object({
  ticketNo: z.string().trim().min(1, '请输入准考证号').max(32),
  idNumber: z.string().trim().min(1, '请输入身份证号').max(32),
});

export const candidateSitting = z.object({
  id: z.string(),
  name: z.string(),
  paper: z.enum(PAPERS),
  startsAt: isoTime,
  endsAt: isoTime,
  state: z.enum(['upcoming', 'waiting', 'open', 'submitted', 'closed']),
});

export const loginResponse = z.object({
  token: z.string(),
  candidate: z.object({ name: z.string(), ticketNo: z.string(), level: z.enum(LEVELS) }),
  sittings: z.array(candidateSitting),
});

export const sittingParams = z.object({ sittingId: idParam });
export const attemptParams = z.object({ attemptId: idParam });
export const answerParams = z.object({ attemptId: idParam, questionId: idParam });

const presentedTask = z.object({
  type: z.enum(TASK_TYPES),
  title: z.string(),
  statementHtml: z.string(),
  files: z.record(z.string(), z.string()),
  data: z.array(z.object({ path: z.string(), size: z.number().int(), text: z.string().optional() })),
  entry: z.string(),
  samples: z.array(
    z.object({ id: z.string(), name: z.string(), stdin: z.string().optional(), stdout: z.string().optional(), description: z.string().optional() }),
  ),
  runnable: z.boolean(),
  maxUploadKb: z.number().int().optional(),
});

const presentedQuestion = z.object({
  id: z.string(),
  type: z.enum(ITEM_TYPES),
  stem: z.string(),
  code: z.string().optional(),
  options: z.array(z.object({ id: z.string(), text: z.string() })),
  points: z.number(),
  task: presentedTask.optional(),
});

export const attemptResponse = z.object({
  attemptId: z.string(),
  serverNow: isoTime,
  startsAt: isoTime,
  endsAt: isoTime,
  deadline: isoTime,
  sitting: z.object({ id: z.string(), name: z.string(), paper: z.enum(PAPERS), level: z.enum(LEVELS) }),
  candidate: z.object({ name: z.string(), ticketNo: z.string() }),
  rules: z.object({
    submitOpensAt: isoTime,
    submitClosesAt: isoTime,
    warningAt: isoTime,
    fullscreenRequired: z.boolean(),
    fullscreenWarnings: z.number().int(),
  }),
  fullscreenExits: z.number().int(),
  questions: z.array(presentedQuestion),
  answers: z.record(z.string(), z.object({ answer: answerValueSchema, seq: z.number().int() })),
});

export const saveBody = z.object({
  answer: answerValueSchema,
  seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  // When the candidate made the change, by their machine's clock: a value that is no time is
  // ignored (the save is judged by arrival), never a reason to refuse the answer.
  changedAt: z.string().max(64).optional(),
});
export const saveResponse = z.object({ seq: z.number().int(), savedAt: isoTime });

export const submitResponse = z.object({ submittedAt: isoTime });

export const EVENT_TYPES = ['fullscreen-exit', 'focus-loss', 'reconnect', 'reload', 'offline'] as const;
export const eventBody = z.object({
  type: z.enum(EVENT_TYPES),
  at: isoTimeInput,
  detail: z.string().max(500).optional(),
});
export const eventResponse = z.object({
  recorded: z.literal(true),
  action: z.enum(['none', 'warning', 'submitted']),
  warningsLeft: z.number().int().optional(),
});

export const SUBMIT_REASONS = ['candidate', 'deadline', 'fullscreen-exit', 'proctor', 'disqualified'] as const;

export const candidateMessage = z.object({
  id: z.string(),
  /** 监考员广播, the 5-minute reminder (5 分钟提醒), 监考员警告 */
  kind: z.enum(['broadcast', 'auto-warning', 'warning']),
  text: z.string(),
  at: isoTime,
});

export const statusResponse = z.object({
  state: z.enum(['in_progress', 'submitted']),
  deadline: isoTime,
  serverNow: isoTime,
  submittedAt: isoTime.optional(),
  /** How it was handed in: by the candidate, at the deadline, by leaving full screen, by a proctor, or disqualified. */
  submitReason: z.enum(SUBMIT_REASONS).optional(),
  /** The proctor's reason, for `proctor` and `disqualified`. */
  submitNote: z.string().optional(),
  messages: z.array(candidateMessage),
});

/** The files of a run: no more than a files answer may hold (answerProblem's limits on a save). */
export const runBody = z.object({
  files: fileMap
    .refine((files) => Object.keys(files).length <= MAX_ANSWER_FILES, `文件不能超过 ${MAX_ANSWER_FILES} 个`)
    .refine(
      (files) => Object.entries(files).reduce((n, [path, text]) => n + path.length + Buffer.byteLength(text), 0) <= MAX_ANSWER_BYTES,
      `代码总量不能超过 ${MAX_ANSWER_BYTES / 1024} KB`,
    ),
});
export const runResponse = z.object({
  result: z.object({
    taskId: z.string(),
    samplesOnly: z.boolean(),
    earned: z.number(),
    max: z.number(),
    sandboxMs: z.number(),
    checks: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        sample: z.boolean(),
        verdict: z.enum(CHECK_VERDICTS),
        points: z.number(),
        earned: z.number(),
        message: z.string(),
        stdout: z.string().optional(),
        stderr: z.string().optional(),
        timeMs: z.number(),
      }),
    ),
  }),
});

export const uploadQuery = z.object({
  seq: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  name: z.string().trim().min(1, '缺少文件名 name').max(200),
});
export const uploadResponse = saveResponse.extend({
  upload: z.object({ id: z.string(), name: z.string(), size: z.number().int(), sha256: z.string() }),
});
