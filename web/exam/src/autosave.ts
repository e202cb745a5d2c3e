// Autosave: a local store of unacknowledged changes (AnswerQueue) and the
// sender that pushes them to the server (AutosaveSender). Both are free of DOM
// and network code — storage, the PUT call and the timers are injected — so
// they are tested under Node (test/autosave.test.ts).
//
// Rules
// - Every change gets the next per-question seq and is written at once to the
//   pending store (localStorage, one key per attempt) as unacknowledged.
// - Only the latest change per question is sent; at most one request per
//   question is in flight.
// - An answer whose response seq ≥ the sent seq is acknowledged: the change is
//   removed from the pending store (unless a newer change was made meanwhile).
// - On resume, server answers are merged with the pending store: a pending
//   change with a higher seq than the server's wins and is sent again.

import type { KV } from './storage';
import type { Answer, PutAnswerBody, SavedAnswer } from './types';

export interface PendingChange {
  answer: Answer;
  seq: number;
  changedAt?: string;
}
export type PendingMap = Record<string, PendingChange>;
export type AnswerMap = Record<string, SavedAnswer>;

export function pendingKey(attemptId: string): string {
  return 'kaowu.exam.pending.' + attemptId;
}

/** Changes a replaced computer could not upload (换机), kept apart, never sent. */
export function setAsideKey(attemptId: string): string {
  return 'kaowu.exam.set-aside.' + attemptId;
}

function isStringRecord(v: unknown): v is Record<string, string> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  for (const k of Object.keys(v)) if (typeof (v as Record<string, unknown>)[k] !== 'string') return false;
  return true;
}

function isAnswer(v: unknown): v is Answer {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (Array.isArray(v)) return v.every((x) => typeof x === 'string');
  if (typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length !== 1) return false;
  if (keys[0] === 'files') return isStringRecord(o.files);
  if (keys[0] === 'text') return typeof o.text === 'string';
  if (keys[0] === 'upload') {
    const u = o.upload as Record<string, unknown> | null;
    return !!u && typeof u === 'object' && typeof u.id === 'string' && typeof u.name === 'string' && typeof u.size === 'number';
  }
  return false;
}

/** A copy that later edits of the caller's object cannot change (file maps are copied, strings are immutable). */
export function copyAnswer(a: Answer): Answer {
  if (Array.isArray(a)) return a.slice();
  if (a && typeof a === 'object') {
    if ('files' in a) {
      const files: Record<string, string> = {};
      for (const k of Object.keys(a.files)) files[k] = a.files[k] as string;
      return { files };
    }
    if ('text' in a) return { text: a.text };
    if ('upload' in a) return { upload: { ...a.upload } };
  }
  return a;
}

function isPending(v: unknown): v is PendingChange {
  if (!v || typeof v !== 'object') return false;
  const p = v as PendingChange;
  return typeof p.seq === 'number' && isFinite(p.seq) && p.seq > 0 && isAnswer(p.answer);
}

/** Reads the pending store of an attempt, ignoring malformed entries. */
export function loadPending(kv: KV, attemptId: string): PendingMap {
  let raw: unknown = null;
  try {
    const text = kv.getItem(pendingKey(attemptId));
    raw = text ? JSON.parse(text) : null;
  } catch {
    raw = null;
  }
  const out: PendingMap = {};
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    for (const k of Object.keys(raw)) {
      const v = (raw as Record<string, unknown>)[k];
      if (isPending(v)) out[k] = { answer: v.answer, seq: v.seq, changedAt: v.changedAt };
    }
  }
  return out;
}

/**
 * Server answers merged with local pending changes: a pending change wins when
 * its seq is higher than the server's (or the server has none) and stays
 * pending; otherwise the server already has it (or something newer) and it is
 * dropped.
 */
