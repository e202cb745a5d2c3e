import { CHECK_VERDICT_NAMES } from '../format';
import type { RunResult } from '../types';

export type RunView =
  | { state: 'idle' }
  | { state: 'running' }
  | { state: 'done'; result: RunResult; at: number }
  | { state: 'rate-limited'; message: string; until: number }
  | { state: 'grader-unavailable'; message: string }
  | { state: 'error'; message: string };

/** What 运行样例 returned: a verdict per sample with its message, output and time. */
export function RunResults(props: { view: RunView; waitLeft: number }) {
  const { view } = props;
  if (view.state === 'idle') {
    return (
      <div class="run-result muted" data-testid="run-result" data-state="idle">
        还没有运行。点击“运行样例”，用当前代码运行题目中的样例。
      </div>
    );
  }
  if (view.state === 'running') {
    return (
      <div class="run-result" data-testid="run-result" data-state="running" aria-busy="true">
        <span class="spinner" /> 正在运行样例，请稍候…
      </div>
    );
  }
  if (view.state === 'rate-limited') {
    return (
      <div class="run-result" data-testid="run-result" data-state="rate-limited">
        <div class="alert alert-warn" role="alert">
          运行太频繁，请{props.waitLeft > 0 ? <b> {props.waitLeft} </b> : ''}
          {props.waitLeft > 0 ? '秒后再试。' : '现在可以再试。'}
        </div>
      </div>
    );
  }
  if (view.state === 'grader-unavailable' || view.state === 'error') {
    return (
      <div class="run-result" data-testid="run-result" data-state={view.state}>
        <div class={'alert ' + (view.state === 'grader-unavailable' ? 'alert-warn' : 'alert-error')} role="alert">
          {view.message}
        </div>
      </div>
    );
  }
  const r = view.result;
  const checks = r.checks || [];
  const passed = checks.filter((c) => c.verdict === 'passed').length;
  return (
    <div class="run-result" data-testid="run-result" data-state="done" data-passed={passed} data-total={checks.length}>
      <div class={'run-summary' + (passed === checks.length ? ' is-passed' : ' is-failed')}>
        样例通过 <b>{passed}</b> / {checks.length}
        <span class="muted small">　（仅运行题目给出的样例，不代表最终得分）</span>
      </div>
      {checks.map((c) => (
        <div class={'sample-result verdict-' + c.verdict} key={c.id} data-testid={'sample-result-' + c.id} data-verdict={c.verdict}>
          <div class="sample-result-head">
            <span class={'verdict verdict-' + c.verdict}>{CHECK_VERDICT_NAMES[c.verdict] || c.verdict}</span>
            <span class="sample-result-name">{c.name}</span>
            <span class="muted small">用时 {Math.round(c.timeMs)} ms</span>
          </div>
          {c.message && !(c.verdict === 'passed' && c.message === '通过') ? <div class="sample-result-msg">{c.message}</div> : null}
          {c.stderr ? (
            <div class="sample-stderr">
              <div class="sample-label">错误信息</div>
              <pre class="code-block is-error">{c.stderr}</pre>
            </div>
          ) : null}
          {c.stdout ? (
            <details class="sample-stdout">
              <summary class="sample-label">程序输出（{c.stdout.replace(/\n$/, '').split('\n').length} 行）</summary>
              <pre class="code-block">{c.stdout}</pre>
            </details>
          ) : null}
        </div>
      ))}
    </div>
  );
}
