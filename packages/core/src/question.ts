import { z } from 'zod';
import { QUESTION_TYPES, type QuestionType } from './levels.ts';

export const OPTION_IDS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'] as const;
export type OptionId = (typeof OPTION_IDS)[number];

/** What the scoring rules need to know of a question. */
export type Key = string | string[] | boolean;

export interface ScorableQuestion {
  id: string;
  type: QuestionType;
  optionIds: string[];
  key: Key;
}

/** A candidate's answer; null means "cleared". */
export const answerValueSchema = z.union([z.string().max(8), z.array(z.string().max(8)).max(8), z.boolean(), z.null()]);
export type AnswerValue = z.infer<typeof answerValueSchema>;

/**
 * Checks an answer's shape against the question. Returns a Chinese reason when
 * it is not acceptable, or null when it is.
 */
export function answerProblem(q: Pick<ScorableQuestion, 'type' | 'optionIds'>, answer: AnswerValue): string | null {
  if (answer === null) return null;
  switch (q.type) {
    case 'single':
      if (typeof answer !== 'string') return '单选题的答案应为一个选项';
      return q.optionIds.includes(answer) ? null : `选项 ${answer} 不存在`;
    case 'multiple': {
      if (!Array.isArray(answer)) return '多选题的答案应为选项列表';
      if (new Set(answer).size !== answer.length) return '多选题的答案有重复选项';
      const unknown = answer.find((a) => !q.optionIds.includes(a));
      return unknown === undefined ? null : `选项 ${unknown} 不存在`;
    }
    case 'truefalse':
      return typeof answer === 'boolean' ? null : '判断题的答案应为“正确”或“错误”';
  }
}

export const questionTypeSchema = z.enum(QUESTION_TYPES);
