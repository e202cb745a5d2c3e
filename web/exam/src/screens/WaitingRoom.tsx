import { useEffect, useRef } from 'preact/hooks';
import { parseTime } from '../clock';
import { formatCountdown, formatDateTime, levelName, PAPER_NAMES } from '../format';
import { useServerNow } from '../hooks';
import { clock, syncClock } from '../services';
import type { CandidateInfo, SittingSummary } from '../types';

/**
 * Shown while the sitting has not started (409 NOT_STARTED). At the start time
 * (server clock) it asks to enter again, after a random 0–3 s so that
 * thousands of clients do not all call at the same millisecond.
 */
export function WaitingRoom(props: {
  candidate: CandidateInfo;
  sitting: SittingSummary | null;
  startsAt: string;
  /** bumps each time the server answered NOT_STARTED again */
  round: number;
  message?: string | null;
  onStart(): void;
  onBack?: () => void;
}) {
  const now = useServerNow(clock);
  const startsAt = parseTime(props.startsAt);
  const left = startsAt - now;
  const fired = useRef(false);
  const onStart = useRef(props.onStart);
  onStart.current = props.onStart;

  // Keep the clock honest while waiting.
  useEffect(() => {
    const t = setInterval(() => void syncClock(), 60_000);
    return () => clearInterval(t);
  }, []);

  // Schedule the entry at the start time plus jitter.
  useEffect(() => {
    fired.current = false;
    let t: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      const wait = parseTime(props.startsAt) - clock.now();
      if (wait > 1000) {
        // Re-check later: the clock may be re-synced meanwhile.
        t = setTimeout(arm, Math.min(wait - 500, 30_000));
        return;
      }
      const jitter = Math.random() * 3000;
      // At least one second after a previous NOT_STARTED.
      const delay = Math.max(wait, 0) + jitter + (props.round > 0 ? 1000 : 0);
      t = setTimeout(() => {
        if (!fired.current) {
          fired.current = true;
          onStart.current();
        }
      }, delay);
    };
    arm();
    return () => {
      if (t) clearTimeout(t);
    };
  }, [props.startsAt, props.round]);

  const c = props.candidate;
  const s = props.sitting;
  return (
    <div class="page page-center">
      <div class="card waiting" data-testid="waiting-room">
        <h1 class="waiting-title">候考中</h1>
        <p class="muted">{s ? s.name : '考试'}</p>
        <table class="info-table">
          <tbody>
            <tr>
              <th>考生姓名</th>
              <td data-testid="candidate-name">{c.name}</td>
            </tr>
            <tr>
              <th>准考证号</th>
              <td>{c.ticketNo}</td>
            </tr>
            {c.level ? (
              <tr>
                <th>报考等级</th>
                <td>{levelName(c.level)}</td>
              </tr>
            ) : null}
            {s ? (
              <tr>
                <th>试卷</th>
                <td>{PAPER_NAMES[s.paper] || s.paper}</td>
              </tr>
            ) : null}
            <tr>
              <th>开考时间</th>
              <td>{formatDateTime(props.startsAt)}（北京时间）</td>
            </tr>
          </tbody>
        </table>
        <div class="waiting-count">
          <div class="muted">距离开考还有</div>
          <div class="countdown-big" data-testid="start-countdown">
            {formatCountdown(left)}
          </div>
        </div>
        <p class="waiting-note">
          {left > 0 ? '考试开始后将自动进入答题界面，请勿关闭或刷新本页面。' : '考试已开始，正在进入答题界面…'}
        </p>
        {props.message ? <div class="alert alert-error">{props.message}</div> : null}
        {props.onBack ? (
          <button class="btn btn-link" type="button" onClick={props.onBack}>
            返回场次列表
          </button>
        ) : null}
      </div>
    </div>
  );
}
