import type { Kysely } from 'kysely';
import { resolveMarking, roundScore, type AnswerValue, type GradingResult, type MarkingState, type PaperEntry } from '@kaowu/core';
import type { AppContext } from '../../context.ts';
import type { DB } from '../../db/schema.ts';
import { notFound } from '../../http/errors.ts';
import { isBlank, recordResult, releaseJob } from './jobs.ts';
import { paperTasks, scaled, type PaperTask } from './practical-tasks.ts';

export interface TaskScore {
  questionId: string;
  paperPoints: number;
  /** Automatic points on the paper's scale; null while the checks have not run. */
  auto: number | null;
  /** People's points on the paper's scale; null while marking is not final. */
  manual: number | null;
  marking: MarkingState | 'not-needed';
  blank: boolean;
}

export interface PracticalScore {
  tasks: TaskScore[];
  auto: number;
  manual: number;
  complete: boolean;
  /** The paper's score once complete, never above its maximum. */
  score: number | null;
  maxScore: number;
}

type JobRow = { question_id: string; state: string; earned: number | null };
type MarkRow = { question_id: string; round: number; total: number };

/** The practical paper's score from its jobs and marks (pure). */
export function practicalScore(tasks: readonly PaperTask[], jobs: readonly JobRow[], marks: readonly MarkRow[], answers: Readonly<Record<string, AnswerValue>>): PracticalScore {
  const out: TaskScore[] = tasks.map((t) => {
    const blank = isBlank(answers[t.questionId]);
    const job = jobs.find((j) => j.question_id === t.questionId);
    const autoDone = job !== undefined && (job.state === 'done' || job.state === 'failed');
    const auto = !t.hasChecks ? 0 : autoDone ? scaled(t, Number(job.earned ?? 0)) : null;
    if (!t.hasRubric || blank) return { questionId: t.questionId, paperPoints: t.paperPoints, auto: blank ? 0 : auto, manual: 0, marking: 'not-needed', blank };
    const outcome = resolveMarking(marks.filter((m) => m.question_id === t.questionId).map((m) => ({ round: m.round, total: Number(m.total) })), t.doubleMarking);
    return {
      questionId: t.questionId,
      paperPoints: t.paperPoints,
      auto,
      manual: outcome.total === null ? null : scaled(t, outcome.total),
      marking: outcome.state,
      blank,
    };
  });
  const auto = roundScore(out.reduce((s, t) => s + (t.auto ?? 0), 0));
  const manual = roundScore(out.reduce((s, t) => s + (t.manual ?? 0), 0));
  const maxScore = roundScore(tasks.reduce((s, t) => s + t.paperPoints, 0));
  const complete = out.every((t) => t.auto !== null && t.manual !== null);
  return { tasks: out, auto, manual, complete, score: complete ? Math.min(maxScore, roundScore(auto + manual)) : null, maxScore };
}

/** Reads what practicalScore needs for one attempt (inside or outside a transaction). */
export async function loadPracticalScore(db: Kysely<DB>, attemptId: string, tasks: readonly PaperTask[]): Promise<PracticalScore> {
  const jobs = await db.selectFrom('grading_jobs').select(['question_id', 'state', 'earned']).where('attempt_id', '=', attemptId).execute();
  const marks = await db.selectFrom('marks').select(['question_id', 'round', 'total']).where('attempt_id', '=', attemptId).execute();
  const rows = await db.selectFrom('answers').select(['question_id', 'answer']).where('attempt_id', '=', attemptId).execute();
  const answers: Record<string, AnswerValue> = {};
  for (const r of rows) answers[r.question_id] = JSON.parse(r.answer) as AnswerValue;
  return practicalScore(tasks, jobs, marks, answers);
}

/** Writes a practical attempt's score columns inside the caller's transaction. */
export async function writePracticalScore(trx: Kysely<DB>, attemptId: string, s: PracticalScore): Promise<void> {
  await trx
    .updateTable('attempts')
    .set({ auto_score: s.auto, manual_score: s.manual, score: s.score, max_score: s.maxScore, grading_state: s.complete ? 'complete' : 'pending' })
    .where('id', '=', attemptId)
    .execute();
}

/** The paper's tasks of an attempt (read outside transactions: the question store has its own queries). */
export async function attemptTasks(ctx: Pick<AppContext, 'db' | 'questions'>, attemptId: string): Promise<PaperTask[]> {
  const row = await ctx.db.selectFrom('attempts').select('paper').where('id', '=', attemptId).executeTakeFirst();
  if (!row) throw notFound('ATTEMPT_NOT_FOUND', '没有找到该作答记录');
  const paper = JSON.parse(row.paper) as PaperEntry[];
  return paperTasks(paper, await ctx.questions.many(paper.map((e) => e.questionId)));
}

/**
 * Recomputes an attempt's practical score after a job result or a mark. The
 * attempt row is locked first, so two results landing together cannot leave
 * an older picture behind.
 */
export async function refreshPracticalScore(ctx: ScoreContext, attemptId: string): Promise<PracticalScore> {
  return rescore(ctx, attemptId, async () => true);
}

type ScoreContext = Pick<AppContext, 'db' | 'dialect' | 'questions' | 'clock'>;

/** Runs `change` and, when it changed something, rescores — in one transaction with the attempt row locked. */
async function rescore(ctx: ScoreContext, attemptId: string, change: (trx: Kysely<DB>) => Promise<boolean>): Promise<PracticalScore> {
  const tasks = await attemptTasks(ctx, attemptId);
  return ctx.db.transaction().execute(async (trx) => {
    const lock = trx.selectFrom('attempts').select('id').where('id', '=', attemptId);
    await (ctx.dialect === 'postgres' ? lock.forUpdate() : lock).execute();
    const changed = await change(trx);
    const score = await loadPracticalScore(trx, attemptId, tasks);
    if (changed) await writePracticalScore(trx, attemptId, score);
    return score;
  });
}

/**
 * Records a job's result and the attempt's new score together: a crash can
 * never leave a recorded result with a stale score. A second delivery of the
 * same job changes nothing.
 */
export async function applyResult(ctx: ScoreContext, attemptId: string, jobId: string, result: GradingResult): Promise<void> {
  await rescore(ctx, attemptId, (trx) => recordResult(trx, jobId, result, ctx.clock.now()));
}

/** Fails a job for good (it earns nothing) and rescores, together. */
export async function applyFailure(ctx: ScoreContext, attemptId: string, jobId: string, error: string): Promise<void> {
  await rescore(ctx, attemptId, async (trx) => {
    await releaseJob(trx, jobId, error, ctx.clock.now(), true);
    return true;
  });
}
