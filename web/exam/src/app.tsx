// The screens and the moves between them.
//   login → (sitting list) → waiting room → paper → submitted
// The log-in and the sitting being taken are kept in localStorage, so a reload
// goes straight back into the attempt.

import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, errorMessage } from './api';
import type { EndInfo, EndReason } from './attempt';
import {
  autoEnterTarget,
  enterable,
  knownAttempt,
  loadSession,
  rememberAttempt,
  saveSession,
  withSittingState,
  type StoredSession,
} from './session';
import { api, clock, kv, renewClientId, syncClock } from './services';
import { LoginScreen } from './screens/Login';
import { NoticeScreen } from './screens/Notice';
import { PaperScreen } from './screens/Paper';
import { SittingListScreen } from './screens/SittingList';
import { ReplacedScreen } from './screens/Replaced';
import { SubmittedScreen } from './screens/Submitted';
import { SwitchWaitScreen } from './screens/SwitchWait';
import { WaitingRoom } from './screens/WaitingRoom';
import type { EnterResponse, LoginResponse, SittingSummary } from './types';

/** While waiting for a proctor to approve a machine switch, the entry is asked again this often. */
const SWITCH_RETRY_MS = 2000;

/** ALREADY_SUBMITTED at entry: how it was handed in, as the end screen tells it. */
function endReasonOf(submitReason: unknown): EndReason {
  return submitReason === 'disqualified' || submitReason === 'proctor' ? submitReason : 'already-submitted';
}

type View =
  | { name: 'boot' }
  | { name: 'login'; message?: string }
  | { name: 'list'; message?: string }
  | { name: 'entering'; sittingId: string; error?: string; attempt: number }
  | { name: 'waiting'; sittingId: string; startsAt: string; round: number }
  /** 换机: asked to continue on this computer; a proctor must approve (asked again every 2 s) */
  | { name: 'switch-wait'; sittingId: string; since: number }
  /** another computer took the attempt over */
  | { name: 'replaced'; sittingName?: string; unsaved?: number }
  | { name: 'paper'; enter: EnterResponse; resumed: boolean }
  | { name: 'ended'; info: EndInfo; attemptId?: string; sittingName?: string }
  | { name: 'notice'; title: string; message: string; code: string; sittingId?: string };