export function mergeAnswers(server: AnswerMap, pending: PendingMap): { answers: AnswerMap; pending: PendingMap } {
  const answers: AnswerMap = {};
  for (const k of Object.keys(server)) {
    const s = server[k] as SavedAnswer;
    answers[k] = { answer: s.answer, seq: s.seq };
  }
  const keep: PendingMap = {};
  for (const k of Object.keys(pending)) {
    const p = pending[k] as PendingChange;
    const s = server[k];
    if (!s || p.seq > s.seq) {
      keep[k] = p;
      answers[k] = { answer: p.answer, seq: p.seq };
    }
  }
  return { answers, pending: keep };
}

/**
 * Whether an answer counts as given. Files count when some file has text
 * (the practical view compares with the starter files instead), a text when
 * it is not blank.
 */
export function isAnswered(a: Answer | undefined): boolean {
  if (a === null || a === undefined) return false;
  if (Array.isArray(a)) return a.length > 0;
  if (typeof a === 'object') {
    if ('files' in a) {
      for (const k of Object.keys(a.files)) if (/\S/.test(a.files[k] as string)) return true;
      return false;
    }
    if ('text' in a) return /\S/.test(a.text);
    return 'upload' in a && !!a.upload;
  }
  return true;
}

export interface OutgoingChange {
  questionId: string;
  body: PutAnswerBody;
}

export type AckResult = 'acked' | 'superseded' | 'retry';

export class AnswerQueue {
  readonly attemptId: string;
  /** how many local changes the server did not have when the queue was created */
  readonly restored: number;
  /** false when the last write to storage failed */
  persisted = true;
  private answers: AnswerMap;
  private pending: PendingMap;
  private order: string[];
  private inflight: Record<string, number> = {};
  private readonly kv: KV | null;

  constructor(kv: KV | null, attemptId: string, serverAnswers: AnswerMap = {}) {
    this.kv = kv;
    this.attemptId = attemptId;
    const stored = kv ? loadPending(kv, attemptId) : {};
    const merged = mergeAnswers(serverAnswers, stored);
    this.answers = merged.answers;
    this.pending = merged.pending;
    this.order = Object.keys(merged.pending);
    this.restored = this.order.length;
    this.persist();
  }

  answer(questionId: string): Answer {
    const a = this.answers[questionId];
    return a ? a.answer : null;
  }

  seq(questionId: string): number {
    const a = this.answers[questionId];
    return a ? a.seq : 0;
  }

  /** A copy of the pending changes (what is kept in storage). */
  pendingChanges(): PendingMap {
    const out: PendingMap = {};
    for (const k of this.order) out[k] = { ...(this.pending[k] as PendingChange) };
    return out;
  }

  get pendingCount(): number {
    return this.order.length;
  }

  get inflightCount(): number {
    return Object.keys(this.inflight).length;
  }

  /** Is there a pending change not yet in flight? */
  get hasSendable(): boolean {
    for (const k of this.order) if (this.inflight[k] === undefined) return true;
    return false;
  }

  /** Records a change: next seq, written to storage at once. */
  change(questionId: string, answer: Answer, changedAt?: string): PendingChange {
    const cur = this.answers[questionId];
    const pend = this.pending[questionId];
    const seq = Math.max(cur ? cur.seq : 0, pend ? pend.seq : 0) + 1;
    const value = copyAnswer(answer);
    const change: PendingChange = { answer: value, seq };
    if (changedAt) change.changedAt = changedAt;
    this.answers[questionId] = { answer: value, seq };
    this.pending[questionId] = change;
    const i = this.order.indexOf(questionId);
    if (i >= 0) this.order.splice(i, 1);
    this.order.push(questionId);
    this.persist();
    return change;
  }

  /**
   * The seq the next change of a question gets, without recording anything:
   * for answers saved through another endpoint (a zip upload) that shares the
   * question's seq counter.
   */
  nextSeq(questionId: string): number {
    const cur = this.answers[questionId];
    const pend = this.pending[questionId];
    return Math.max(cur ? cur.seq : 0, pend ? pend.seq : 0) + 1;
  }

