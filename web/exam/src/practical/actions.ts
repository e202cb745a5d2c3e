// The practical paper's own requests: 运行样例 and the zip upload of a project
// task. Errors that end the attempt (401, 409) go through the session, as for
// a save.

import { ApiError, errorMessage } from '../api';
import type { AttemptSession } from '../attempt';
import type { RunResult, UploadInfo, UploadResponse } from '../types';

const base = (session: AttemptSession, questionId: string) =>
  '/api/candidate/attempts/' + encodeURIComponent(session.data.attemptId) + '/questions/' + encodeURIComponent(questionId);

/** What 运行样例 came to. */
export type RunOutcome =
  | { ok: true; result: RunResult }
  | { ok: false; kind: 'rate-limited'; retryAfterSec: number; message: string }
  | { ok: false; kind: 'grader-unavailable'; message: string }
  | { ok: false; kind: 'closed'; message: string }
  | { ok: false; kind: 'error'; message: string };

/** Runs the visible samples of a task on `files` (the sandbox may take a while). */
export async function runSamples(session: AttemptSession, questionId: string, files: Record<string, string>): Promise<RunOutcome> {
  try {
    const r = await session.api.request<{ result: RunResult }>('POST', base(session, questionId) + '/run', { files }, 120_000);
    return { ok: true, result: r.data.result };
  } catch (e) {
    if (e instanceof ApiError) {
      if (e.status === 429 || e.code === 'RUN_RATE_LIMITED') {
        const sec = Number(e.body.retryAfterSec);
        const wait = isFinite(sec) && sec > 0 ? Math.ceil(sec) : 10;
        return { ok: false, kind: 'rate-limited', retryAfterSec: wait, message: '运行太频繁，请 ' + wait + ' 秒后再试。' };
      }
      if (e.status === 503 || e.code === 'GRADER_UNAVAILABLE') {
        return {
          ok: false,
          kind: 'grader-unavailable',
          message: '评测服务暂时不可用，现在不能运行样例。您的代码照常自动保存，交卷和评分不受影响；请稍后再试，或举手联系监考人员。',
        };
      }
      if (e.status === 401 || e.status === 409) {
        return { ok: false, kind: 'closed', message: session.requestRefused(e) || '本场考试已结束。' };
      }
      return { ok: false, kind: 'error', message: errorMessage(e) };
    }
    return { ok: false, kind: 'error', message: '网络连接失败，没有运行成功，请检查网络后重试。' };
  }
}

export type UploadOutcome = { ok: true; upload: UploadInfo; savedAt: string } | { ok: false; message: string };

/** An upload task's zip, sent with the question's next seq; the server's answer becomes the current one. */
export async function uploadZip(session: AttemptSession, questionId: string, file: Blob, name: string): Promise<UploadOutcome> {
  if (!session.answerable) return { ok: false, message: '现在不能上传。' };
  const seq = session.queue.nextSeq(questionId);
  try {
    const path = base(session, questionId) + '/upload?seq=' + seq + '&name=' + encodeURIComponent(name);
    const r = await session.api.request<UploadResponse>('PUT', path, undefined, 300_000, { body: file, contentType: 'application/zip' });
    const res = r.data;
    session.savedElsewhere(questionId, { upload: res.upload }, typeof res.seq === 'number' ? res.seq : seq);
    return { ok: true, upload: res.upload, savedAt: res.savedAt };
  } catch (e) {
    if (e instanceof ApiError) {
      if (e.status === 401 || e.status === 409) return { ok: false, message: session.requestRefused(e) || '本场考试已结束。' };
      if (e.status === 413) {
        return { ok: false, message: e.code === 'UPLOAD_TOO_LARGE' && e.body.message ? e.message : '文件太大，超过了上传上限。' };
      }
      return { ok: false, message: errorMessage(e) };
    }
    return { ok: false, message: '网络连接失败，上传没有成功，请检查网络后重试。' };
  }
}
