// Pure helpers about a paper: display order, grouping and answer shapes.

import { isAnswered } from './autosave';
import { TYPE_NAMES } from './format';
import type { Answer, Question } from './types';

const TYPE_ORDER: Record<string, number> = { single: 0, multiple: 1, truefalse: 2 };

export interface NumberedQuestion {
  question: Question;
  /** 1-based number shown to the candidate */
  number: number;
  /** index in display order */
  index: number;
}

export interface QuestionGroup {
  type: string;
  title: string;
  points: number;
  items: NumberedQuestion[];
}

/**
 * The candidate's own order, grouped by type (单选题, 多选题, 判断题, then
 * anything else) with the server's order kept inside each type.
 */
export function orderQuestions(questions: Question[]): NumberedQuestion[] {
  const rank = (q: Question) => (q.type in TYPE_ORDER ? (TYPE_ORDER[q.type] as number) : 9);
  return questions
    .map((q, i) => ({ q, i }))
    .sort((a, b) => rank(a.q) - rank(b.q) || a.i - b.i)
    .map((x, index) => ({ question: x.q, number: index + 1, index }));
}

export function groupQuestions(ordered: NumberedQuestion[]): QuestionGroup[] {
  const groups: QuestionGroup[] = [];
  for (const item of ordered) {
    const type = item.question.type;
    let g = groups.length ? groups[groups.length - 1] : undefined;
    if (!g || g.type !== type) {
      g = { type, title: TYPE_NAMES[type] || '其他题', points: 0, items: [] };
      groups.push(g);
    }
    g.items.push(item);
    g.points += item.question.points || 0;
  }
  return groups;
}

/** Multiple choice: toggles one option, keeping ids in display order; empty → null. */
export function toggleOption(question: Question, current: Answer, optionId: string, checked: boolean): Answer {
  const set: Record<string, boolean> = {};
  if (Array.isArray(current)) for (const id of current) set[id] = true;
  if (checked) set[optionId] = true;
  else delete set[optionId];
  const ids = question.options.map((o) => o.id).filter((id) => set[id]);
  return ids.length ? ids : null;
}

export function countUnanswered(questions: Question[], answerOf: (id: string) => Answer): number {
  let n = 0;
  for (const q of questions) if (!isAnswered(answerOf(q.id))) n++;
  return n;
}
