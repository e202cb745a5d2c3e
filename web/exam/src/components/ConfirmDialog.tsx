import type { ComponentChildren } from 'preact';

export function ConfirmDialog(props: {
  title: string;
  children: ComponentChildren;
  confirmText: string;
  busy?: boolean;
  error?: string | null;
  onConfirm(): void;
  onCancel(): void;
}) {
  return (
    <div class="modal-mask" role="dialog" aria-modal="true" data-testid="confirm-dialog">
      <div class="modal">
        <h3 class="modal-title">{props.title}</h3>
        <div class="modal-body">{props.children}</div>
        {props.error ? (
          <div class="alert alert-error" role="alert" data-testid="confirm-error">
            {props.error}
          </div>
        ) : null}
        <div class="modal-actions">
          <button class="btn" type="button" onClick={props.onCancel} disabled={props.busy} data-testid="cancel-button">
            取消
          </button>
          <button
            class="btn btn-danger"
            type="button"
            onClick={props.onConfirm}
            disabled={props.busy}
            data-testid="confirm-button"
          >
            {props.busy ? '正在提交…' : props.confirmText}
          </button>
        </div>
      </div>
    </div>
  );
}
