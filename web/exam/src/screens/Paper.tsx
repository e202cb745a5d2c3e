import { useEffect, useRef, useState } from 'preact/hooks';
import { AttemptSession, type EndInfo } from '../attempt';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ProctorMessageDialog } from '../components/ProctorMessageDialog';
import { LiveLink, liveUrl } from '../live';
import { Navigator } from '../components/Navigator';
import { QuestionView } from '../components/QuestionView';
import { SaveStatus } from '../components/SaveStatus';
import { formatClock, formatCountdown, formatDurationWords } from '../format';
import { useServerNow } from '../hooks';
import { api, clock, kv } from '../services';
import type { EnterResponse } from '../types';

type PracticalModule = typeof import('../practical/PracticalPane');
let practicalModule: Promise<PracticalModule> | null = null;

/** The practical paper's own chunk (and CodeMirror behind it): loaded only for a practical paper. */
function loadPractical(): Promise<PracticalModule> {
  if (!practicalModule) {
    practicalModule = import('../practical/PracticalPane').then((m) => {
      // The editor is needed next for a code or webpage task: start loading it now.
      void m.preloadEditor().catch(() => {});
      return m;
    });
    practicalModule.catch(() => {
      practicalModule = null;
    });
  }
  return practicalModule;
}

/** Shows the practical pane once its chunk is loaded; offers a retry when loading fails. */
function PracticalLoader(props: { session: AttemptSession; index: number; onGo(index: number): void }) {
  const [mod, setMod] = useState<PracticalModule | null>(null);
  const [failed, setFailed] = useState(false);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    setFailed(false);
    loadPractical().then(
      (m) => live && setMod(m),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [round]);
  if (mod) return <mod.PracticalPane session={props.session} index={props.index} onGo={props.onGo} />;
  return (
    <div class="exam-body">
      <main class="exam-pane">
        {failed ? (
          <div class="card" data-testid="practical-load-error">
            <p class="alert alert-error">试题页面加载失败（网络异常）。您的答案不受影响。</p>
            <button class="btn btn-primary" type="button" onClick={() => setRound(round + 1)}>
              重新加载
            </button>
          </div>
        ) : (
          <div class="boot">正在加载实操试题…</div>
        )}
      </main>
    </div>
  );
}

