import type { Kysely } from 'kysely';
import { scorePaper, type AnswerValue, type PaperEntry, type PaperItem, type PartialCreditMode } from '@kaowu/core';
import type { DB } from '../../db/schema.ts';
import type { AppContext } from '../../context.ts';
import { nowIso } from '../../ids.ts';
import { createGradingJobs } from '../grading/jobs.ts';
import { practicalScore, writePracticalScore } from '../grading/attempt-score.ts';
import { paperTasks, type PaperTask } from '../grading/practical-tasks.ts';

export type SubmitReason = 'candidate' | 'deadline' | 'fullscreen-exit' | 'proctor' | 'disqualified';

/** What scoring an attempt needs besides its answers: gathered before any transaction. */
export interface ScoringPlan {
  items: PaperItem[];
  partial: PartialCreditMode;
  /** Practical tasks of the paper: graded after hand-in by the sandbox and by people. */
  tasks: PaperTask[];
}

/**
 * Reads the paper's questions and the blueprint's partial-credit rule. Runs
 * outside transactions: on SQLite a query on the main handle inside one
 * would wait for the transaction's own connection.
 */
export async function scoringPlan(ctx: Pick<AppContext, 'questions' | 'sittings'>, sittingId: string, paper: readonly PaperEntry[]): Promise<ScoringPlan> {
  const sitting = await ctx.sittings.sitting(sittingId);
  const spec = sitting ? await ctx.sittings.blueprint(sitting.blueprintId) : null;
  const questions = await ctx.questions.many(paper.map((e) => e.questionId));
  const items = paper.flatMap((e) => {
    const q = questions.get(e.questionId);
    return q ? [{ question: q, points: e.points }] : [];
  });
  return { items, partial: spec?.multiplePartialCredit ?? 'none', tasks: paperTasks(paper, questions) };
}

/**
 * Hands an attempt in and scores it, inside the caller's transaction. Does
 * nothing to an attempt already handed in (so two nodes racing are harmless).
 * Returns whether this call handed it in.
 */
export async function finalizeAttempt(trx: Kysely<DB>, attemptId: string, plan: ScoringPlan, submittedAt: number, reason: SubmitReason): Promise<boolean> {
  const rows = await trx.selectFrom('answers').select(['question_id', 'answer']).where('attempt_id', '=', attemptId).execute();
  const answers: Record<string, AnswerValue> = {};
  for (const r of rows) answers[r.question_id] = JSON.parse(r.answer) as AnswerValue;
  const result = scorePaper(plan.items, answers, plan.partial);
  const updated = await trx
    .updateTable('attempts')
    .set({ state: 'submitted', submitted_at: nowIso(submittedAt), submit_reason: reason, score: result.score, max_score: result.maxScore })
    .where('id', '=', attemptId)
    .where('state', '=', 'in_progress')
    .executeTakeFirst();
  const handedIn = Number(updated.numUpdatedRows) === 1;
  if (handedIn && plan.tasks.length > 0) {
    // The practical paper is scored by its grading jobs and marks, not here.
    await createGradingJobs(trx, attemptId, plan.tasks, answers, submittedAt);
    const jobs = await trx.selectFrom('grading_jobs').select(['question_id', 'state', 'earned']).where('attempt_id', '=', attemptId).execute();
    await writePracticalScore(trx, attemptId, practicalScore(plan.tasks, jobs, [], answers));
  }
  return handedIn;
}
