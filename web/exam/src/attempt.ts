// One attempt in progress: autosave, status polling, clock re-sync, the
// deadline, hand-in, full-screen enforcement and the events the server
// records. The Paper screen renders from it and calls its methods.

import { Api, ApiError, errorMessage, isClientReplaced, isRetryable } from './api';
import { AnswerQueue, AutosaveSender, type SaveState } from './autosave';
import { parseTime, type ServerClock } from './clock';
import { isFullscreen, isUnloading, onFullscreenChange, requestFullscreen } from './fullscreen';
import { MessageBook } from './messages';
import { groupQuestions, orderQuestions, type NumberedQuestion, type QuestionGroup } from './paper';
import { taskAnswered } from './tasks';
import type { KV } from './storage';
import type { Answer, EnterResponse, EventResponse, EventType, ProctorMessage, Question, StatusResponse } from './types';

export type EndReason =
  | 'handed-in' // the candidate handed in
  | 'time-over' // the deadline passed; the server submits
  | 'fullscreen' // left full screen beyond the allowed warnings
  | 'already-submitted' // the server says it was submitted before
  | 'remote' // submitted while open (by the server, or on another client)
  | 'proctor' // a proctor handed the paper in (强制交卷)
  | 'disqualified' // a proctor disqualified the candidate (取消考试资格)
  | 'replaced'; // another computer took the attempt over (换机): this one stops, pending changes kept

export interface EndInfo {
  reason: EndReason;
  submittedAt?: string;
  /** the proctor's reason ('proctor', 'disqualified') */
  note?: string;
  /** changes that could not be uploaded (still kept on this machine) */
  unsaved?: number;
}

export interface AttemptDeps {
  api: Api;
  clock: ServerClock;
  kv: KV | null;
  /** the page was reloaded into an attempt it already had: POST a `reload` event */
  resumed: boolean;
  onEnd(info: EndInfo): void;
  onUnauthorized(): void;
  /**
   * Opens the live link (live.ts) while the attempt is open; `changed` asks
   * for the status at once. Absent: the 10-second poll only.
   */
  openLive?: (handlers: LiveHandlers) => { stop(): void; online?(): void };
  /** 0..1 (tests) */
  random?: () => number;
}

export interface LiveHandlers {
  onChanged(kind: string): void;
  onReconnected(): void;
}

/** Live events meant for a whole room or sitting: their status reads are spread over 1.8 s, so that every client has read its status within 2 s. */
const ROOM_WIDE_KINDS = ['broadcast', 'auto-warning'];

const STATUS_EVERY_MS = 10_000;
const TIME_SYNC_EVERY_MS = 60_000;
const FOCUS_LOSS_THROTTLE_MS = 15_000;

export type SubmitWindow = 'before' | 'open' | 'closed';

export class AttemptSession {
  readonly data: EnterResponse;
  readonly ordered: NumberedQuestion[];
  readonly groups: QuestionGroup[];
  readonly queue: AnswerQueue;
  readonly sender: AutosaveSender;

  /** current deadline (server ms); a proctor may move it */
  deadline: number;
  /** time over: inputs disabled while the last changes are flushed */
  locked = false;
  /** the full-screen overlay must be shown */
  needFullscreen: boolean;
  /** message shown on the full-screen overlay (warning after an exit) */
  fullscreenMessage: string | null = null;
  /** requestFullscreen failed */
  fullscreenError: string | null = null;
  /** info line under the header (restored answers, rejected answer…) */
  notice: string | null = null;
  submitting = false;
  ended = false;
  /** proctors' messages not yet dismissed */
  readonly messages: MessageBook;

