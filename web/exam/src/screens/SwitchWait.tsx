import { useEffect, useState } from 'preact/hooks';
import { formatCountdown } from '../format';
import { LogoutButton } from '../components/LogoutButton';
import { SittingInfoTable } from '../components/SittingInfoTable';
import type { CandidateInfo } from '../types';

/**
 * 换机: this computer asked to continue an attempt another computer holds
 * (409 SWITCH_PENDING). The app asks again every 2 s and opens the paper, with
 * every saved answer, as soon as a proctor approves.
 */
export function SwitchWaitScreen(props: {
  candidate: CandidateInfo | null;
  sittingName?: string;
  /** local ms (Date.now()) when the wait began */
  since: number;
  onLogout?: () => void;
}) {
  const c = props.candidate;
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return (
    <div class="page page-center">
      <div class="card notice switch-wait" data-testid="switch-wait">
        <div class="result-icon is-wait">
          <span class="spinner" />
        </div>
        <h1 class="result-title">等待监考员确认</h1>
        <p class="result-message" data-testid="switch-wait-message">
          已向监考员申请换机，请等待监考员确认
        </p>
        <SittingInfoTable sittingName={props.sittingName} candidate={c}>
          <tr>
            <th>已等待</th>
            <td data-testid="switch-wait-elapsed">{formatCountdown(Math.max(0, now - props.since))}</td>
          </tr>
        </SittingInfoTable>
        <p class="muted">
          您的考试已在另一台计算机上开始。监考员确认后，本机将自动进入考试，并恢复您已保存的全部答案。请不要关闭本页面，如有疑问请举手联系监考员。
        </p>
        {props.onLogout ? (
          <div class="result-actions">
            <LogoutButton onLogout={props.onLogout} />
          </div>
        ) : null}
      </div>
    </div>
  );
}
