import { resolveMarking, roundScore, type AnswerValue, type GradingResult, type MarkingState, type RubricItem } from '@kaowu/core';
import type { AppContext } from '../../context.ts';
import { badRequest, conflict, notFound } from '../../http/errors.ts';
import { newId, nowIso } from '../../ids.ts';
import { recordAudit } from '../accounts/audit.ts';
import type { StaffUser } from '../accounts/staff-auth.ts';
import { statementHtml } from '../delivery/statement.ts';
import { isBlank } from './jobs.ts';
import { refreshPracticalScore } from './attempt-score.ts';

export interface MarkInput {
  items: { id: string; points: number; comment?: string }[];
  comment?: string;
  /** Required when changing a mark already given. */
  reason?: string;
}

interface Submission {
  markingId: string;
  attemptId: string;
  questionId: string;
  answer: AnswerValue | undefined;
  marks: { grader_id: string; round: number; total: number }[];
  state: MarkingState;
  nextRound: number | null;
}

/**
 * 阅卷: graders mark the rubric of practical tasks on anonymous submissions
 * (a submission is known by its grading job id, never by candidate or
 * ticket). Double marking and arbitration follow core's resolveMarking;
 * every mark and every change is in the audit log.
 */
export class MarkingService {
  constructor(private readonly ctx: AppContext) {}

  private async rubricTask(questionId: string) {
    const q = (await this.ctx.questions.many([questionId])).get(questionId);
    if (!q?.task || q.task.rubric.length === 0) throw notFound('TASK_NOT_FOUND', '没有找到需要人工评分的实操题');
    return { question: q, task: q.task };
  }

  /** Every handed-in, non-blank submission of a task, with its marks. */
  private async submissions(questionId: string, only?: string): Promise<Submission[]> {
    const { task } = await this.rubricTask(questionId);
    let jobs = this.ctx.db
      .selectFrom('grading_jobs')
      .innerJoin('attempts', 'attempts.id', 'grading_jobs.attempt_id')
      .leftJoin('answers', (j) => j.onRef('answers.attempt_id', '=', 'grading_jobs.attempt_id').onRef('answers.question_id', '=', 'grading_jobs.question_id'))
      .select(['grading_jobs.id', 'grading_jobs.attempt_id', 'answers.answer'])
      .where('grading_jobs.question_id', '=', questionId)
      .where('attempts.state', '=', 'submitted');
    if (only) jobs = jobs.where('grading_jobs.id', '=', only);
    const rows = await jobs.orderBy('grading_jobs.created_at').execute();
    const marks = await this.ctx.db.selectFrom('marks').select(['attempt_id', 'grader_id', 'round', 'total']).where('question_id', '=', questionId).execute();
    return rows.flatMap((r) => {
      const answer = r.answer === null ? undefined : (JSON.parse(r.answer) as AnswerValue);
      if (isBlank(answer)) return [];
      const own = marks.filter((m) => m.attempt_id === r.attempt_id).map((m) => ({ grader_id: m.grader_id, round: m.round, total: Number(m.total) }));
      const outcome = resolveMarking(own, task.doubleMarking);
      return [{ markingId: r.id, attemptId: r.attempt_id, questionId, answer, marks: own, state: outcome.state, nextRound: outcome.nextRound }];
    });
  }

  /** Tasks with rubric items that have submissions, and how far their marking is. */
  async tasks(grader: StaffUser) {
    const ids = await this.ctx.db
      .selectFrom('grading_jobs')
      .innerJoin('questions', 'questions.id', 'grading_jobs.question_id')
      .select('grading_jobs.question_id')
      .distinct()
      .where('questions.type', 'in', ['code', 'webpage', 'case', 'upload'])
      .execute();
    const out = [];
    for (const { question_id } of ids) {
      const q = (await this.ctx.questions.many([question_id])).get(question_id);
      if (!q?.task || q.task.rubric.length === 0) continue;
      const subs = await this.submissions(question_id);
      out.push({
        questionId: question_id,
        code: q.code,
        type: q.type,
        title: q.task.title,
        doubleMarking: q.task.doubleMarking?.threshold ?? null,
        submissions: subs.length,
        final: subs.filter((s) => s.state === 'final').length,
        needsArbitration: subs.filter((s) => s.state === 'needs-arbitration').length,
        forMe: subs.filter((s) => this.canMark(s, grader.id)).length,
        markedByMe: subs.filter((s) => s.marks.some((m) => m.grader_id === grader.id)).length,
      });
    }
    return out.sort((a, b) => a.code.localeCompare(b.code));
  }

