import type { AnswerValue, GradableTask } from '@kaowu/core';
import type { AppContext } from '../../context.ts';
import { gradableTask } from './practical-tasks.ts';

/** What one sandbox run needs: the task and the candidate's files or zip. Plain data, so it can travel through Redis. */
export interface JobInput {
  task: GradableTask;
  answer: { files?: Record<string, string>; zipBase64?: string };
}

/** Reads a job's task and the candidate's answer as stored at hand-in. */
export async function jobInput(ctx: Pick<AppContext, 'db' | 'questions'>, attemptId: string, questionId: string): Promise<JobInput> {
  const question = (await ctx.questions.many([questionId])).get(questionId);
  if (!question) throw new Error(`question ${questionId} not found`);
  const row = await ctx.db.selectFrom('answers').select('answer').where('attempt_id', '=', attemptId).where('question_id', '=', questionId).executeTakeFirst();
  const answer = row ? (JSON.parse(row.answer) as AnswerValue) : null;
  const task = gradableTask(question);
  if (answer && typeof answer === 'object' && !Array.isArray(answer)) {
    if ('files' in answer) return { task, answer: { files: answer.files } };
    if ('upload' in answer) {
      const upload = await ctx.db.selectFrom('uploads').select('content').where('id', '=', answer.upload.id).executeTakeFirst();
      if (upload) return { task, answer: { zipBase64: Buffer.from(upload.content).toString('base64') } };
    }
  }
  return { task, answer: { files: {} } };
}

/** The grader's form of an answer. */
export function graderAnswer(input: JobInput): { files?: Record<string, string>; zip?: Buffer } {
  return input.answer.zipBase64 !== undefined ? { zip: Buffer.from(input.answer.zipBase64, 'base64') } : { files: input.answer.files ?? {} };
}