  private readonly deps: AttemptDeps;
  private readonly initialDeadline: number;
  private listeners: Array<() => void> = [];
  private cleanups: Array<() => void> = [];
  private timers: Array<ReturnType<typeof setTimeout>> = [];
  private deadlineHandling = false;
  private lastFocusLoss = -Infinity;
  private offlineAt: string | null = null;
  private exitPosting = false;
  private exitsToReport = 0;
  private flushers: Array<() => void> = [];
  private byId: Record<string, Question> | null = null;
  private live: { stop(): void; online?(): void } | null = null;
  private statusBusy = false;
  private statusAgain = false;
  private statusTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(data: EnterResponse, deps: AttemptDeps) {
    this.data = data;
    this.deps = deps;
    this.ordered = orderQuestions(data.questions || []);
    this.groups = groupQuestions(this.ordered);
    this.deadline = parseTime(data.deadline);
    this.initialDeadline = this.deadline;
    this.needFullscreen = !!data.rules.fullscreenRequired && !isFullscreen();
    this.queue = new AnswerQueue(deps.kv, data.attemptId, data.answers || {});
    this.messages = new MessageBook(deps.kv, data.attemptId);
    this.sender = new AutosaveSender({
      queue: this.queue,
      put: (qid, body) => deps.api.putAnswer(data.attemptId, qid, body).then((r) => r.data),
      onChange: () => this.emit(),
      onClosed: (code) => {
        if (code === 'CLIENT_REPLACED') this.replaced();
        else this.end({ reason: code === 'TIME_OVER' ? 'time-over' : 'remote' });
      },
      onUnauthorized: () => this.unauthorized(),
      onRejected: (_qid, err) => {
        this.notice = '有一道题的答案未被服务器接受：' + errorMessage(err);
        this.emit();
      },
    });
    if (this.queue.restored > 0) {
      this.notice = '已恢复本机暂存的 ' + this.queue.restored + ' 道题的答案，正在上传到服务器。';
    }
  }

  // --- subscription -------------------------------------------------------

