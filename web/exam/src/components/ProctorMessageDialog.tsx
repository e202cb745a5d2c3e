import { formatClock } from '../format';
import { messageTitle } from '../messages';
import type { ProctorMessage } from '../types';

/**
 * A proctor's message (监考员广播 / 5 分钟提醒 / 监考员警告), shown over the paper
 * until the candidate clicks 知道了; then the next one, if any.
 */
export function ProctorMessageDialog(props: { message: ProctorMessage; waiting: number; onDismiss(id: string): void }) {
  const m = props.message;
  return (
    <div class="modal-mask message-mask" role="alertdialog" aria-modal="true" data-testid="proctor-message" data-kind={m.kind} data-message-id={m.id}>
      <div class={'modal message message-' + m.kind}>
        <h3 class="modal-title message-title" data-testid="proctor-message-title">
          <span class="message-badge">{m.kind === 'warning' ? '!' : 'i'}</span>
          {messageTitle(m.kind)}
        </h3>
        <div class="message-text" data-testid="proctor-message-text">
          {m.text}
        </div>
        <div class="muted small message-time">{formatClock(m.at)}（北京时间）</div>
        <div class="modal-actions">
          {props.waiting > 1 ? <span class="muted small message-more">还有 {props.waiting - 1} 条消息</span> : null}
          <button class="btn btn-primary" type="button" onClick={() => props.onDismiss(m.id)} data-testid="proctor-message-ok">
            知道了
          </button>
        </div>
      </div>
    </div>
  );
}