  private canMark(s: Submission, graderId: string) {
    return s.nextRound !== null && !s.marks.some((m) => m.grader_id === graderId);
  }

  /** The next submission this grader may mark (a different one for each grader where possible). */
  async next(grader: StaffUser, questionId: string) {
    const open = (await this.submissions(questionId)).filter((s) => this.canMark(s, grader.id));
    if (open.length === 0) return null;
    // Arbitration first, then second marks, then the oldest first marks;
    // graders working side by side are spread over the first few of that group.
    const round = Math.max(...open.map((s) => s.nextRound ?? 0));
    const group = open.filter((s) => s.nextRound === round);
    const pick = group[Math.floor(Math.random() * Math.min(group.length, 5))]!;
    return this.item(grader, pick.markingId);
  }

  async item(grader: StaffUser, markingId: string) {
    const job = await this.ctx.db.selectFrom('grading_jobs').select(['question_id', 'result', 'state', 'error']).where('id', '=', markingId).executeTakeFirst();
    if (!job) throw notFound('SUBMISSION_NOT_FOUND', '没有找到该答卷');
    const { question, task } = await this.rubricTask(job.question_id);
    const [sub] = await this.submissions(job.question_id, markingId);
    if (!sub) throw notFound('SUBMISSION_NOT_FOUND', '该答卷未作答或尚未交卷，无需评分');
    const own = await this.ctx.db.selectFrom('marks').selectAll().where('attempt_id', '=', sub.attemptId).where('question_id', '=', job.question_id).where('grader_id', '=', grader.id).executeTakeFirst();
    const answer = sub.answer && typeof sub.answer === 'object' && !Array.isArray(sub.answer) ? sub.answer : null;
    return {
      markingId,
      task: {
        questionId: question.id,
        code: question.code,
        type: question.type,
        title: task.title,
        statementHtml: statementHtml(question.stem),
        points: question.points,
        rubric: task.rubric,
        checks: task.checks.map((c) => ({ id: c.id, name: c.name, points: c.points, sample: c.sample })),
        doubleMarking: task.doubleMarking?.threshold ?? null,
      },
      answer: {
        files: answer && 'files' in answer ? answer.files : null,
        text: answer && 'text' in answer ? answer.text : null,
        upload: answer && 'upload' in answer ? { name: answer.upload.name, size: answer.upload.size, sha256: answer.upload.sha256 } : null,
      },
      checks: job.result ? (JSON.parse(job.result) as GradingResult) : null,
      autoState: job.state,
      marking: { state: sub.state, round: own ? own.round : sub.nextRound, marksGiven: sub.marks.length },
      myMark: own ? { round: own.round, items: JSON.parse(own.items) as MarkInput['items'], total: Number(own.total), comment: own.comment, updatedAt: own.updated_at } : null,
    };
  }

  private checkItems(rubric: RubricItem[], input: MarkInput) {
    const given = new Map(input.items.map((i) => [i.id, i]));
    const problems: string[] = [];
    for (const r of rubric) {
      const g = given.get(r.id);
      if (!g) problems.push(`缺少评分项「${r.name}」的分数`);
      else if (!(g.points >= 0 && g.points <= r.points)) problems.push(`评分项「${r.name}」的分数应在 0–${r.points} 之间`);
      else if (Math.round(g.points * 2) !== g.points * 2) problems.push(`评分项「${r.name}」的分数最小单位为 0.5 分`);
    }
    for (const id of given.keys()) if (!rubric.some((r) => r.id === id)) problems.push(`评分项 ${id} 不存在`);
    if (problems.length > 0) throw badRequest('INVALID_MARK', problems.join('；'), { problems });
  }

