import { levelName } from '../format';
import type { CandidateInfo } from '../types';

/** A thin bar with who is logged in, for the screens outside the paper. */
export function CandidateBar(props: { candidate: CandidateInfo; onLogout?: () => void }) {
  const c = props.candidate;
  return (
    <div class="topbar">
      <span class="topbar-title">考试系统 · 考生端</span>
      <span class="topbar-right">
        <span class="topbar-item">
          考生：<b data-testid="candidate-name">{c.name}</b>
        </span>
        <span class="topbar-item">准考证号：{c.ticketNo}</span>
        {c.level ? <span class="topbar-item">等级：{levelName(c.level)}</span> : null}
        {props.onLogout ? (
          <button class="btn btn-link" type="button" onClick={props.onLogout} data-testid="logout">
            退出登录
          </button>
        ) : null}
      </span>
    </div>
  );
}
