// fetch wrapper for the console API: adds the staff Bearer token, turns
// `{ error: { code, message, ... } }` into an ApiError, and signs the user out
// on 401 (the app then shows the log-in screen).

import { getToken, signOut } from './session';
import type {
  BankImportReport, BankSummary, GradingStatus, GradingTask, LoginResponse, MarkInput, MarkingItem, PlanResults, PlanSummary, PracticalBreakdown,
  SittingAttempts, StaffUser,
} from './types';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** Everything in `error` besides code and message (e.g. `problems`). */
  readonly extra: Record<string, unknown>;
  constructor(status: number, code: string, message: string, extra: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.extra = extra;
  }
}

interface RequestOptions {
  body?: unknown;
  /** false for the log-in call: no token, and a 401 is a wrong password, not an expired session. */
  auth?: boolean;
  signal?: AbortSignal;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const auth = opts.auth !== false;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const token = auth ? getToken() : null;
  if (token) headers.authorization = `Bearer ${token}`;

  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络后重试');
  }

  const text = await res.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (res.ok) return data as T;
  throw failure(res.status, data, auth);
}

/** The ApiError for a non-2xx response (and the sign-out on 401). */
function failure(status: number, data: unknown, auth: boolean): ApiError {
  const body = (data as { error?: Record<string, unknown> } | null)?.error;
  const { code, message, ...extra } = body ?? {};
  const err = new ApiError(
    status,
    typeof code === 'string' ? code : `HTTP_${status}`,
    typeof message === 'string' ? message : `服务器错误（${status}）`,
    extra,
  );
  if (status === 401 && auth) signOut(err.message);
  return err;
}

/** GET of a file with the staff token (a plain link cannot send it). */
export async function download(path: string): Promise<{ blob: Blob; filename: string | null }> {
  const token = getToken();
  let res: Response;
  try {
    res = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  } catch {
    throw new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络后重试');
  }
  if (!res.ok) {
    let data: unknown = null;
    try {
      data = JSON.parse(await res.text());
    } catch {
      data = null;
    }
    throw failure(res.status, data, true);
  }
  const disposition = res.headers.get('content-disposition') ?? '';
  const m = /filename="?([^";]+)"?/.exec(disposition);
  // RFC 5987: a Chinese name in filename*=UTF-8''…, preferred over the ASCII one.
  const star = /filename\*=UTF-8''([^;\s]+)/i.exec(disposition);
  let filename = m?.[1] ?? null;
  if (star?.[1]) {
    try {
      filename = decodeURIComponent(star[1]);
    } catch {
      // keep the ASCII name
    }
  }
  return { blob: await res.blob(), filename };
}

/** Hands a blob to the browser as a download named `filename`. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * POST or PUT of a file as the raw request body (an .xlsx upload, a photo)
 * with the staff token; JSON back, errors as ApiError like `request`.
 */
export async function sendFile<T>(method: 'POST' | 'PUT', path: string, file: Blob, contentType?: string): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': contentType || file.type || 'application/octet-stream' };
  const token = getToken();
  if (token) headers.authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: file });
  } catch {
    throw new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络后重试');
  }
  const text = await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (res.ok) return data as T;
  throw failure(res.status, data, true);
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error && err.message) return err.message;
  return '发生未知错误，请重试';
}

export const api = {
  login: (username: string, password: string) =>
    request<LoginResponse>('POST', '/api/staff/login', { body: { username, password }, auth: false }),
  me: () => request<StaffUser>('GET', '/api/staff/me'),
  /** 修改密码: every older session ends; the answer is a fresh one. */
  changePassword: (currentPassword: string, newPassword: string) =>
    request<LoginResponse>('POST', '/api/staff/me/password', { body: { currentPassword, newPassword } }),
  /** 登录此账号: a coordinator acts as one of their teachers (audited). */
  actAs: (userId: string) => request<LoginResponse>('POST', '/api/staff/act-as', { body: { userId } }),
  endActAs: () => request<LoginResponse>('POST', '/api/staff/act-as/end'),
  plans: (signal?: AbortSignal) => request<{ plans: PlanSummary[] }>('GET', '/api/console/plans', { signal }),
  sittingAttempts: (sittingId: string, signal?: AbortSignal) =>
    request<SittingAttempts>('GET', `/api/console/sittings/${encodeURIComponent(sittingId)}/attempts`, { signal }),
  /** 安全考试浏览器: a Config Key (64 hex) makes the sitting require SEB; null stops requiring it. */
  setSittingSeb: (sittingId: string, configKey: string | null) =>
    request<{ sittingId: string; sebRequired: boolean }>('PATCH', `/api/console/sittings/${encodeURIComponent(sittingId)}/seb`, { body: { configKey } }),
  bankSummary: (signal?: AbortSignal) => request<BankSummary>('GET', '/api/console/bank/summary', { signal }),
  importBank: (filename: string, content: string) =>
    request<BankImportReport>('POST', '/api/console/bank/import', { body: { filename, content } }),

  // 阅卷 (graders and operators)
  gradingTasks: (signal?: AbortSignal) => request<{ tasks: GradingTask[] }>('GET', '/api/console/grading/tasks', { signal }),
  nextSubmission: (questionId: string, signal?: AbortSignal) =>
    request<{ item: MarkingItem | null }>('GET', `/api/console/grading/tasks/${encodeURIComponent(questionId)}/next`, { signal }),
  submission: (markingId: string, signal?: AbortSignal) =>
    request<MarkingItem>('GET', `/api/console/grading/items/${encodeURIComponent(markingId)}`, { signal }),
  mark: (markingId: string, input: MarkInput) =>
    request<MarkingItem>('PUT', `/api/console/grading/items/${encodeURIComponent(markingId)}/mark`, { body: input }),
  uploadPath: (markingId: string) => `/api/console/grading/items/${encodeURIComponent(markingId)}/upload`,

  // 成绩 and grading status (operators)
  gradingStatus: (signal?: AbortSignal) => request<GradingStatus>('GET', '/api/console/grading/status', { signal }),
  planResults: (planId: string, signal?: AbortSignal) =>
    request<PlanResults>('GET', `/api/console/plans/${encodeURIComponent(planId)}/results`, { signal }),
  practicalBreakdown: (attemptId: string, signal?: AbortSignal) =>
    request<PracticalBreakdown>('GET', `/api/console/attempts/${encodeURIComponent(attemptId)}/practical`, { signal }),
};