export function PaperScreen(props: {
  enter: EnterResponse;
  resumed: boolean;
  onEnd(info: EndInfo): void;
  onUnauthorized(): void;
}) {
  const ref = useRef<AttemptSession | null>(null);
  const cb = useRef(props);
  cb.current = props;
  if (!ref.current) {
    ref.current = new AttemptSession(props.enter, {
      api,
      clock,
      kv,
      resumed: props.resumed,
      onEnd: (info) => cb.current.onEnd(info),
      onUnauthorized: () => cb.current.onUnauthorized(),
      openLive: (handlers) => {
        const link = new LiveLink({
          url: liveUrl(window.location),
          hello: () => {
            const token = api.getToken();
            return token ? { token, attemptId: props.enter.attemptId } : null;
          },
          onChanged: handlers.onChanged,
          onReconnected: handlers.onReconnected,
        });
        link.start();
        return link;
      },
    });
  }
  const session = ref.current;
  const [, setVersion] = useState(0);
  const [index, setIndex] = useState(0);
  const [confirm, setConfirm] = useState<{ error: string | null } | null>(null);
  const [noticeHidden, setNoticeHidden] = useState<string | null>(null);
  const now = useServerNow(clock);
  const paneRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const off = session.subscribe(() => setVersion((v) => v + 1));
    session.start();
    return () => {
      off();
      session.dispose();
    };
  }, [session]);

  useEffect(() => {
    if (paneRef.current) paneRef.current.scrollTop = 0;
  }, [index]);

  const data = session.data;
  const ordered = session.ordered;
  const item = ordered[Math.min(index, ordered.length - 1)];
  const left = session.deadline - now;
  const warning = now >= session.warningAt && left > 0;
  const win = session.submitWindow(now);
  const canHandIn = win === 'open' && !session.ended && !session.locked;
  const unanswered = session.unansweredCount();
  const practical = session.practical;

  let handInHint = '';
  if (win === 'before') handInHint = formatClock(session.submitOpensAt) + ' 后可交卷';
  else if (win === 'closed') handInHint = '最后阶段不能交卷';

  const openConfirm = () => {
    if (canHandIn) setConfirm({ error: null });
  };
  const doHandIn = async () => {
    const err = await session.handIn();
    if (err) setConfirm({ error: err });
  };

  const go = (i: number) => {
    if (i >= 0 && i < ordered.length) setIndex(i);
  };

  const notice = session.notice && session.notice !== noticeHidden ? session.notice : null;

  return (
    <div class="exam" data-testid="paper" data-attempt-id={data.attemptId}>
      <header class="exam-header">
        <div class="exam-who">
          <div class="exam-name" data-testid="candidate-name">
            {data.candidate.name}
          </div>
          <div class="muted small" data-testid="ticket-no">
            准考证号 {data.candidate.ticketNo}
          </div>
        </div>
        <div class="exam-title" title={data.sitting.name}>
          {data.sitting.name}
        </div>
        <SaveStatus state={session.saveState} pending={session.pendingCount} />
        <div class={'countdown' + (left <= 5 * 60_000 ? ' is-urgent' : '')}>
          <div class="countdown-label">剩余时间</div>
          <div class="countdown-value" data-testid="countdown" data-deadline={new Date(session.deadline).toISOString()}>
            {formatCountdown(left)}
          </div>
        </div>
        <div class="handin">
          <button
            class="btn btn-danger"
            type="button"
            disabled={!canHandIn}
            onClick={openConfirm}
            data-testid="handin-button"
            title={handInHint || '交卷'}
          >
            交卷
          </button>
          {handInHint ? <div class="handin-hint muted small">{handInHint}</div> : null}
        </div>
      </header>

      {warning ? (
        <div class="banner banner-warn" role="alert" data-testid="time-warning">
          距离考试结束还有不到 {formatDurationWords(session.deadline - session.warningAt)}
          ，请抓紧时间检查答案。考试时间到时系统将自动提交试卷。
        </div>
      ) : null}
      {notice ? (
        <div class="banner banner-info" data-testid="notice">
          {notice}
          <button class="btn btn-link" type="button" onClick={() => setNoticeHidden(session.notice)}>
            知道了
          </button>
        </div>
      ) : null}

      {practical ? (
        <PracticalLoader session={session} index={index} onGo={go} />
      ) : (
        <div class="exam-body">
          <aside class="exam-nav">
            <Navigator groups={session.groups} current={index} answered={(id) => session.answered(id)} onGo={go} />
          </aside>
          <main class="exam-pane" ref={paneRef}>
            {item ? (
              <div class="card question-card">
                <QuestionView
                  key={item.question.id}
                  item={item}
                  answer={session.answer(item.question.id)}
                  disabled={!session.answerable}
                  onAnswer={(a) => session.setAnswer(item.question.id, a)}
                />
                <div class="question-nav">
                  <button
                    class="btn"
                    type="button"
                    disabled={item.index === 0}
                    onClick={() => go(item.index - 1)}
                    data-testid="prev-button"
                  >
                    上一题
                  </button>
                  <span class="muted">
                    {item.number} / {ordered.length}
                  </span>
                  <button
                    class="btn btn-primary"
                    type="button"
                    disabled={item.index >= ordered.length - 1}
                    onClick={() => go(item.index + 1)}
                    data-testid="next-button"
                  >
                    下一题
                  </button>
                </div>
              </div>
            ) : (
              <div class="card">本场考试没有需要在此页面作答的试题，请联系监考人员。</div>
            )}
          </main>
        </div>
      )}

      {confirm ? (
        <ConfirmDialog
          title="确认交卷"
          confirmText="确认交卷"
          busy={session.submitting}
          error={confirm.error}
          onConfirm={doHandIn}
          onCancel={() => setConfirm(null)}
        >
          {unanswered > 0 ? (
            <p>
              您还有 <b class="text-danger" data-testid="unanswered-count">{unanswered}</b> 道题未作答。
            </p>
          ) : (
            <p>
              您已完成全部 <b data-testid="unanswered-count" data-value="0">{ordered.length}</b> 道题。
            </p>
          )}
          <p>交卷后将不能再修改答案，确定要交卷吗？</p>
        </ConfirmDialog>
      ) : null}

      {session.needFullscreen && !session.ended ? (
        <div class="overlay" data-testid="fullscreen-overlay">
          <div class="overlay-box">
            <h2>{session.fullscreenMessage ? '请返回全屏' : '本场考试须全屏作答'}</h2>
            {session.fullscreenMessage ? (
              <div class="alert alert-error" role="alert" data-testid="fullscreen-warning">
                {session.fullscreenMessage}
              </div>
            ) : null}
            <p class="muted">
              考试期间请保持全屏，不要按 Esc 键或退出全屏。
              {data.rules.fullscreenWarnings > 0
                ? '离开全屏超过 ' + data.rules.fullscreenWarnings + ' 次，试卷将按规定自动提交。'
                : '离开全屏，试卷将按规定自动提交。'}
            </p>
            <button
              class="btn btn-primary btn-large"
              type="button"
              onClick={() => void session.enterFullscreen()}
              data-testid="enter-fullscreen"
            >
              {session.fullscreenMessage ? '返回全屏继续答题' : '进入全屏开始答题'}
            </button>
            {session.fullscreenError ? (
              <div class="alert alert-error" role="alert" data-testid="fullscreen-error">
                {session.fullscreenError}
              </div>
            ) : null}
          </div>
        </div>
      ) : null}

      {session.currentMessage && !session.ended ? (
        <ProctorMessageDialog
          message={session.currentMessage}
          waiting={session.messages.waiting}
          onDismiss={(id) => session.dismissMessage(id)}
        />
      ) : null}

      {session.locked && !session.ended ? (
        <div class="overlay" data-testid="time-over-saving">
          <div class="overlay-box">
            <h2>考试时间到</h2>
            <p>正在保存最后的答案，请稍候…</p>
          </div>
        </div>
      ) : null}
    </div>
  );
}