  /** Gives or changes this grader's mark. A change needs a reason; both are audited. */
  async mark(grader: StaffUser, markingId: string, input: MarkInput) {
    const job = await this.ctx.db.selectFrom('grading_jobs').select(['attempt_id', 'question_id']).where('id', '=', markingId).executeTakeFirst();
    if (!job) throw notFound('SUBMISSION_NOT_FOUND', '没有找到该答卷');
    const { task } = await this.rubricTask(job.question_id);
    this.checkItems(task.rubric, input);
    const total = roundScore(input.items.reduce((s, i) => s + i.points, 0));
    const items = JSON.stringify(task.rubric.map((r) => input.items.find((i) => i.id === r.id)!));
    const now = nowIso(this.ctx.clock.now());
    await this.ctx.db.transaction().execute(async (trx) => {
      const lock = trx.selectFrom('attempts').select('id').where('id', '=', job.attempt_id);
      await (this.ctx.dialect === 'postgres' ? lock.forUpdate() : lock).execute();
      const marks = await trx.selectFrom('marks').selectAll().where('attempt_id', '=', job.attempt_id).where('question_id', '=', job.question_id).execute();
      const mine = marks.find((m) => m.grader_id === grader.id);
      if (mine) {
        if (!input.reason?.trim()) throw badRequest('REASON_REQUIRED', '修改已给出的分数须填写修改原因');
        await trx.updateTable('marks').set({ items, total, comment: input.comment ?? null, updated_at: now }).where('id', '=', mine.id).execute();
        await recordAudit(trx, grader.username, 'mark.update', 'marks', mine.id,
          { total: Number(mine.total), items: JSON.parse(mine.items) as unknown, comment: mine.comment },
          { total, items: JSON.parse(items) as unknown, comment: input.comment ?? null, reason: input.reason.trim(), markingId, round: mine.round });
        return;
      }
      const outcome = resolveMarking(marks.map((m) => ({ round: m.round, total: Number(m.total) })), task.doubleMarking);
      if (outcome.nextRound === null) throw conflict('ALREADY_FINAL', '该答卷已定分，请评阅下一份');
      const id = newId();
      await trx
        .insertInto('marks')
        .values({ id, attempt_id: job.attempt_id, question_id: job.question_id, grader_id: grader.id, round: outcome.nextRound, items, total, comment: input.comment ?? null, created_at: now, updated_at: now })
        .execute();
      await recordAudit(trx, grader.username, 'mark.create', 'marks', id, null, { total, items: JSON.parse(items) as unknown, comment: input.comment ?? null, markingId, round: outcome.nextRound });
    });
    await refreshPracticalScore(this.ctx, job.attempt_id);
    return this.item(grader, markingId);
  }

  /** The zip of an upload task's submission, for graders. */
  async upload(markingId: string) {
    const job = await this.ctx.db.selectFrom('grading_jobs').select(['attempt_id', 'question_id']).where('id', '=', markingId).executeTakeFirst();
    if (!job) throw notFound('SUBMISSION_NOT_FOUND', '没有找到该答卷');
    const row = await this.ctx.db.selectFrom('answers').select('answer').where('attempt_id', '=', job.attempt_id).where('question_id', '=', job.question_id).executeTakeFirst();
    const answer = row ? (JSON.parse(row.answer) as AnswerValue) : null;
    if (!answer || typeof answer !== 'object' || Array.isArray(answer) || !('upload' in answer)) throw notFound('UPLOAD_NOT_FOUND', '该答卷没有上传文件');
    const file = await this.ctx.db.selectFrom('uploads').select(['content']).where('id', '=', answer.upload.id).executeTakeFirstOrThrow();
    return { name: `${markingId}.zip`, content: Buffer.from(file.content) };
  }
}
