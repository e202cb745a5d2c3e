/** The words of the exam, shared by every package (see docs/glossary.md). */
export const LEVELS = ['junior', 'intermediate', 'advanced'] as const;
export type Level = (typeof LEVELS)[number];

export const LEVEL_NAMES: Record<Level, string> = {
  junior: '初级',
  intermediate: '中级',
  advanced: '高级',
};

export const PAPERS = ['theory', 'practical'] as const;
export type Paper = (typeof PAPERS)[number];

export const PAPER_NAMES: Record<Paper, string> = { theory: '理论', practical: '实操' };

export const QUESTION_TYPES = ['single', 'multiple', 'truefalse'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

export const QUESTION_TYPE_NAMES: Record<QuestionType, string> = {
  single: '单选题',
  multiple: '多选题',
  truefalse: '判断题',
};

/** Practical task types (实操题); their shapes live in task.ts. */
export const TASK_TYPES = ['code', 'webpage', 'case', 'upload'] as const;
export type TaskType = (typeof TASK_TYPES)[number];

/** Anything a paper can hold: a theory question or a practical task. */
export const ITEM_TYPES = [...QUESTION_TYPES, ...TASK_TYPES] as const;
export type ItemType = (typeof ITEM_TYPES)[number];

export const isTaskType = (t: string): t is TaskType => (TASK_TYPES as readonly string[]).includes(t);
