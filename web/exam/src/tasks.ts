// Answers of practical tasks as the whole paper needs them (the answered
// state of the navigator and the hand-in count): kept apart from the practical
// chunk, as the theory paper's bundle includes this module.

import { isAnswered } from './autosave';
import type { Answer, Question, Task } from './types';

export type FileMap = Record<string, string>;

function filesOf(answer: Answer | undefined): FileMap | null {
  if (answer && typeof answer === 'object' && !Array.isArray(answer) && 'files' in answer) return answer.files;
  return null;
}

/** The text of a case answer ('' when none). */
export function textOf(answer: Answer | undefined): string {
  if (answer && typeof answer === 'object' && !Array.isArray(answer) && 'text' in answer) return answer.text;
  return '';
}

/** The default file a code or webpage task edits when the bank gives none. */
function defaultFile(task: Task): string {
  if (task.type === 'webpage') return /\.html?$/i.test(task.entry) ? task.entry : 'index.html';
  return task.entry || 'main.py';
}

/**
 * The files a code or webpage task shows: the starter files with the saved
 * answer's files over them (a file only in the answer is kept too). Never
 * empty: a task without starter files gets its entry file, empty.
 */
export function initialFiles(task: Task, answer: Answer | undefined): FileMap {
  const out: FileMap = {};
  for (const p of Object.keys(task.files || {})) out[p] = task.files[p] as string;
  const saved = filesOf(answer);
  if (saved) for (const p of Object.keys(saved)) out[p] = saved[p] as string;
  if (Object.keys(out).length === 0) out[defaultFile(task)] = '';
  return out;
}

export function sameFiles(a: FileMap, b: FileMap): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (!(k in b) || a[k] !== b[k]) return false;
  return true;
}

/**
 * Whether a question counts as answered: a code or webpage task when its files
 * differ from the starter files, a case when its text is not blank, an upload
 * when a zip is on the server; choice questions as usual.
 */
export function taskAnswered(q: Question, answer: Answer | undefined): boolean {
  const task = q.task;
  if (!task) return isAnswered(answer);
  if (task.type === 'code' || task.type === 'webpage') {
    const files = filesOf(answer);
    if (!files) return false;
    return !sameFiles(initialFiles(task, null), initialFiles(task, answer)) && isAnswered(answer);
  }
  if (task.type === 'case') return /\S/.test(textOf(answer));
  if (task.type === 'upload') return !!(answer && typeof answer === 'object' && !Array.isArray(answer) && 'upload' in answer);
  return isAnswered(answer);
}

