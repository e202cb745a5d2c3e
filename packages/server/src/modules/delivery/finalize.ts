import type { Kysely } from 'kysely';
import { scorePaper, type AnswerValue, type PaperEntry } from '@kaowu/core';
import type { DB } from '../../db/schema.ts';
import type { AppContext } from '../../context.ts';
import { nowIso } from '../../ids.ts';

export type SubmitReason = 'candidate' | 'deadline' | 'fullscreen-exit' | 'proctor';

/**
 * Hands an attempt in and scores it, inside the caller's transaction. Does
 * nothing to an attempt already handed in (so two nodes racing are harmless).
 * Returns whether this call handed it in.
 */
export async function finalizeAttempt(
  ctx: Pick<AppContext, 'questions' | 'sittings'>,
  trx: Kysely<DB>,
  attemptId: string,
  submittedAt: number,
  reason: SubmitReason,
): Promise<boolean> {
  const attempt = await trx
    .selectFrom('attempts')
    .select(['id', 'state', 'paper', 'sitting_id'])
    .where('id', '=', attemptId)
    .executeTakeFirst();
  if (!attempt || attempt.state !== 'in_progress') return false;
  const sitting = await ctx.sittings.sitting(attempt.sitting_id);
  const spec = sitting ? await ctx.sittings.blueprint(sitting.blueprintId) : null;
  const paper = JSON.parse(attempt.paper) as PaperEntry[];
  const questions = await ctx.questions.many(paper.map((e) => e.questionId));
  const rows = await trx.selectFrom('answers').select(['question_id', 'answer']).where('attempt_id', '=', attemptId).execute();
  const answers: Record<string, AnswerValue> = {};
  for (const r of rows) answers[r.question_id] = JSON.parse(r.answer) as AnswerValue;
  const items = paper.flatMap((e) => {
    const q = questions.get(e.questionId);
    return q ? [{ question: q, points: e.points }] : [];
  });
  const result = scorePaper(items, answers, spec?.multiplePartialCredit ?? 'none');
  const updated = await trx
    .updateTable('attempts')
    .set({ state: 'submitted', submitted_at: nowIso(submittedAt), submit_reason: reason, score: result.score, max_score: result.maxScore })
    .where('id', '=', attemptId)
    .where('state', '=', 'in_progress')
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}
