import { optionLabel, TYPE_NAMES } from '../format';
import { toggleOption, type NumberedQuestion } from '../paper';
import type { Answer } from '../types';

export function QuestionView(props: {
  item: NumberedQuestion;
  answer: Answer;
  disabled: boolean;
  onAnswer(answer: Answer): void;
}) {
  const { question: q, number } = props.item;
  const name = 'q-' + q.id;
  // Options of a question about code are usually code or output: monospace.
  const textClass = 'option-text' + (q.code ? ' is-code' : '');
  let body;
  if (q.type === 'single') {
    body = (
      <div class="options" role="radiogroup">
        {q.options.map((o, i) => {
          const label = optionLabel(i);
          const checked = props.answer === o.id;
          return (
            <label class={'option' + (checked ? ' is-checked' : '')} key={o.id}>
              <input
                type="radio"
                name={name}
                value={o.id}
                checked={checked}
                disabled={props.disabled}
                data-testid={'option-' + label}
                data-option-id={o.id}
                onChange={() => props.onAnswer(o.id)}
              />
              <span class="option-label">{label}.</span>
              <span class={textClass}>{o.text}</span>
            </label>
          );
        })}
      </div>
    );
  } else if (q.type === 'multiple') {
    const chosen = Array.isArray(props.answer) ? props.answer : [];
    body = (
      <div class="options">
        {q.options.map((o, i) => {
          const label = optionLabel(i);
          const checked = chosen.indexOf(o.id) >= 0;
          return (
            <label class={'option' + (checked ? ' is-checked' : '')} key={o.id}>
              <input
                type="checkbox"
                name={name}
                value={o.id}
                checked={checked}
                disabled={props.disabled}
                data-testid={'option-' + label}
                data-option-id={o.id}
                onChange={(e) =>
                  props.onAnswer(toggleOption(q, props.answer, o.id, (e.currentTarget as HTMLInputElement).checked))
                }
              />
              <span class="option-label">{label}.</span>
              <span class={textClass}>{o.text}</span>
            </label>
          );
        })}
        <p class="hint muted">多选题：请选择所有正确的选项。</p>
      </div>
    );
  } else if (q.type === 'truefalse') {
    body = (
      <div class="options options-tf" role="radiogroup">
        {[true, false].map((v) => {
          const checked = props.answer === v;
          return (
            <label class={'option option-tf' + (checked ? ' is-checked' : '')} key={String(v)}>
              <input
                type="radio"
                name={name}
                value={String(v)}
                checked={checked}
                disabled={props.disabled}
                data-testid={'truefalse-' + String(v)}
                onChange={() => props.onAnswer(v)}
              />
              <span class="option-text">{v ? '正确' : '错误'}</span>
            </label>
          );
        })}
      </div>
    );
  } else {
    body = <p class="alert alert-warn">此题型不能在本页面作答，请联系监考人员。</p>;
  }

  return (
    <article class="question" data-testid="question" data-question-id={q.id} data-type={q.type} data-number={number}>
      <header class="question-head">
        <span class="question-no">第 {number} 题</span>
        <span class="tag">{TYPE_NAMES[q.type] || q.type}</span>
        <span class="muted">（{q.points} 分）</span>
      </header>
      <div class="question-stem" data-testid="question-stem">
        {q.stem}
      </div>
      {q.code ? (
        <pre class="question-code" data-testid="question-code">
          <code>{q.code}</code>
        </pre>
      ) : null}
      {body}
    </article>
  );
}
