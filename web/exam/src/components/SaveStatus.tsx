import type { SaveState } from '../autosave';

export function SaveStatus(props: { state: SaveState; pending: number }) {
  const { state, pending } = props;
  let text: string;
  if (state === 'saved') text = '已保存';
  else if (state === 'saving') text = '保存中…';
  else text = '未保存（网络断开，答案已暂存在本机）';
  return (
    <div
      class={'save-status save-' + state}
      data-testid="save-status"
      data-state={state}
      data-pending={String(pending)}
      role="status"
      aria-live="polite"
    >
      <span class="save-dot" />
      <span class="save-text">{text}</span>
      {pending > 0 ? <span class="save-count">{pending} 题待上传</span> : null}
    </div>
  );
}
