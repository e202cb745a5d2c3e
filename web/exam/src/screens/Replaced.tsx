import { LogoutButton } from '../components/LogoutButton';
import { SittingInfoTable } from '../components/SittingInfoTable';
import type { CandidateInfo } from '../types';

/**
 * 换机 approved for another computer (409 CLIENT_REPLACED): this one stops.
 * Changes it could not upload are set aside in its local storage; nothing more is sent.
 */
export function ReplacedScreen(props: {
  candidate: CandidateInfo | null;
  sittingName?: string;
  /** changes this machine could not upload */
  unsaved?: number;
  onLogout?: () => void;
}) {
  const c = props.candidate;
  return (
    <div class="page page-center">
      <div class="card notice locked" data-testid="client-replaced">
        <div class="result-icon is-error">⊘</div>
        <h1 class="result-title">本机已停止作答</h1>
        <p class="result-message" data-testid="client-replaced-message">
          本场考试已在另一台计算机上继续作答，本机已停止作答
        </p>
        <SittingInfoTable sittingName={props.sittingName} candidate={c} />
        {props.unsaved ? (
          <div class="alert alert-warn" data-testid="unsaved-warning">
            本机有 {props.unsaved} 道题的修改没有上传到服务器，已另行保存在本机，不会上传，也不会覆盖在另一台计算机上的作答。如需处理，请举手告知监考员。
          </div>
        ) : null}
        <p class="muted">监考员已同意在另一台计算机上继续本场考试。请按监考员的指示操作。</p>
        {props.onLogout ? (
          <div class="result-actions">
            <LogoutButton onLogout={props.onLogout} />
          </div>
        ) : null}
      </div>
    </div>
  );
}