  /**
   * The server stored `answer` with `seq` through another endpoint (upload):
   * it becomes the current answer; an older pending change is dropped.
   */
  saved(questionId: string, answer: Answer, seq: number): void {
    const cur = this.answers[questionId];
    if (cur && cur.seq > seq) return;
    this.answers[questionId] = { answer: copyAnswer(answer), seq };
    const p = this.pending[questionId];
    if (p && p.seq <= seq && this.inflight[questionId] === undefined) this.remove(questionId);
  }

  /**
   * Takes up to `max` changes to send, oldest first, skipping questions that
   * already have a request in flight; marks them in flight.
   */
  take(max = Infinity): OutgoingChange[] {
    const out: OutgoingChange[] = [];
    for (const k of this.order) {
      if (out.length >= max) break;
      if (this.inflight[k] !== undefined) continue;
      const p = this.pending[k] as PendingChange;
      this.inflight[k] = p.seq;
      const body: PutAnswerBody = { answer: p.answer, seq: p.seq };
      if (p.changedAt) body.changedAt = p.changedAt;
      out.push({ questionId: k, body });
    }
    return out;
  }

  /**
   * The server answered `storedSeq` to a change sent with `sentSeq`.
   * - storedSeq ≥ sentSeq: acknowledged; the pending change is removed unless
   *   a newer one was made meanwhile ('superseded': that one is still to send).
   * - storedSeq < sentSeq: should not happen; kept pending ('retry').
   */
  ack(questionId: string, sentSeq: number, storedSeq: number): AckResult {
    if (this.inflight[questionId] === sentSeq) delete this.inflight[questionId];
    if (!(storedSeq >= sentSeq)) return 'retry';
    const cur = this.answers[questionId];
    // Keep the counter ahead of the server's, so the next change is not ignored.
    if (cur && cur.seq < storedSeq) cur.seq = storedSeq;
    const p = this.pending[questionId];
    if (p && p.seq <= storedSeq) {
      this.remove(questionId);
      return 'acked';
    }
    return p ? 'superseded' : 'acked';
  }

  /** The request failed and may be retried: the change stays pending. */
  release(questionId: string, sentSeq: number): void {
    if (this.inflight[questionId] === sentSeq) delete this.inflight[questionId];
  }

  /** The server rejected the change for good (bad shape, unknown question). */
  drop(questionId: string, sentSeq: number): void {
    this.release(questionId, sentSeq);
    const p = this.pending[questionId];
    if (p && p.seq === sentSeq) this.remove(questionId);
  }

  private remove(questionId: string): void {
    delete this.pending[questionId];
    const i = this.order.indexOf(questionId);
    if (i >= 0) this.order.splice(i, 1);
    this.persist();
  }

  /**
   * Another computer took the attempt over (换机): the changes this one could
   * not upload move out of the queue into a key of their own, kept for the
   * proctor to see but never sent. Were they left queued, coming back to this
   * computer later would send them over newer answers made on the other one.
   */
  setAside(): number {
    const n = this.order.length;
    if (n > 0 && this.kv) {
      try {
        this.kv.setItem(setAsideKey(this.attemptId), JSON.stringify(this.pendingChanges()));
      } catch {
        // storage full or disabled: they are dropped, as they could not be sent anyway
      }
    }
    this.pending = {};
    this.order = [];
    this.inflight = {};
    this.persist();
    return n;
  }

  private persist(): void {
    if (!this.kv) return;
    const key = pendingKey(this.attemptId);
    try {
      if (this.order.length === 0) this.kv.removeItem(key);
      else this.kv.setItem(key, JSON.stringify(this.pendingChanges()));
      this.persisted = true;
    } catch {
      this.persisted = false;
    }
  }
}

// ---------------------------------------------------------------------------

export type SaveState = 'saved' | 'saving' | 'offline';

