// The practical paper (实操): the task bar and the current task, the statement
// on the left and the answer area on the right. Loaded on demand by the Paper
// screen (its own chunk), so the theory paper never downloads it.

import type { AttemptSession } from '../attempt';
import { QuestionView } from '../components/QuestionView';
import { formatSize, TYPE_NAMES } from '../format';
import type { NumberedQuestion } from '../paper';
import type { Task } from '../types';
import { CaseWork } from './CaseWork';
import { CodeWork, preloadEditor } from './CodeWork';
import { UploadWork } from './UploadWork';
import './practical.css';

export { preloadEditor };

export function PracticalPane(props: { session: AttemptSession; index: number; onGo(index: number): void }) {
  const { session } = props;
  const ordered = session.ordered;
  const item = ordered[Math.min(props.index, ordered.length - 1)];
  return (
    <div class="practical">
      <TaskBar session={session} current={item ? item.index : -1} onGo={props.onGo} />
      {item ? (
        item.question.task ? (
          <TaskView key={item.question.id} session={session} item={item} task={item.question.task} />
        ) : (
          <div class="practical-plain">
            <div class="card question-card">
              <QuestionView
                key={item.question.id}
                item={item}
                answer={session.answer(item.question.id)}
                disabled={!session.answerable}
                onAnswer={(a) => session.setAnswer(item.question.id, a)}
              />
            </div>
          </div>
        )
      ) : (
        <div class="practical-plain">
          <div class="card">本场考试没有需要在此页面作答的试题，请联系监考人员。</div>
        </div>
      )}
    </div>
  );
}

function TaskBar(props: { session: AttemptSession; current: number; onGo(index: number): void }) {
  const { session } = props;
  let answered = 0;
  const items = session.ordered.map((item) => {
    const q = item.question;
    const done = session.answered(q.id);
    if (done) answered++;
    const cur = item.index === props.current;
    const title = q.task ? q.task.title : q.stem;
    const type = TYPE_NAMES[q.type] || '试题';
    return (
      <button
        type="button"
        key={q.id}
        class={'task-tab' + (done ? ' is-answered' : '') + (cur ? ' is-current' : '')}
        data-testid={'nav-' + item.number}
        data-question-id={q.id}
        data-answered={done ? 'true' : 'false'}
        data-current={cur ? 'true' : 'false'}
        aria-current={cur ? 'step' : undefined}
        title={'第 ' + item.number + ' 题 ' + type + '（' + q.points + ' 分）' + title + (done ? '（已作答）' : '（未作答）')}
        onClick={() => props.onGo(item.index)}
      >
        <span class="task-tab-no">{item.number}</span>
        <span class="task-tab-text">
          <span class="task-tab-title">{title}</span>
          <span class="task-tab-meta">
            {type} · {q.points} 分{done ? ' · 已作答' : ''}
          </span>
        </span>
      </button>
    );
  });
  return (
    <nav class="task-bar" data-testid="navigator">
      <div class="task-bar-summary">
        已作答
        <br />
        <b data-testid="answered-count">{answered}</b> / {session.ordered.length} 题
      </div>
      <div class="task-bar-items">{items}</div>
    </nav>
  );
}

function TaskView(props: { session: AttemptSession; item: NumberedQuestion; task: Task }) {
  const { session, item, task } = props;
  const q = item.question;
  let work;
  if (task.type === 'code' || task.type === 'webpage') work = <CodeWork session={session} question={q} task={task} />;
  else if (task.type === 'case') work = <CaseWork session={session} question={q} />;
  else if (task.type === 'upload') work = <UploadWork session={session} question={q} task={task} />;
  else work = <p class="alert alert-warn">此题型不能在本页面作答，请联系监考人员。</p>;
  return (
    <div class={'task task-' + task.type} data-testid="question" data-question-id={q.id} data-type={q.type} data-number={item.number}>
      <section class="task-info" aria-label="题目">
        <header class="task-head">
          <span class="question-no">第 {item.number} 题</span>
          <span class="tag">{TYPE_NAMES[task.type] || task.type}</span>
          <span class="muted">（{q.points} 分）</span>
        </header>
        <h2 class="task-title" data-testid="task-title">
          {task.title}
        </h2>
        <div
          class="task-statement"
          data-testid="task-statement"
          // Rendered on the server from the bank's Markdown, raw HTML escaped there.
          dangerouslySetInnerHTML={{ __html: task.statementHtml }}
          onClick={(e) => {
            // A link in a statement must not take the exam page away.
            let el = e.target as HTMLElement | null;
            while (el && el !== e.currentTarget && el.nodeName !== 'A') el = el.parentElement;
            if (el && el.nodeName === 'A') e.preventDefault();
          }}
        />
        {task.data && task.data.length ? <DataFiles task={task} /> : null}
        {task.samples && task.samples.length ? <Samples task={task} /> : null}
      </section>
      <section class="task-work" aria-label="作答区">
        {work}
      </section>
    </div>
  );
}

function DataFiles(props: { task: Task }) {
  const files = props.task.data;
  return (
    <details class="task-section task-data" data-testid="task-data" open={files.length <= 2}>
      <summary class="task-section-title">
        数据文件（{files.length} 个，只读，位于程序的工作目录中）
      </summary>
      {files.map((f) => (
        <details class="data-file" key={f.path} data-testid={'data-file-' + f.path}>
          <summary>
            <code>{f.path}</code> <span class="muted small">{formatSize(f.size)}</span>
          </summary>
          {f.text !== undefined ? (
            <pre class="code-block data-text">{f.text}</pre>
          ) : (
            <p class="muted small">文件较大，不在此显示；程序运行时可以读取它。</p>
          )}
        </details>
      ))}
    </details>
  );
}

function Samples(props: { task: Task }) {
  const { task } = props;
  return (
    <div class="task-section task-samples">
      <div class="task-section-title">
        样例（{task.samples.length} 个）
        {task.runnable ? <span class="muted small">　点击右侧“运行样例”可用您的代码运行这些样例</span> : null}
      </div>
      {task.samples.map((s) => (
        <div class="sample" key={s.id} data-testid={'task-sample-' + s.id}>
          <div class="sample-name">{s.name}</div>
          {s.description ? <p class="sample-desc">{s.description}</p> : null}
          {s.stdin !== undefined || s.stdout !== undefined ? (
            <div class="sample-io">
              <div class="sample-col">
                <div class="sample-label">输入</div>
                <pre class="code-block">{s.stdin ? s.stdin : <span class="muted">（无输入）</span>}</pre>
              </div>
              <div class="sample-col">
                <div class="sample-label">期望输出</div>
                <pre class="code-block">{s.stdout ? s.stdout : <span class="muted">（无输出）</span>}</pre>
              </div>
            </div>
          ) : null}
        </div>
      ))}
    </div>
  );
}
