import type { PaperEntry, QuestionType } from '@kaowu/core';
import type { StoredQuestion } from '../bank/question-store.ts';

/**
 * The only shape in which a question leaves the server: the fields are listed
 * one by one, so a key or an explanation can never slip out.
 */
export interface PresentedQuestion {
  id: string;
  type: QuestionType;
  stem: string;
  code?: string;
  options: { id: string; text: string }[];
  points: number;
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
  return out;
}
