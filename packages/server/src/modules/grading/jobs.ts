import { sql, type Kysely } from 'kysely';
import type { AnswerValue, GradingResult } from '@kaowu/core';
import type { DB } from '../../db/schema.ts';
import type { Dialect } from '../../db/database.ts';
import { newId, nowIso } from '../../ids.ts';
import type { PaperTask } from './practical-tasks.ts';

/** An answer a candidate left empty (or never saved) is not graded: it earns nothing. */
export function isBlank(answer: AnswerValue | undefined): boolean {
  if (answer === undefined || answer === null) return true;
  if (typeof answer !== 'object' || Array.isArray(answer)) return false;
  if ('files' in answer) return Object.values(answer.files).every((text) => text.trim() === '');
  if ('text' in answer) return answer.text.trim() === '';
  return false;
}

/**
 * At hand-in, inside its transaction: one grading job per task (the outbox the
 * queue works from). Tasks without checks, or left blank, are done at once.
 */
export async function createGradingJobs(trx: Kysely<DB>, attemptId: string, tasks: readonly PaperTask[], answers: Readonly<Record<string, AnswerValue>>, now: number) {
  if (tasks.length === 0) return;
  const at = nowIso(now);
  await trx
    .insertInto('grading_jobs')
    .values(
      tasks.map((t) => {
        const auto = t.hasChecks && !isBlank(answers[t.questionId]);
        return {
          id: newId(),
          attempt_id: attemptId,
          question_id: t.questionId,
          state: auto ? ('queued' as const) : ('done' as const),
          tries: 0,
          lease_until: null,
          earned: auto ? null : 0,
          max: null,
          result: null,
          error: auto ? null : t.hasChecks ? '未作答' : null,
          created_at: at,
          updated_at: at,
        };
      }),
    )
    .onConflict((oc) => oc.columns(['attempt_id', 'question_id']).doNothing())
    .execute();
}

export interface ClaimedJob {
  id: string;
  attempt_id: string;
  question_id: string;
  tries: number;
}

/**
 * Leases the oldest queued job (or one whose lease ran out: its worker died).
 * On PostgreSQL SKIP LOCKED lets several nodes claim side by side.
 */
export async function claimJob(db: Kysely<DB>, dialect: Dialect, now: number, leaseMs: number): Promise<ClaimedJob | undefined> {
  const at = nowIso(now);
  const pick = db
    .selectFrom('grading_jobs')
    .select('id')
    .where((eb) => eb.or([eb('state', '=', 'queued'), eb.and([eb('state', '=', 'running'), eb('lease_until', '<', at)])]))
    .orderBy('created_at')
    .limit(1)
    .$call((q) => (dialect === 'postgres' ? q.forUpdate().skipLocked() : q));
  return db
    .updateTable('grading_jobs')
    .set({ state: 'running', lease_until: nowIso(now + leaseMs), tries: sql<number>`tries + 1`, updated_at: at })
    .where('id', '=', (eb) => eb.selectFrom(pick.as('next')).select('next.id'))
    .where((eb) => eb.or([eb('state', '=', 'queued'), eb.and([eb('state', '=', 'running'), eb('lease_until', '<', at)])]))
    .returning(['id', 'attempt_id', 'question_id', 'tries'])
    .executeTakeFirst();
}

/** Records a result once: a second delivery of the same job changes nothing. Returns whether it was recorded. */
export async function recordResult(db: Kysely<DB>, jobId: string, result: GradingResult, now: number): Promise<boolean> {
  const r = await db
    .updateTable('grading_jobs')
    .set({ state: 'done', earned: result.earned, max: result.max, result: JSON.stringify(result), error: null, lease_until: null, updated_at: nowIso(now) })
    .where('id', '=', jobId)
    .where('state', 'not in', ['done', 'failed'])
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Gives a job back to the queue (the sandbox is unavailable), or fails it after too many tries. */
export async function releaseJob(db: Kysely<DB>, jobId: string, error: string, now: number, fail: boolean): Promise<void> {
  await db
    .updateTable('grading_jobs')
    .set(fail ? { state: 'failed', earned: 0, error, lease_until: null, updated_at: nowIso(now) } : { state: 'queued', error, lease_until: null, updated_at: nowIso(now) })
    .where('id', '=', jobId)
    .where('state', '=', 'running')
    .execute();
}
