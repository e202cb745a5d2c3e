import type { QuestionGroup } from '../paper';

export function Navigator(props: {
  groups: QuestionGroup[];
  current: number;
  answered(questionId: string): boolean;
  onGo(index: number): void;
}) {
  let answered = 0;
  let total = 0;
  const body = props.groups.map((g) => (
    <div class="nav-group" key={g.type}>
      <div class="nav-group-title">
        {g.title}
        <span class="muted">
          （{g.items.length} 题，{g.points} 分）
        </span>
      </div>
      <div class="nav-grid">
        {g.items.map((item) => {
          const done = props.answered(item.question.id);
          const cur = item.index === props.current;
          total++;
          if (done) answered++;
          return (
            <button
              type="button"
              key={item.question.id}
              class={'nav-item' + (done ? ' is-answered' : '') + (cur ? ' is-current' : '')}
              data-testid={'nav-' + item.number}
              data-question-id={item.question.id}
              data-answered={done ? 'true' : 'false'}
              data-current={cur ? 'true' : 'false'}
              aria-current={cur ? 'step' : undefined}
              title={'第 ' + item.number + ' 题' + (done ? '（已答）' : '（未答）')}
              onClick={() => props.onGo(item.index)}
            >
              {item.number}
            </button>
          );
        })}
      </div>
    </div>
  ));
  return (
    <nav class="navigator" data-testid="navigator">
      <div class="nav-summary">
        已答 <b data-testid="answered-count">{answered}</b> / {total} 题
      </div>
      {body}
      <div class="nav-legend muted">
        <span class="legend-item">
          <i class="legend-box is-answered" />
          已答
        </span>
        <span class="legend-item">
          <i class="legend-box" />
          未答
        </span>
        <span class="legend-item">
          <i class="legend-box is-current" />
          当前
        </span>
      </div>
    </nav>
  );
}
