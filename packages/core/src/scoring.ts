import type { AnswerValue, Key, ScorableQuestion } from './question.ts';

export const PARTIAL_CREDIT_MODES = ['none', 'half', 'proportional'] as const;
export type PartialCreditMode = (typeof PARTIAL_CREDIT_MODES)[number];

/** Points earned on one question. Exact rules: docs/bank-format.md. */
export function scoreAnswer(
  q: Pick<ScorableQuestion, 'type' | 'key'>,
  points: number,
  answer: AnswerValue | undefined,
  partial: PartialCreditMode = 'none',
): number {
  if (answer === null || answer === undefined) return 0;
  switch (q.type) {
    case 'single':
    case 'truefalse':
      return answer === q.key ? points : 0;
    case 'multiple': {
      if (!Array.isArray(answer) || !Array.isArray(q.key) || answer.length === 0) return 0;
      const key = new Set(q.key);
      if (answer.some((a) => !key.has(a))) return 0;
      const chosen = new Set(answer).size;
      if (chosen === key.size) return points;
      if (partial === 'half') return points / 2;
      if (partial === 'proportional') return roundScore((points * chosen) / key.size);
      return 0;
    }
    // Practical tasks are graded by the sandbox and by people, not here.
    case 'code':
    case 'webpage':
    case 'case':
    case 'upload':
      return 0;
  }
}

export interface PaperItem {
  question: Pick<ScorableQuestion, 'id' | 'type' | 'key'>;
  points: number;
}

export interface PaperScore {
  score: number;
  maxScore: number;
  perQuestion: Record<string, number>;
}

export function scorePaper(
  items: readonly PaperItem[],
  answers: Readonly<Record<string, AnswerValue | undefined>>,
  partial: PartialCreditMode = 'none',
): PaperScore {
  const perQuestion: Record<string, number> = {};
  let score = 0;
  let maxScore = 0;
  for (const { question, points } of items) {
    const earned = scoreAnswer(question, points, answers[question.id], partial);
    perQuestion[question.id] = earned;
    score += earned;
    maxScore += points;
  }
  return { score: roundScore(score), maxScore: roundScore(maxScore), perQuestion };
}

/** Scores are kept to two decimals. */
export function roundScore(n: number): number {
  return Math.round(n * 100) / 100;
}

export function keyEquals(a: Key, b: Key): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x) => b.includes(x));
  return a === b;
}