export function App() {
  const [session, setSessionState] = useState<StoredSession | null>(() => loadSession(kv));
  const sessionRef = useRef(session);
  const [view, setViewState] = useState<View>({ name: 'boot' });
  const viewRef = useRef(view);
  const enterGen = useRef(0);
  const retryTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const setView = (v: View) => {
    viewRef.current = v;
    setViewState(v);
  };

  const updateSession = (s: StoredSession | null) => {
    sessionRef.current = s;
    saveSession(kv, s);
    api.setToken(s ? s.token : null);
    setSessionState(s);
  };

  const cancelRetry = () => {
    if (retryTimer.current) clearTimeout(retryTimer.current);
    retryTimer.current = null;
  };

  const toLogin = (message?: string) => {
    cancelRetry();
    enterGen.current++;
    updateSession(null); // pending answers are kept under their own keys
    setView({ name: 'login', message });
  };

  const toList = (message?: string) => {
    cancelRetry();
    enterGen.current++;
    const s = sessionRef.current;
    if (!s) return toLogin();
    updateSession({ ...s, sittingId: undefined, attemptId: undefined });
    setView({ name: 'list', message });
  };

  const sittingOf = (id: string): SittingSummary | null => {
    const s = sessionRef.current;
    return (s && s.sittings.filter((x) => x.id === id)[0]) || null;
  };

  const enterSitting = async (sittingId: string, attempt = 0) => {
    cancelRetry();
    const s = sessionRef.current;
    if (!s) return toLogin();
    const gen = ++enterGen.current;
    const from = viewRef.current;
    if (from.name !== 'waiting' && from.name !== 'entering' && from.name !== 'switch-wait') setView({ name: 'entering', sittingId, attempt });
    if (s.sittingId !== sittingId) updateSession({ ...s, sittingId, attemptId: undefined });
    try {
      const r = await api.enter(sittingId);
      if (gen !== enterGen.current) return;
      clock.sync(r.sentAt, r.receivedAt, r.data.serverNow);
      const resumed = knownAttempt(kv, r.data.attemptId);
      rememberAttempt(kv, r.data.attemptId);
      const cur = sessionRef.current;
      if (cur) updateSession({ ...withSittingState(cur, sittingId, 'open'), sittingId, attemptId: r.data.attemptId });
      setView({ name: 'paper', enter: r.data, resumed });
    } catch (e) {
      if (gen !== enterGen.current) return;
      if (e instanceof ApiError && e.status === 401) return toLogin('登录已失效，请重新登录。');
      if (e instanceof ApiError && e.code === 'NOT_STARTED') {
        const serverNow = e.body.serverNow;
        if (typeof serverNow === 'string') clock.sync(e.sentAt, e.receivedAt, serverNow);
        const startsAt = typeof e.body.startsAt === 'string' ? e.body.startsAt : (sittingOf(sittingId) || { startsAt: '' }).startsAt;
        const prev = viewRef.current;
        const round = prev.name === 'waiting' && prev.sittingId === sittingId ? prev.round + 1 : 0;
        setView({ name: 'waiting', sittingId, startsAt, round });
        return;
      }
      if (e instanceof ApiError && e.code === 'SWITCH_PENDING') {
        const prev = viewRef.current;
        const since = prev.name === 'switch-wait' && prev.sittingId === sittingId ? prev.since : Date.now();
        setView({ name: 'switch-wait', sittingId, since });
        retryTimer.current = setTimeout(() => void enterSitting(sittingId), SWITCH_RETRY_MS);
        return;
      }
      if (e instanceof ApiError && e.code === 'ALREADY_SUBMITTED') {
        const cur = sessionRef.current;
        if (cur) updateSession({ ...withSittingState(cur, sittingId, 'submitted'), sittingId: undefined, attemptId: undefined });
        const sub = e.body.submittedAt;
        const note = e.body.submitNote;
        setView({
          name: 'ended',
          info: {
            reason: endReasonOf(e.body.submitReason),
            submittedAt: typeof sub === 'string' ? sub : undefined,
            note: typeof note === 'string' ? note : undefined,
          },
          sittingName: (sittingOf(sittingId) || { name: '' }).name || undefined,
        });
        return;
      }
      if (e instanceof ApiError && e.status < 500 && e.status !== 408 && e.status !== 429) {
        const cur = sessionRef.current;
        if (cur) {
          const state = e.code === 'ENTRY_CLOSED' ? 'closed' : undefined;
          const next = state ? withSittingState(cur, sittingId, state) : cur;
          updateSession({ ...next, sittingId: undefined, attemptId: undefined });
        }
        const title =
          e.code === 'ENTRY_CLOSED'
            ? '不能进入考试'
            : e.code === 'SITTING_NOT_FOUND'
              ? '没有找到该考试场次'
              : e.code === 'SWITCH_REJECTED'
                ? '换机申请未获同意'
                : '无法进入考试';
        setView({ name: 'notice', title, message: e.message, code: e.code, sittingId });
        return;
      }
      // Network error or server busy: retry with backoff and jitter.
      const delay = Math.min(2000 * Math.pow(2, attempt), 15_000) * (0.75 + Math.random() * 0.5);
      setView({
        name: 'entering',
        sittingId,
        attempt: attempt + 1,
        error: errorMessage(e) + '。' + Math.round(delay / 1000) + ' 秒后自动重试…',
      });
      retryTimer.current = setTimeout(() => void enterSitting(sittingId, attempt + 1), delay);
    }
  };

  // Start-up: sync the clock, then resume where the page was.
  useEffect(() => {
    void syncClock();
    const s = sessionRef.current;
    if (!s) return setView({ name: 'login' });
    api.setToken(s.token);
    if (s.sittingId) void enterSitting(s.sittingId);
    else setView({ name: 'list' });
  }, []);

  const onLoggedIn = (r: LoginResponse) => {
    updateSession({ token: r.token, candidate: r.candidate, sittings: r.sittings || [] });
    const target = autoEnterTarget(r.sittings || []);
    if (target) void enterSitting(target.id);
    else setView({ name: 'list' });
  };

  const logout = () => toLogin();

  const onEnd = (info: EndInfo, enter: EnterResponse) => {
    const cur = sessionRef.current;
    if (info.reason === 'replaced') {
      // Not handed in: the attempt goes on elsewhere. Entering again from here would ask a proctor to switch back.
      if (cur) updateSession({ ...cur, sittingId: undefined, attemptId: undefined });
      setView({ name: 'replaced', sittingName: enter.sitting.name, unsaved: info.unsaved });
      return;
    }
    if (cur) updateSession({ ...withSittingState(cur, enter.sitting.id, 'submitted'), sittingId: undefined, attemptId: undefined });
    setView({ name: 'ended', info, attemptId: enter.attemptId, sittingName: enter.sitting.name });
  };

  const v = view;
  const candidate = session ? session.candidate : null;
  const hasMore = !!session && session.sittings.some(enterable);

  switch (v.name) {
    case 'boot':
      return <div class="boot">正在加载…</div>;
    case 'login':
      return <LoginScreen message={v.message} onLoggedIn={onLoggedIn} />;
    case 'list':
      return session ? (
        <SittingListScreen
          candidate={session.candidate}
          sittings={session.sittings}
          message={v.message}
          onEnter={(s) => void enterSitting(s.id)}
          onLogout={logout}
        />
      ) : (
        <LoginScreen onLoggedIn={onLoggedIn} />
      );
    case 'entering':
      return (
        <NoticeScreen title="正在进入考试…" message={v.error || '请稍候'} code="ENTERING" tone="info">
          {v.error ? (
            <button class="btn btn-primary" type="button" onClick={() => void enterSitting(v.sittingId, v.attempt)}>
              立即重试
            </button>
          ) : null}
        </NoticeScreen>
      );
    case 'waiting':
      return candidate ? (
        <WaitingRoom
          candidate={candidate}
          sitting={sittingOf(v.sittingId)}
          startsAt={v.startsAt}
          round={v.round}
          onStart={() => void enterSitting(v.sittingId)}
          onBack={session && session.sittings.length > 1 ? () => toList() : undefined}
        />
      ) : null;
    case 'switch-wait':
      return (
        <SwitchWaitScreen
          candidate={candidate}
          sittingName={(sittingOf(v.sittingId) || { name: '' }).name || undefined}
          since={v.since}
          onLogout={session ? logout : undefined}
        />
      );
    case 'replaced':
      return <ReplacedScreen candidate={candidate} sittingName={v.sittingName} unsaved={v.unsaved} onLogout={session ? logout : undefined} />;
    case 'paper':
      return (
        <PaperScreen
          key={v.enter.attemptId}
          enter={v.enter}
          resumed={v.resumed}
          onEnd={(info) => onEnd(info, v.enter)}
          onUnauthorized={() => toLogin('登录已失效，请重新登录。您的答案已暂存在本机，登录后会继续上传。')}
        />
      );
    case 'ended':
      return (
        <SubmittedScreen
          info={v.info}
          attemptId={v.attemptId}
          candidate={candidate}
          sittingName={v.sittingName}
          onBack={hasMore ? () => toList() : undefined}
          onLogout={session ? logout : undefined}
        />
      );
    case 'notice':
      return (
        <NoticeScreen title={v.title} message={v.message} code={v.code}>
          {v.code === 'SWITCH_REJECTED' && v.sittingId ? (
            // A rejection may be a slip: this computer may ask again, as a new request.
            <button class="btn" type="button" onClick={() => { renewClientId(); void enterSitting(v.sittingId as string); }} data-testid="switch-again">
              重新申请换机
            </button>
          ) : null}
          {session ? (
            <button class="btn btn-primary" type="button" onClick={() => toList()} data-testid="back-to-list">
              返回场次列表
            </button>
          ) : null}
        </NoticeScreen>
      );
  }
}
