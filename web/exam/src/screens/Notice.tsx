import type { ComponentChildren } from 'preact';

/** A full-page message: entry closed, sitting ended, not found, network down… */
export function NoticeScreen(props: {
  title: string;
  message: string;
  code?: string;
  tone?: 'error' | 'info';
  children?: ComponentChildren;
}) {
  return (
    <div class="page page-center">
      <div class="card notice" data-testid="notice-screen" data-code={props.code || ''}>
        <div class={'result-icon ' + (props.tone === 'info' ? '' : 'is-error')}>{props.tone === 'info' ? 'i' : '×'}</div>
        <h1 class="result-title">{props.title}</h1>
        <p class="result-message" data-testid="notice-message">
          {props.message}
        </p>
        <div class="result-actions">{props.children}</div>
      </div>
    </div>
  );
}
