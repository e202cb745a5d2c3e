import { isTaskType, type GradableTask, type PaperEntry, type TaskType } from '@kaowu/core';
import type { StoredQuestion } from '../bank/question-store.ts';

/** What grading needs to know of one task of a candidate's paper. */
export interface PaperTask {
  questionId: string;
  type: TaskType;
  /** Points of the task on this paper (the blueprint's). */
  paperPoints: number;
  /** The task's own points in the bank; earned points are scaled by paperPoints / taskPoints. */
  taskPoints: number;
  hasChecks: boolean;
  hasRubric: boolean;
  doubleMarking?: { threshold: number };
}

export function paperTasks(paper: readonly PaperEntry[], questions: ReadonlyMap<string, StoredQuestion>): PaperTask[] {
  return paper.flatMap((e) => {
    const q = questions.get(e.questionId);
    if (!q?.task || !isTaskType(q.type)) return [];
    return [{
      questionId: q.id,
      type: q.type,
      paperPoints: e.points,
      taskPoints: q.points,
      hasChecks: q.task.checks.length > 0,
      hasRubric: q.task.rubric.length > 0,
      ...(q.task.doubleMarking ? { doubleMarking: q.task.doubleMarking } : {}),
    }];
  });
}

export function gradableTask(q: StoredQuestion): GradableTask {
  if (!q.task || !isTaskType(q.type)) throw new Error(`${q.code} is not a practical task`);
  return { ...q.task, id: q.code, type: q.type, points: q.points };
}

/** Scales a task's points to its paper points. */
export const scaled = (t: Pick<PaperTask, 'paperPoints' | 'taskPoints'>, points: number) => (t.taskPoints > 0 ? (points * t.paperPoints) / t.taskPoints : 0);