  subscribe(fn: () => void): () => void {
    this.listeners.push(fn);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== fn);
    };
  }

  private emit(): void {
    for (const l of this.listeners.slice()) l();
  }

  // --- life cycle ---------------------------------------------------------

  start(): void {
    const { clock } = this.deps;
    // Restored changes are sent at once.
    if (this.queue.pendingCount > 0) this.sender.flush();

    // The fallback when the live link is down (and a check when it is up).
    this.every(STATUS_EVERY_MS, () => this.refreshStatus(), 1000);
    this.every(TIME_SYNC_EVERY_MS, () => this.syncTime(), 0);
    this.every(500, () => {
      if (!this.ended && !this.deadlineHandling && clock.now() >= this.deadline) void this.onDeadline();
    }, 0);

    const onOnline = () => this.online();
    const onOffline = () => this.offline();
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOffline);
    this.cleanups.push(() => {
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
    });
    if (typeof navigator !== 'undefined' && navigator.onLine === false) this.offline();

    // Focus moving into a frame of this page (the webpage preview of the
    // practical paper) blurs the window too: that is not leaving the exam.
    // While a frame has the focus, leaving the browser is seen by polling.
    let framePoll: ReturnType<typeof setInterval> | null = null;
    const stopFramePoll = () => {
      if (framePoll !== null) clearInterval(framePoll);
      framePoll = null;
    };
    const inFrame = () => {
      const a = document.activeElement;
      return !!a && a.tagName === 'IFRAME' && document.hasFocus();
    };
    const onBlur = () => {
      setTimeout(() => {
        if (!inFrame()) return this.focusLoss('blur');
        if (framePoll !== null) return;
        framePoll = setInterval(() => {
          if (inFrame()) return;
          stopFramePoll();
          if (!document.hasFocus()) this.focusLoss('blur');
        }, 1000);
      }, 0);
    };
    this.cleanups.push(stopFramePoll);
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') {
        this.flushEditors();
        this.focusLoss('hidden');
      }
    };
    // A reload or a closed window: what editors hold back goes to the pending store first.
    const onUnload = () => this.flushEditors();
    window.addEventListener('pagehide', onUnload);
    window.addEventListener('beforeunload', onUnload);
    this.cleanups.push(() => {
      window.removeEventListener('pagehide', onUnload);
      window.removeEventListener('beforeunload', onUnload);
    });
    window.addEventListener('blur', onBlur);
    document.addEventListener('visibilitychange', onVisibility);
    this.cleanups.push(() => {
      window.removeEventListener('blur', onBlur);
      document.removeEventListener('visibilitychange', onVisibility);
    });

    if (this.data.rules.fullscreenRequired) {
      // Measured against the overlay's state: enterFullscreen() hides it on the request's promise, before the change event.
      this.cleanups.push(onFullscreenChange((fs) => this.fullscreenChanged(fs), () => !this.needFullscreen));
    }

    if (this.deps.resumed) void this.postEvent('reload');

    if (this.deps.openLive) {
      this.live = this.deps.openLive({
        onChanged: (kind) => this.statusSoon(ROOM_WIDE_KINDS.indexOf(kind) >= 0 ? 1800 : 200),
        onReconnected: () => this.statusSoon(1000),
      });
    }
  }

  dispose(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    if (this.statusTimer) clearTimeout(this.statusTimer);
    this.statusTimer = null;
    for (const c of this.cleanups) c();
    this.cleanups = [];
    if (this.live) this.live.stop();
    this.live = null;
    this.sender.stop();
  }

  /**
   * A live event: read the status now — after a random pause of up to
   * `spreadMs`, so that a broadcast to a whole room or site does not bring
   * every client at the same millisecond.
   */
  private statusSoon(spreadMs: number): void {
    if (this.ended || this.statusTimer) return;
    const r = this.deps.random ? this.deps.random() : Math.random();
    this.statusTimer = setTimeout(() => {
      this.statusTimer = null;
      void this.refreshStatus();
    }, Math.round(r * spreadMs));
  }

  /** Reads and applies the status now (one read at a time; a request meanwhile runs once more after it). */
  async refreshStatus(): Promise<void> {
    if (this.statusBusy) {
      this.statusAgain = true;
      return;
    }
    this.statusBusy = true;
    try {
      do {
        this.statusAgain = false;
        await this.pollStatus();
      } while (this.statusAgain && !this.ended);
    } finally {
      this.statusBusy = false;
    }
  }

  // --- proctors' messages -------------------------------------------------

  /** The message to show now (each is shown once, until dismissed). */
  get currentMessage(): ProctorMessage | null {
    return this.messages.current;
  }

  dismissMessage(id: string): void {
    this.messages.dismiss(id);
    this.emit();
  }

  /** Repeats fn every `ms` (plus up to `jitterMs` random), first after one period. */
  private every(ms: number, fn: () => void | Promise<void>, jitterMs: number): void {
    const schedule = () => {
      const t = setTimeout(() => {
        if (this.ended) return;
        const r = fn();
        if (r && typeof r.then === 'function') r.then(schedule, schedule);
        else schedule();
      }, ms + Math.random() * jitterMs);
      this.timers.push(t);
      if (this.timers.length > 50) this.timers = this.timers.slice(-10);
    };
    schedule();
  }

  private end(info: EndInfo): void {
    if (this.ended) return;
    this.ended = true;
    const unsaved = this.queue.pendingCount;
    if (unsaved > 0 && info.unsaved === undefined) info.unsaved = unsaved;
    this.dispose();
    this.emit();
    this.deps.onEnd(info);
  }

  private unauthorized(): void {
    if (this.ended) return;
    this.ended = true;
    this.dispose();
    this.deps.onUnauthorized();
  }

  /** Another computer holds the attempt now: stop; changes not uploaded are set aside on this machine, never sent. */
  private replaced(): void {
    if (this.ended) return;
    const unsaved = this.queue.setAside();
    this.end(unsaved > 0 ? { reason: 'replaced', unsaved } : { reason: 'replaced' });
  }

  // --- answers ------------------------------------------------------------

  /**
   * An editor that holds back changes for a moment (the code editor saves
   * after a pause in typing) registers here: its changes are recorded before
   * a hand-in, at the deadline, and when the page is hidden or unloaded.
   */
  registerFlusher(fn: () => void): () => void {
    this.flushers.push(fn);
    return () => {
      this.flushers = this.flushers.filter((f) => f !== fn);
    };
  }

  /** Records what editors hold back (see registerFlusher). */
  flushEditors(): void {
    for (const f of this.flushers.slice()) {
      try {
        f();
      } catch {
        /* an editor's failure must not stop a hand-in */
      }
    }
  }

  answer(questionId: string): Answer {
    return this.queue.answer(questionId);
  }

  get answerable(): boolean {
    return !this.ended && !this.locked && !this.submitting && !this.needFullscreen;
  }

  setAnswer(questionId: string, answer: Answer): void {
    if (!this.answerable) return;
    this.queue.change(questionId, answer, this.deps.clock.nowIso());
    this.sender.changed();
  }

  get saveState(): SaveState {
    return this.sender.state;
  }

  get pendingCount(): number {
    return this.sender.pendingCount;
  }

  /** A practical paper: its questions are tasks (code, webpage, case, upload). */
  get practical(): boolean {
    if (this.data.sitting.paper === 'practical') return true;
    return (this.data.questions || []).some((q) => !!q.task);
  }

  /** Answered as the navigator shows it (a code task only once its files differ from the starter files). */
  answered(questionId: string): boolean {
    if (!this.byId) {
      this.byId = {};
      for (const x of this.data.questions || []) this.byId[x.id] = x;
    }
    const q = this.byId[questionId];
    if (!q) return false;
    return taskAnswered(q, this.queue.answer(questionId));
  }

  unansweredCount(): number {
    let n = 0;
    for (const q of this.data.questions || []) if (!taskAnswered(q, this.queue.answer(q.id))) n++;
    return n;
  }

  /** The API client of this attempt. */
  get api(): Api {
    return this.deps.api;
  }

  /**
   * The server stored an answer through another endpoint (a zip upload, which
   * takes the question's next seq): it becomes the question's answer.
   */
  savedElsewhere(questionId: string, answer: Answer, seq: number): void {
    this.queue.saved(questionId, answer, seq);
    this.emit();
  }

  /** Sends pending changes now; resolves true once everything is saved (false on timeout). */
  flushSaves(timeoutMs: number): Promise<boolean> {
    this.flushEditors();
    this.sender.flush();
    return this.sender.waitIdle(timeoutMs);
  }

  /**
   * A 401 or 409 answer to a request of the practical paper (run, upload):
   * ends the attempt as the same answer to a save would. Returns the message
   * to show, or null when the attempt ended.
   */
  requestRefused(e: ApiError): string | null {
    if (e.status === 401) {
      this.unauthorized();
      return null;
    }
    if (isClientReplaced(e)) {
      this.replaced();
      return null;
    }
    if (e.code === 'ALREADY_SUBMITTED') {
      this.end({ reason: 'remote', submittedAt: e.body.submittedAt as string | undefined });
      return null;
    }
    if (e.code === 'TIME_OVER') {
      if (!this.deadlineHandling && !this.ended) void this.onDeadline();
      return '考试时间已到，不能再运行或上传。';
    }
    return errorMessage(e);
  }


  // --- time ---------------------------------------------------------------

  /** How much a proctor moved the deadline since entering. */
  private get shift(): number {
    return this.deadline - this.initialDeadline;
  }

  get warningAt(): number {
    return parseTime(this.data.rules.warningAt) + this.shift;
  }

  get submitOpensAt(): number {
    return parseTime(this.data.rules.submitOpensAt);
  }

  get submitClosesAt(): number {
    return parseTime(this.data.rules.submitClosesAt) + this.shift;
  }

  submitWindow(now: number): SubmitWindow {
    if (now < this.submitOpensAt) return 'before';
    if (now >= this.submitClosesAt) return 'closed';
    return 'open';
  }

  private async syncTime(): Promise<void> {
    try {
      const r = await this.deps.api.time();
      this.deps.clock.sync(r.sentAt, r.receivedAt, r.data.serverNow);
    } catch {
      /* the next sync will do */
    }
  }

  private applyStatus(st: StatusResponse): void {
    const d = parseTime(st.deadline);
    if (isFinite(d) && d !== this.deadline) {
      this.deadline = d;
      this.emit();
    }
    if (st.state === 'submitted') {
      if (st.submitReason === 'disqualified' || st.submitReason === 'proctor') {
        this.end({ reason: st.submitReason, submittedAt: st.submittedAt, note: st.submitNote || undefined });
        return;
      }
      const over = this.deps.clock.now() >= this.deadline;
      this.end({ reason: over ? 'time-over' : 'remote', submittedAt: st.submittedAt });
      return;
    }
    if (this.messages.absorb(st.messages)) this.emit();
  }

  /** GET status; null on a network error (and when the attempt ended meanwhile). */
  private async fetchStatus(): Promise<StatusResponse | null> {
    try {
      const r = await this.deps.api.status(this.data.attemptId);
      this.deps.clock.sync(r.sentAt, r.receivedAt, r.data.serverNow);
      return r.data;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) this.unauthorized();
      else if (isClientReplaced(e)) this.replaced();
      return null;
    }
  }

  private async pollStatus(): Promise<void> {
    if (this.ended || this.deadlineHandling) return;
    const st = await this.fetchStatus();
    if (st && !this.ended && !this.deadlineHandling) this.applyStatus(st);
  }

  /** The countdown reached the deadline. */
  private async onDeadline(): Promise<void> {
    this.flushEditors(); // before locking: changes made up to now still count
    this.deadlineHandling = true;
    this.locked = true;
    this.emit();
    // A proctor may have granted more time: ask before closing.
    const st = await this.fetchStatus();
    if (this.ended) return;
    if (st) {
      const d = parseTime(st.deadline);
      if (st.state === 'in_progress' && isFinite(d) && d > this.deps.clock.now() + 500) {
        this.deadline = d;
        this.locked = false;
        this.deadlineHandling = false;
        this.emit();
        return;
      }
    }
    // Upload the last changes (they carry changedAt, accepted within the grace).
    this.sender.flush();
    await this.sender.waitIdle(45_000);
    this.end({ reason: 'time-over', submittedAt: st && st.submittedAt ? st.submittedAt : undefined });
  }

  // --- hand-in ------------------------------------------------------------

  /** Resolves with an error message to show, or null when the attempt ended. */
  async handIn(): Promise<string | null> {
    if (this.submitting || this.ended) return null;
    this.flushEditors();
    this.submitting = true;
    this.emit();
    try {
      this.sender.flush();
      const idle = await this.sender.waitIdle(10_000);
      if (this.ended) return null;
      if (!idle) {
        return (
          '还有 ' +
          this.queue.pendingCount +
          ' 道题的答案没有保存到服务器（网络异常），暂不能交卷。答案已暂存在本机，请检查网络或联系监考人员后重试。'
        );
      }
      const r = await this.deps.api.submit(this.data.attemptId);
      this.end({ reason: 'handed-in', submittedAt: r.data.submittedAt });
      return null;
    } catch (e) {
      if (e instanceof ApiError) {
        if (e.status === 401) {
          this.unauthorized();
          return null;
        }
        if (isClientReplaced(e)) {
          this.replaced();
          return null;
        }
        if (e.code === 'ALREADY_SUBMITTED') {
          this.end({ reason: 'already-submitted', submittedAt: e.body.submittedAt as string | undefined });
          return null;
        }
        if (e.code === 'TIME_OVER') {
          this.end({ reason: 'time-over' });
          return null;
        }
      }
      if (!(e instanceof ApiError)) return '网络连接失败，交卷没有成功，请稍后重试。';
      return errorMessage(e);
    } finally {
      this.submitting = false;
      this.emit();
    }
  }

  // --- events -------------------------------------------------------------

  /** POSTs an event, retrying network errors a few times. */
  async postEvent(type: EventType, detail?: string, at?: string): Promise<EventResponse | null> {
    const when = at || this.deps.clock.nowIso();
    let delay = 1000;
    for (let attempt = 0; attempt < 4; attempt++) {
      if (this.ended) return null;
      try {
        const r = await this.deps.api.event(this.data.attemptId, type, when, detail);
        return r.data;
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) {
          this.unauthorized();
          return null;
        }
        if (isClientReplaced(e)) {
          this.replaced();
          return null;
        }
        if (e instanceof ApiError && e.code === 'ALREADY_SUBMITTED') {
          this.end({ reason: 'remote', submittedAt: e.body.submittedAt as string | undefined });
          return null;
        }
        if (!isRetryable(e)) return null;
        await new Promise((res) => setTimeout(res, delay));
        delay = Math.min(delay * 2, 5000);
      }
    }
    return null;
  }

  private online(): void {
    this.sender.setOnline(true);
    if (this.live && this.live.online) this.live.online();
    const since = this.offlineAt;
    this.offlineAt = null;
    void (async () => {
      if (since) await this.postEvent('offline', undefined, since);
      await this.postEvent('reconnect', since ? 'offline since ' + since : undefined);
    })();
  }

  private offline(): void {
    if (!this.offlineAt) this.offlineAt = this.deps.clock.nowIso();
    this.sender.setOnline(false);
  }

  private focusLoss(kind: string): void {
    if (this.ended || isUnloading()) return;
    const now = Date.now();
    if (now - this.lastFocusLoss < FOCUS_LOSS_THROTTLE_MS) return;
    this.lastFocusLoss = now;
    void this.postEvent('focus-loss', kind);
  }

  // --- full screen --------------------------------------------------------

  /** The "进入全屏开始答题" button. */
  async enterFullscreen(): Promise<void> {
    try {
      // Some browsers never settle the promise when they refuse: give up after 3 s.
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => (isFullscreen() ? resolve() : reject(new Error('timeout'))), 3000);
        requestFullscreen().then(
          () => {
            clearTimeout(t);
            resolve();
          },
          (e) => {
            clearTimeout(t);
            reject(e);
          },
        );
      });
      this.fullscreenError = null;
      if (isFullscreen()) {
        this.needFullscreen = false;
        this.fullscreenMessage = null;
      }
    } catch {
      if (isFullscreen()) {
        this.needFullscreen = false;
      } else {
        this.fullscreenError = this.data.rules.fullscreenRequired
          ? '无法进入全屏模式。本场考试要求全屏作答，请使用 Chrome 75 或更高版本的浏览器，并举手联系监考人员。'
          : '无法进入全屏模式，您可以继续答题。';
        if (!this.data.rules.fullscreenRequired) this.needFullscreen = false;
      }
    }
    this.emit();
  }

  private fullscreenChanged(fs: boolean): void {
    if (this.ended) return;
    if (fs) {
      this.needFullscreen = false;
      this.emit();
      return;
    }
    if (isUnloading()) return;
    this.needFullscreen = true;
    this.fullscreenMessage = '您离开了全屏，正在记录…';
    this.emit();
    void this.reportFullscreenExit();
  }

  /** Reports exits one after the other (a second exit while the first is being posted is not lost). */
  private async reportFullscreenExit(): Promise<void> {
    this.exitsToReport++;
    if (this.exitPosting) return;
    this.exitPosting = true;
    try {
      while (this.exitsToReport > 0 && !this.ended) {
        this.exitsToReport--;
        const r = await this.postEvent('fullscreen-exit');
        if (this.ended) return;
        if (r && r.action === 'submitted') {
          const st = await this.fetchStatus();
          this.end({ reason: 'fullscreen', submittedAt: st && st.submittedAt ? st.submittedAt : undefined });
          return;
        }
        if (r && r.action === 'warning') {
          const left = typeof r.warningsLeft === 'number' ? r.warningsLeft : 0;
          this.fullscreenMessage =
            '警告：您离开了全屏。按考试规定，考试期间必须保持全屏。' +
            (left > 0
              ? '您还有 ' + left + ' 次警告机会，用完后再离开全屏，试卷将被自动提交。'
              : '再次离开全屏，试卷将被自动提交。');
        } else if (r) {
          this.fullscreenMessage = '您离开了全屏，请重新进入全屏继续答题。';
        } else {
          this.fullscreenMessage = '您离开了全屏，请重新进入全屏继续答题（网络异常，记录尚未上传）。';
        }
        this.emit();
      }
    } finally {
      this.exitPosting = false;
    }
  }
}
