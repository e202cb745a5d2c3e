import crypto from 'node:crypto';
import { isTaskType, type GradingResult } from '@kaowu/core';
import type { AppContext } from '../../context.ts';
import { AppError, badRequest, conflict, notFound } from '../../http/errors.ts';
import { newId, nowIso } from '../../ids.ts';
import { GraderUnavailable, type GradingBackend } from '../grading/backend.ts';
import { gradableTask } from '../grading/practical-tasks.ts';
import type { DeliveryService } from './service.ts';
import { RunLimiter } from './run-limiter.ts';
import { ANONYMOUS_CLIENT } from './client-id.ts';

const ZIP_MAGIC = [Buffer.from('PK\x03\x04', 'latin1'), Buffer.from('PK\x05\x06', 'latin1')];

/**
 * The practical paper's own candidate actions: running the visible samples
 * during the sitting, and uploading a project zip as an answer.
 */
export class PracticalService {
  private readonly limiter = new RunLimiter();

  constructor(
    private readonly ctx: AppContext,
    private readonly delivery: DeliveryService,
    private readonly grading: GradingBackend | null,
  ) {}

  private async openTask(registrationId: string, attemptId: string, questionId: string, client: string) {
    const paper = await this.delivery.paperOf(registrationId, attemptId);
    const question = paper.entries.has(questionId) ? (await this.ctx.questions.many([questionId])).get(questionId) : undefined;
    if (!question?.task || !isTaskType(question.type)) throw notFound('QUESTION_NOT_IN_PAPER', '该题不在您的试卷中，或不是实操题');
    const attempt = await this.delivery.ownAttempt(this.ctx.db, registrationId, attemptId, false, client);
    if (attempt.state === 'submitted') throw conflict('ALREADY_SUBMITTED', '您已交卷');
    if (this.ctx.clock.now() >= Date.parse(attempt.deadline_at)) throw conflict('TIME_OVER', '考试时间已到');
    return question;
  }

  /** Runs the sample checks on the candidate's current files; never the hidden ones. */
  async runSamples(registrationId: string, attemptId: string, questionId: string, files: Record<string, string>, client: string = ANONYMOUS_CLIENT): Promise<GradingResult> {
    const question = await this.openTask(registrationId, attemptId, questionId, client);
    if (question.type === 'case' || !question.task!.checks.some((c) => c.sample)) throw badRequest('NOTHING_TO_RUN', '本题没有可运行的样例');
    if (!this.grading) throw new AppError(503, 'GRADER_UNAVAILABLE', '本考点未启用判分服务，暂时无法运行样例');
    const wait = this.limiter.acquire(attemptId, this.ctx.clock.now());
    if (wait > 0) throw new AppError(429, 'RUN_RATE_LIMITED', `运行过于频繁，请 ${wait} 秒后再试`, { retryAfterSec: wait });
    try {
      return await this.grading.runSamples({ task: gradableTask(question), answer: { files } });
    } catch (err) {
      if (err instanceof GraderUnavailable) throw new AppError(503, 'GRADER_UNAVAILABLE', `暂时无法运行样例：${err.reason}`);
      throw err;
    } finally {
      this.limiter.release(attemptId);
    }
  }

  /** Stores an uploaded zip and makes it the answer, through the same guarded save as every answer. */
  async upload(registrationId: string, attemptId: string, questionId: string, name: string, bytes: Buffer, seq: number, client: string = ANONYMOUS_CLIENT) {
    const question = await this.openTask(registrationId, attemptId, questionId, client);
    if (question.type !== 'upload') throw badRequest('NOT_AN_UPLOAD_TASK', '本题不需要上传文件');
    const maxKb = question.task!.maxUploadKb;
    if (bytes.length > maxKb * 1024) throw new AppError(413, 'UPLOAD_TOO_LARGE', `文件不能超过 ${maxKb} KB`);
    if (bytes.length < 22 || !ZIP_MAGIC.some((m) => bytes.subarray(0, 4).equals(m))) throw badRequest('INVALID_ZIP', '请上传 zip 格式的压缩包');
    const upload = { id: newId(), name: name.slice(0, 200), size: bytes.length, sha256: crypto.createHash('sha256').update(bytes).digest('hex') };
    await this.ctx.db
      .insertInto('uploads')
      .values({ ...upload, attempt_id: attemptId, question_id: questionId, content: bytes, created_at: nowIso(this.ctx.clock.now()) })
      .execute();
    try {
      const saved = await this.delivery.storeAnswer(attemptId, questionId, { upload }, seq, undefined, client);
      return { ...saved, upload };
    } catch (err) {
      await this.ctx.db.deleteFrom('uploads').where('id', '=', upload.id).execute();
      throw err;
    }
  }
}
