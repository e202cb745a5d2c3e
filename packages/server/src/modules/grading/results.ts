import { combinedScore, roundScore, type Level, type Paper } from '@kaowu/core';
import type { AppContext } from '../../context.ts';
import { notFound } from '../../http/errors.ts';
import { certificateConfigSchema } from '../plans/reference-data.ts';
import { attemptTasks, loadPracticalScore } from './attempt-score.ts';

/** 'disqualified': handed in with reason disqualified (取消考试资格); 'absent': 缺考 registered by the proctors. */
type PaperState = 'not_entered' | 'in_progress' | 'grading' | 'final' | 'disqualified' | 'absent';

export interface PaperResult {
  state: PaperState;
  score: number | null;
  maxScore: number | null;
}

/**
 * 成绩: each candidate's papers and the certificate's combined score
 * (weights, rounding and pass mark from the certificate's settings). For the
 * operator only; candidates see nothing until results are published.
 */
export async function planResults(ctx: AppContext, planId: string) {
  const plan = await ctx.db
    .selectFrom('plans')
    .innerJoin('certificates', 'certificates.id', 'plans.certificate_id')
    .select(['plans.id', 'plans.name', 'certificates.config'])
    .where('plans.id', '=', planId)
    .executeTakeFirst();
  if (!plan) throw notFound('PLAN_NOT_FOUND', '没有找到该考试计划');
  const settings = certificateConfigSchema.parse(JSON.parse(plan.config));
  const rows = await ctx.db
    .selectFrom('registrations')
    .innerJoin('candidates', 'candidates.id', 'registrations.candidate_id')
    .select(['registrations.id', 'registrations.ticket_no', 'registrations.level', 'candidates.name'])
    .where('registrations.plan_id', '=', planId)
    .orderBy('registrations.ticket_no')
    .execute();
  const attempts = await ctx.db
    .selectFrom('attempts')
    .innerJoin('sittings', 'sittings.id', 'attempts.sitting_id')
    .select([
      'attempts.id', 'attempts.registration_id', 'attempts.state', 'attempts.submit_reason', 'attempts.score', 'attempts.max_score', 'attempts.grading_state',
      'attempts.auto_score', 'attempts.manual_score', 'sittings.paper',
    ])
    .where('sittings.plan_id', '=', planId)
    .execute();
  const absences = await ctx.db
    .selectFrom('absences')
    .innerJoin('sittings', 'sittings.id', 'absences.sitting_id')
    .select(['absences.registration_id', 'sittings.paper'])
    .where('sittings.plan_id', '=', planId)
    .execute();
  const absent = new Set(absences.map((a) => `${a.registration_id}:${a.paper}`));
  const paperResult = (registrationId: string, paper: Paper) => {
    const a = attempts.find((x) => x.registration_id === registrationId && x.paper === paper);
    if (!a) {
      const state: PaperState = absent.has(`${registrationId}:${paper}`) ? 'absent' : 'not_entered';
      return { attempt: undefined, result: { state, score: null, maxScore: null } };
    }
    // 取消考试资格: no score counts, whatever the paper would have scored.
    if (a.submit_reason === 'disqualified') {
      return { attempt: a, result: { state: 'disqualified' as PaperState, score: null, maxScore: a.max_score === null ? null : Number(a.max_score) } };
    }
    const state: PaperState = a.state === 'in_progress' ? 'in_progress' : a.grading_state === 'pending' ? 'grading' : 'final';
    const score = state === 'final' ? roundScore(Number(a.score ?? 0)) : null;
    return { attempt: a, result: { state, score, maxScore: a.max_score === null ? null : Number(a.max_score) } };
  };
  return {
    plan: { id: plan.id, name: plan.name },
    settings: { weights: settings.weights, passMark: settings.passMark, decimals: settings.decimals },
    rows: rows.map((r) => {
      const theory = paperResult(r.id, 'theory');
      const practical = paperResult(r.id, 'practical');
      // A paper missed (缺考) or disqualified (取消考试资格): no combined score, and never a pass.
      const barred = [theory.result.state, practical.result.state].some((st) => st === 'disqualified' || st === 'absent');
      const { combined, passed } = barred ? { combined: null, passed: false } : combinedScore(theory.result.score, practical.result.score, settings);
      const p = practical.attempt;
      return {
        registrationId: r.id,
        ticketNo: r.ticket_no,
        name: r.name,
        level: r.level as Level,
        theory: theory.result,
        practical: {
          ...practical.result,
          auto: p && p.auto_score !== null ? Number(p.auto_score) : null,
          manual: p && p.manual_score !== null ? Number(p.manual_score) : null,
          attemptId: p?.id ?? null,
        },
        combined,
        passed,
      };
    }),
  };
}

/** One practical attempt's breakdown per task. */
export async function practicalBreakdown(ctx: AppContext, attemptId: string) {
  const tasks = await attemptTasks(ctx, attemptId);
  const score = await loadPracticalScore(ctx.db, attemptId, tasks);
  const questions = await ctx.questions.many(tasks.map((t) => t.questionId));
  const jobs = await ctx.db.selectFrom('grading_jobs').select(['question_id', 'state', 'error']).where('attempt_id', '=', attemptId).execute();
  return {
    ...score,
    tasks: score.tasks.map((t) => {
      const q = questions.get(t.questionId);
      const job = jobs.find((j) => j.question_id === t.questionId);
      return { ...t, code: q?.code ?? '', title: q?.task?.title ?? '', type: q?.type ?? 'code', autoState: job?.state ?? null, autoError: job?.error ?? null };
    }),
  };
}
