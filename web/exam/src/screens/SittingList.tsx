import { formatRange, PAPER_NAMES } from '../format';
import { enterable } from '../session';
import { clock } from '../services';
import type { CandidateInfo, SittingState, SittingSummary } from '../types';
import { CandidateBar } from './CandidateBar';

const STATE_NAMES: Record<SittingState, string> = {
  upcoming: '未到登录时间',
  waiting: '候考中',
  open: '考试进行中',
  submitted: '已交卷',
  closed: '已结束',
};

/**
 * `closed` is also a sitting still running that this candidate may no longer
 * enter (more than the late-entry limit after the start): a late candidate is
 * told that entry has closed, not that the exam is over.
 */
function entryClosedWhileRunning(s: SittingSummary, now: number): boolean {
  return s.state === 'closed' && now < Date.parse(s.endsAt);
}

function stateName(s: SittingSummary, now: number): string {
  return entryClosedWhileRunning(s, now) ? '入场已截止' : STATE_NAMES[s.state] || s.state;
}

export function SittingListScreen(props: {
  candidate: CandidateInfo;
  sittings: SittingSummary[];
  message?: string | null;
  onEnter(s: SittingSummary): void;
  onLogout(): void;
}) {
  const list = props.sittings.slice().sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
  const now = clock.now();
  return (
    <div class="page">
      <CandidateBar candidate={props.candidate} onLogout={props.onLogout} />
      <div class="container">
        <h2 class="section-title">我的考试场次</h2>
        {props.message ? (
          <div class="alert alert-error" role="alert" data-testid="list-message">
            {props.message}
          </div>
        ) : null}
        {list.length === 0 ? (
          <div class="alert alert-warn" data-testid="no-sittings">
            您没有需要参加的考试场次。如有疑问，请联系监考人员。
          </div>
        ) : !list.some(enterable) ? (
          <div class="alert alert-warn" data-testid="no-sittings">
            {list.some((s) => entryClosedWhileRunning(s, now))
              ? '已超过开考后允许入场的时间，您不能再进入考试。如有疑问，请联系监考人员。'
              : '您的考试场次均已结束或已交卷，当前没有可以进入的考试。'}
          </div>
        ) : null}
        <ul class="sitting-list" data-testid="sitting-list">
          {list.map((s) => (
            <li class="card sitting" key={s.id} data-testid={'sitting-' + s.id} data-state={s.state}>
              <div class="sitting-main">
                <div class="sitting-name">
                  {s.name}
                  <span class="tag">{PAPER_NAMES[s.paper] || s.paper}</span>
                </div>
                <div class="muted">{formatRange(s.startsAt, s.endsAt)}（北京时间）</div>
              </div>
              <div class="sitting-side">
                <span class={'state state-' + s.state} data-testid={'state-' + s.id}>
                  {stateName(s, now)}
                </span>
                <button
                  class="btn btn-primary"
                  type="button"
                  disabled={!enterable(s)}
                  onClick={() => props.onEnter(s)}
                  data-testid={'enter-' + s.id}
                >
                  {s.state === 'open' ? '进入考试' : enterable(s) ? '进入候考' : '不能进入'}
                </button>
              </div>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