/** What to do after a failed PUT. */
export type FailureKind =
  | 'retry' // network error, timeout, 5xx, 429: keep and retry with backoff
  | 'unauthorized' // 401: stop; the app goes to the login screen, pending kept
  | 'closed' // 409 TIME_OVER / ALREADY_SUBMITTED / CLIENT_REPLACED: stop sending (pending changes are kept)
  | 'rejected'; // other 4xx: this change can never be saved; drop it

export function classifyFailure(err: unknown): { kind: FailureKind; code?: string } {
  const e = err as { status?: unknown; code?: unknown } | null;
  const status = e && typeof e.status === 'number' ? e.status : 0;
  const code = e && typeof e.code === 'string' ? e.code : undefined;
  if (!status || status >= 500 || status === 408 || status === 429) return { kind: 'retry', code };
  if (status === 401) return { kind: 'unauthorized', code };
  if (status === 409 && (code === 'TIME_OVER' || code === 'ALREADY_SUBMITTED' || code === 'CLIENT_REPLACED')) return { kind: 'closed', code };
  return { kind: 'rejected', code };
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface SenderOptions {
  queue: AnswerQueue;
  put(questionId: string, body: PutAnswerBody): Promise<{ seq: number }>;
  classify?: (err: unknown) => { kind: FailureKind; code?: string };
  timers?: Timers;
  /** 0..1; spreads retries of many clients after an outage */
  random?: () => number;
  debounceMs?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  maxConcurrent?: number;
  /** state, pending count or in-flight count changed */
  onChange?: () => void;
  /** 409 TIME_OVER / ALREADY_SUBMITTED / CLIENT_REPLACED: sending stopped */
  onClosed?: (code: string) => void;
  /** 401: sending stopped */
  onUnauthorized?: () => void;
  /** a change the server refuses for good (dropped) */
  onRejected?: (questionId: string, err: unknown) => void;
}

export class AutosaveSender {
  readonly queue: AnswerQueue;
  private readonly opts: SenderOptions;
  private readonly timers: Timers;
  private readonly classify: (err: unknown) => { kind: FailureKind; code?: string };
  private readonly debounceMs: number;
  private readonly minBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxConcurrent: number;
  private debounceTimer: unknown = null;
  private retryTimer: unknown = null;
  private running = 0;
  private failures = 0;
  private offline = false;
  private stoppedFlag = false;
  private waiters: Array<(idle: boolean) => void> = [];

  constructor(opts: SenderOptions) {
    this.opts = opts;
    this.queue = opts.queue;
    this.timers = opts.timers ?? realTimers;
    this.classify = opts.classify ?? classifyFailure;
    this.debounceMs = Math.min(opts.debounceMs ?? 300, 500);
    this.minBackoffMs = opts.minBackoffMs ?? 1000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 5000;
    this.maxConcurrent = opts.maxConcurrent ?? 4;
  }

  get state(): SaveState {
    if (this.queue.pendingCount === 0) return 'saved';
    if (this.offline || this.failures > 0) return 'offline';
    return 'saving';
  }

  get pendingCount(): number {
    return this.queue.pendingCount;
  }

  get stopped(): boolean {
    return this.stoppedFlag;
  }

  /** Consecutive failed attempts (0 after any success). */
  get failureCount(): number {
    return this.failures;
  }

  /** Call after every queue.change(): sends after the debounce. */
  changed(): void {
    this.emit();
    if (this.stoppedFlag) return;
    if (this.retryTimer !== null) return; // the retry will carry the latest change
    if (this.debounceTimer !== null) this.timers.clearTimeout(this.debounceTimer);
    this.debounceTimer = this.timers.setTimeout(() => {
      this.debounceTimer = null;
      this.pump();
    }, this.debounceMs);
  }

  /** Sends everything pending now (skipping a running backoff). */
  flush(): void {
    if (this.stoppedFlag) return;
    this.clearTimer('debounce');
    this.clearTimer('retry');
    this.pump();
  }

  /** navigator.onLine changed. Coming back online flushes at once. */
  setOnline(online: boolean): void {
    if (online) {
      this.offline = false;
      this.failures = 0;
      this.emit();
      this.flush();
    } else {
      this.offline = true;
      this.emit();
    }
  }

  /** Resolves true once nothing is pending, false on timeout or stop. */
  waitIdle(timeoutMs: number): Promise<boolean> {
    if (this.queue.pendingCount === 0) return Promise.resolve(true);
    if (this.stoppedFlag) return Promise.resolve(false);
    return new Promise((resolve) => {
      let done = false;
      const finish = (idle: boolean) => {
        if (done) return;
        done = true;
        this.timers.clearTimeout(t);
        const i = this.waiters.indexOf(finish);
        if (i >= 0) this.waiters.splice(i, 1);
        resolve(idle);
      };
      const t = this.timers.setTimeout(() => finish(false), timeoutMs);
      this.waiters.push(finish);
    });
  }

  /** Stops sending for good (pending changes stay in storage). */
  stop(): void {
    if (this.stoppedFlag) return;
    this.stoppedFlag = true;
    this.clearTimer('debounce');
    this.clearTimer('retry');
    this.emit();
  }

  private clearTimer(which: 'debounce' | 'retry'): void {
    if (which === 'debounce' && this.debounceTimer !== null) {
      this.timers.clearTimeout(this.debounceTimer);
      this.debounceTimer = null;
    }
    if (which === 'retry' && this.retryTimer !== null) {
      this.timers.clearTimeout(this.retryTimer);
      this.retryTimer = null;
    }
  }

  private pump(): void {
    if (this.stoppedFlag) return;
    const room = this.maxConcurrent - this.running;
    if (room <= 0) return;
    for (const item of this.queue.take(room)) void this.send(item);
  }

  private backoffDelay(): number {
    const base = Math.min(this.minBackoffMs * Math.pow(2, Math.max(0, this.failures - 1)), this.maxBackoffMs);
    const r = this.opts.random ? this.opts.random() : Math.random();
    // ±20 % so that thousands of clients do not retry in step; kept within [min, max].
    return Math.min(this.maxBackoffMs, Math.max(this.minBackoffMs, Math.round(base * (0.8 + 0.4 * r))));
  }

  private async send(item: OutgoingChange): Promise<void> {
    const { questionId, body } = item;
    this.running++;
    this.emit();
    let retryLater = false;
    try {
      const res = await this.opts.put(questionId, body);
      if (this.stoppedFlag) return;
      const r = this.queue.ack(questionId, body.seq, res && typeof res.seq === 'number' ? res.seq : NaN);
      if (r === 'retry') {
        this.failures++;
        retryLater = true;
      } else {
        this.failures = 0;
      }
    } catch (err) {
      this.queue.release(questionId, body.seq);
      if (this.stoppedFlag) return;
      const c = this.classify(err);
      if (c.kind === 'retry') {
        this.failures++;
        retryLater = true;
      } else if (c.kind === 'unauthorized') {
        this.stop();
        if (this.opts.onUnauthorized) this.opts.onUnauthorized();
      } else if (c.kind === 'closed') {
        this.stop();
        if (this.opts.onClosed) this.opts.onClosed(c.code || 'TIME_OVER');
      } else {
        this.queue.drop(questionId, body.seq);
        if (this.opts.onRejected) this.opts.onRejected(questionId, err);
      }
    } finally {
      this.running--;
      if (!this.stoppedFlag) {
        if (retryLater && this.retryTimer === null) {
          this.clearTimer('debounce');
          this.retryTimer = this.timers.setTimeout(() => {
            this.retryTimer = null;
            this.pump();
          }, this.backoffDelay());
        }
        if (this.retryTimer === null && this.debounceTimer === null) this.pump();
      }
      this.emit();
    }
  }

  private emit(): void {
    if (this.queue.pendingCount === 0 || this.stoppedFlag) {
      const idle = this.queue.pendingCount === 0;
      for (const w of this.waiters.slice()) w(idle);
    }
    if (this.opts.onChange) this.opts.onChange();
  }
}
