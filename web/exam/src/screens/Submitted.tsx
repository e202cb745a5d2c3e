import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import type { EndInfo, EndReason } from '../attempt';
import { formatDateTime } from '../format';
import { api, clock } from '../services';
import { LogoutButton } from '../components/LogoutButton';
import { SittingInfoTable } from '../components/SittingInfoTable';
import type { CandidateInfo } from '../types';

const MESSAGES: Record<EndReason, string> = {
  'handed-in': '您已成功交卷。',
  'time-over': '考试时间到，试卷已由系统自动提交',
  fullscreen: '您离开了全屏，按考试规定试卷已提交',
  'already-submitted': '您已交卷，不能再次进入本场考试。',
  remote: '您的试卷已提交。',
  proctor: '监考员已为您交卷',
  disqualified: '您已被取消本场考试资格',
  replaced: '本场考试已在另一台计算机上继续作答，本机已停止作答',
};

/**
 * "已交卷". When the submission time is not known yet (time over, full-screen
 * exit) it polls the attempt status until the server confirms it.
 */
export function SubmittedScreen(props: {
  info: EndInfo;
  attemptId?: string;
  candidate?: CandidateInfo | null;
  sittingName?: string;
  onBack?: () => void;
  onLogout?: () => void;
}) {
  const [submittedAt, setSubmittedAt] = useState<string | undefined>(props.info.submittedAt);
  const [checking, setChecking] = useState(!props.info.submittedAt && !!props.attemptId);

  useEffect(() => {
    if (submittedAt || !props.attemptId) return;
    let stop = false;
    let tries = 0;
    let t: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      tries++;
      try {
        const r = await api.status(props.attemptId as string);
        clock.sync(r.sentAt, r.receivedAt, r.data.serverNow);
        if (stop) return;
        if (r.data.state === 'submitted') {
          setSubmittedAt(r.data.submittedAt || r.data.serverNow);
          setChecking(false);
          return;
        }
      } catch (e) {
        if (stop) return;
        if (e instanceof ApiError && e.status === 401) {
          setChecking(false);
          return;
        }
      }
      if (tries < 60) t = setTimeout(poll, tries < 6 ? 2000 : 5000);
      else setChecking(false);
    };
    t = setTimeout(poll, 300);
    return () => {
      stop = true;
      if (t) clearTimeout(t);
    };
  }, [props.attemptId]);

  const c = props.candidate;
  const reason = props.info.reason;
  const disqualified = reason === 'disqualified';
  const icon = disqualified ? ' is-error' : reason === 'fullscreen' || reason === 'proctor' ? ' is-warn' : '';
  return (
    <div class="page page-center">
      <div class="card result" data-testid="submitted" data-reason={reason}>
        <div class={'result-icon' + icon}>{icon ? '!' : '✓'}</div>
        <h1 class="result-title">{disqualified ? '取消考试资格' : '已交卷'}</h1>
        <p class="result-message" data-testid="submitted-message">
          {MESSAGES[reason]}
        </p>
        {props.info.note ? (
          <div class={'alert ' + (disqualified ? 'alert-error' : 'alert-warn')} data-testid="submitted-note">
            原因：{props.info.note}
          </div>
        ) : null}
        <SittingInfoTable sittingName={props.sittingName} candidate={c}>
          <tr>
            <th>提交时间</th>
            <td data-testid="submitted-at">
              {submittedAt ? formatDateTime(submittedAt) + '（北京时间）' : checking ? '正在确认提交状态…' : '—'}
            </td>
          </tr>
        </SittingInfoTable>
        {props.info.unsaved ? (
          <div class="alert alert-warn" data-testid="unsaved-warning">
            有 {props.info.unsaved} 道题的最后修改未能上传到服务器（已暂存在本机），请举手告知监考人员。
          </div>
        ) : null}
        <p class="muted">请按监考人员的指示离开考场，或等待下一场考试。</p>
        <div class="result-actions">
          {props.onBack ? (
            <button class="btn btn-primary" type="button" onClick={props.onBack} data-testid="back-to-list">
              返回场次列表
            </button>
          ) : null}
          {props.onLogout ? <LogoutButton onLogout={props.onLogout} /> : null}
        </div>
      </div>
    </div>
  );
}
