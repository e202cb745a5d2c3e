// Answer area of a case analysis (案例分析题): a large text box with a
// character count; saved through the autosave queue after a pause in typing.

import { useEffect, useRef, useState } from 'preact/hooks';
import type { AttemptSession } from '../attempt';
import { MAX_CASE_CHARS } from '../practical';
import { textOf } from '../tasks';
import type { Question } from '../types';

const SAVE_DEBOUNCE_MS = 500;

export function CaseWork(props: { session: AttemptSession; question: Question }) {
  const { session, question } = props;
  const qid = question.id;
  const [text, setText] = useState(() => textOf(session.answer(qid)));
  const latest = useRef(text);
  const saved = useRef(text);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const saveNow = () => {
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = null;
    if (latest.current === saved.current || !session.answerable) return;
    saved.current = latest.current;
    session.setAnswer(qid, { text: latest.current });
  };

  useEffect(() => {
    const off = session.registerFlusher(saveNow);
    return () => {
      off();
      saveNow();
    };
  }, []);

  const onInput = (e: Event) => {
    const v = (e.currentTarget as HTMLTextAreaElement).value.slice(0, MAX_CASE_CHARS);
    latest.current = v;
    setText(v);
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = setTimeout(saveNow, SAVE_DEBOUNCE_MS);
  };

  const count = text.length;
  const near = count >= MAX_CASE_CHARS * 0.95;
  return (
    <div class="case-work">
      <label class="case-label" for={'case-' + qid}>
        请在下面作答（答案自动保存）：
      </label>
      <textarea
        id={'case-' + qid}
        class="case-text"
        data-testid="case-text"
        value={text}
        maxLength={MAX_CASE_CHARS}
        disabled={!session.answerable}
        onInput={onInput}
        onBlur={saveNow}
        spellcheck={false}
        placeholder="在此输入您的分析…"
      />
      <div class={'case-count' + (near ? ' text-danger' : ' muted')} data-testid="case-count" data-count={count}>
        已输入 {count} 字 / 上限 {MAX_CASE_CHARS} 字
      </div>
    </div>
  );
}
