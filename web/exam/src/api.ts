// HTTP client for the candidate API. Every call reports local send/receive
// times so the caller can feed the server clock.

import type {
  ApiErrorBody,
  EnterResponse,
  EventResponse,
  EventType,
  LoginResponse,
  PutAnswerBody,
  PutAnswerResponse,
  StatusResponse,
} from './types';

export interface Timed<T> {
  data: T;
  sentAt: number;
  receivedAt: number;
}

/** The server answered with an error status. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly body: ApiErrorBody;
  readonly sentAt: number;
  readonly receivedAt: number;
  constructor(status: number, body: ApiErrorBody, sentAt: number, receivedAt: number) {
    super(body.message || '服务器错误（' + status + '）');
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code || 'HTTP_' + status;
    this.body = body;
    this.sentAt = sentAt;
    this.receivedAt = receivedAt;
  }
}

/** No answer from the server: offline, timed out, connection reset. */
export class NetworkError extends Error {
  constructor(message = '网络连接失败，请检查网络') {
    super(message);
    this.name = 'NetworkError';
  }
}

export function isRetryable(err: unknown): boolean {
  if (err instanceof ApiError) return err.status >= 500 || err.status === 408 || err.status === 429;
  return true; // network errors and anything unexpected
}

/** Another computer took this attempt over (a proctor approved a machine switch): this one must stop. */
export function isClientReplaced(err: unknown): boolean {
  return err instanceof ApiError && err.status === 409 && err.code === 'CLIENT_REPLACED';
}

export function errorMessage(err: unknown): string {
  if (err instanceof ApiError || err instanceof NetworkError) return err.message;
  return '发生错误，请重试或联系监考人员';
}

export interface ApiOptions {
  baseUrl?: string;
  localNow?: () => number;
  fetchImpl?: typeof fetch;
}

export class Api {
  private token: string | null = null;
  private clientId: string | null = null;
  private readonly base: string;
  private readonly localNow: () => number;
  private readonly fetchImpl: typeof fetch;

  constructor(opts: ApiOptions = {}) {
    this.base = opts.baseUrl ?? '';
    this.localNow = opts.localNow ?? (() => Date.now());
    const f = opts.fetchImpl ?? (typeof fetch === 'function' ? fetch : undefined);
    this.fetchImpl = f ? (f.bind(globalThis) as typeof fetch) : (() => Promise.reject(new NetworkError())) as typeof fetch;
  }

  setToken(token: string | null): void {
    this.token = token;
  }

  getToken(): string | null {
    return this.token;
  }

  /** This machine's exam client id, sent as X-Kaowu-Client with every request (client-id.ts). */
  setClientId(id: string | null): void {
    this.clientId = id;
  }

  /**
   * `body` is sent as JSON; `raw` (a file) is sent as it is with its content
   * type instead.
   */
  async request<T>(
    method: string,
    path: string,
    body?: unknown,
    timeoutMs = 15_000,
    raw?: { body: Blob; contentType: string },
  ): Promise<Timed<T>> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (raw) headers['Content-Type'] = raw.contentType;
    else if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.token) headers.Authorization = 'Bearer ' + this.token;
    if (this.clientId) headers['X-Kaowu-Client'] = this.clientId;
    const ctrl = typeof AbortController === 'function' ? new AbortController() : null;
    const timer = ctrl ? setTimeout(() => ctrl.abort(), timeoutMs) : undefined;
    const sentAt = this.localNow();
    let res: Response;
    try {
      res = await this.fetchImpl(this.base + path, {
        method,
        headers,
        body: raw ? raw.body : body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
        credentials: 'same-origin',
        signal: ctrl ? ctrl.signal : undefined,
      });
    } catch {
      if (timer !== undefined) clearTimeout(timer);
      throw new NetworkError();
    }
    let parsed: unknown = null;
    try {
      const text = await res.text();
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
    const receivedAt = this.localNow();
    if (!res.ok) {
      const err =
        parsed && typeof parsed === 'object' && (parsed as { error?: ApiErrorBody }).error
          ? (parsed as { error: ApiErrorBody }).error
          : { code: 'HTTP_' + res.status, message: res.status >= 500 ? '服务器繁忙，请稍候' : '请求失败（' + res.status + '）' };
      throw new ApiError(res.status, err, sentAt, receivedAt);
    }
    return { data: parsed as T, sentAt, receivedAt };
  }

  time(): Promise<Timed<{ serverNow: string }>> {
    return this.request('GET', '/api/time', undefined, 10_000);
  }

  login(ticketNo: string, idNumber: string): Promise<Timed<LoginResponse>> {
    return this.request('POST', '/api/candidate/login', { ticketNo, idNumber });
  }

  enter(sittingId: string): Promise<Timed<EnterResponse>> {
    return this.request('POST', '/api/candidate/sittings/' + encodeURIComponent(sittingId) + '/attempt', {}, 30_000);
  }

  putAnswer(attemptId: string, questionId: string, body: PutAnswerBody): Promise<Timed<PutAnswerResponse>> {
    return this.request(
      'PUT',
      '/api/candidate/attempts/' + encodeURIComponent(attemptId) + '/answers/' + encodeURIComponent(questionId),
      body,
    );
  }

  submit(attemptId: string): Promise<Timed<{ submittedAt: string }>> {
    return this.request('POST', '/api/candidate/attempts/' + encodeURIComponent(attemptId) + '/submit', {}, 30_000);
  }

  /** `detail` is free text for the proctors' log (the server takes a string of at most 500 characters). */
  event(attemptId: string, type: EventType, at: string, detail?: string): Promise<Timed<EventResponse>> {
    const body: { type: EventType; at: string; detail?: string } = { type, at };
    if (detail) body.detail = detail.slice(0, 500);
    return this.request('POST', '/api/candidate/attempts/' + encodeURIComponent(attemptId) + '/events', body);
  }

  status(attemptId: string): Promise<Timed<StatusResponse>> {
    return this.request('GET', '/api/candidate/attempts/' + encodeURIComponent(attemptId) + '/status', undefined, 10_000);
  }
}
