import { z } from 'zod';
import { ITEM_TYPES, QUESTION_TYPES, type ItemType } from './levels.ts';
import { filesAnswerSchema, MAX_ANSWER_BYTES, MAX_ANSWER_FILES, textAnswerSchema, uploadAnswerSchema } from './task.ts';

export const OPTION_IDS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'] as const;
export type OptionId = (typeof OPTION_IDS)[number];

/** What the scoring rules need to know of a question. */
export type Key = string | string[] | boolean;

export interface ScorableQuestion {
  id: string;
  type: ItemType;
  optionIds: string[];
  key: Key;
}

/**
 * A candidate's answer; null means "cleared". Theory: an option id, a list of
 * them, or a boolean. Practical: files, a text, or an uploaded zip.
 */
export const answerValueSchema = z.union([
  z.string().max(8),
  z.array(z.string().max(8)).max(8),
  z.boolean(),
  z.null(),
  filesAnswerSchema,
  textAnswerSchema,
  uploadAnswerSchema,
]);
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
    case 'code':
    case 'webpage': {
      if (typeof answer !== 'object' || Array.isArray(answer) || !('files' in answer)) return '编程题和网页题的答案应为文件 { files }';
      const files = Object.entries(answer.files);
      if (files.length > MAX_ANSWER_FILES) return `文件不能超过 ${MAX_ANSWER_FILES} 个`;
      const bytes = files.reduce((n, [path, text]) => n + path.length + utf8Length(text), 0);
      return bytes > MAX_ANSWER_BYTES ? `代码总量不能超过 ${MAX_ANSWER_BYTES / 1024} KB` : null;
    }
    case 'case':
      return typeof answer === 'object' && !Array.isArray(answer) && 'text' in answer ? null : '案例分析题的答案应为文字 { text }';
    case 'upload':
      return '项目上传题请通过上传接口提交 zip 文件';
  }
}

export const questionTypeSchema = z.enum(QUESTION_TYPES);
export const itemTypeSchema = z.enum(ITEM_TYPES);

const encoder = new TextEncoder();
const utf8Length = (s: string) => encoder.encode(s).length;
