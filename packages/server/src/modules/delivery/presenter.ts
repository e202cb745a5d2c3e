import { isTaskType, type ItemType, type PaperEntry, type TaskType } from '@kaowu/core';
import type { StoredQuestion } from '../bank/question-store.ts';
import { statementHtml } from './statement.ts';

/** Data files larger than this are listed by name and size only. */
const DATA_PREVIEW_BYTES = 20_000;

/** A sample check as the candidate sees it: input and expected output, or a description. */
export interface PresentedSample {
  id: string;
  name: string;
  stdin?: string;
  stdout?: string;
  description?: string;
}

/** What a practical task shows: never its hidden checks, scripts or rubric points. */
export interface PresentedTask {
  type: TaskType;
  title: string;
  statementHtml: string;
  files: Record<string, string>;
  data: { path: string; size: number; text?: string }[];
  entry: string;
  samples: PresentedSample[];
  /** Whether the Run button has anything to run. */
  runnable: boolean;
  maxUploadKb?: number;
}

/**
 * The only shape in which a question leaves the server: the fields are listed
 * one by one, so a key, an explanation or a hidden check can never slip out.
 */
export interface PresentedQuestion {
  id: string;
  type: ItemType;
  stem: string;
  code?: string;
  options: { id: string; text: string }[];
  points: number;
  task?: PresentedTask;
}

function presentTask(q: StoredQuestion): PresentedTask | undefined {
  const t = q.task;
  if (!t || !isTaskType(q.type)) return undefined;
  const samples = t.checks
    .filter((c) => c.sample)
    .map((c): PresentedSample => {
      if (c.kind === 'stdout') return { id: c.id, name: c.name, stdin: c.stdin, stdout: c.stdout };
      return { id: c.id, name: c.name, ...(c.description ? { description: c.description } : {}) };
    });
  return {
    type: q.type,
    title: t.title,
    statementHtml: statementHtml(q.stem),
    files: t.files,
    data: Object.entries(t.data).map(([path, text]) => {
      const size = new TextEncoder().encode(text).length;
      return size <= DATA_PREVIEW_BYTES ? { path, size, text } : { path, size };
    }),
    entry: t.entry,
    samples,
    runnable: samples.length > 0 && q.type !== 'case',
    ...(q.type === 'upload' ? { maxUploadKb: t.maxUploadKb } : {}),
  };
}

export function presentQuestion(q: StoredQuestion, entry: PaperEntry): PresentedQuestion {
  const text = new Map(q.options.map((o) => [o.id, o.text]));
  const out: PresentedQuestion = {
    id: q.id,
    type: q.type,
    stem: q.stem,
    options: entry.optionOrder.map((id) => ({ id, text: text.get(id) ?? '' })),
    points: entry.points,
  };
  if (q.codeSnippet) out.code = q.codeSnippet;
  const task = presentTask(q);
  if (task) out.task = task;
  return out;
}
