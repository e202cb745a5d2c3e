import { useCallback, useEffect, useRef, useState } from 'react';
import {
  Alert, App, Breadcrumb, Button, Card, Col, Divider, Empty, Form, Input, InputNumber, List, Result, Row, Space, Spin, Tag, Typography,
} from 'antd';
import { api, ApiError, errorMessage } from '../api';
import { AnswerView } from '../components/AnswerView';
import { ChecksView } from '../components/ChecksView';
import { formatDateTime, formatPoints, formatTimeOfDay, itemTypeLabel, MARKING_STATE_COLORS, MARKING_STATE_LABELS, roundLabel } from '../format';
import { href, navigate } from '../router';
import { recentMarks, rememberMark, type RecentMark } from '../recent-marks';
import type { GradingTask, MarkInput, MarkingItem } from '../types';

/** Where the submission comes from: the next one of a task, or one re-opened by id. */
export type MarkingSource = { kind: 'next'; questionId: string } | { kind: 'item'; markingId: string };

type View =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  | { status: 'empty' }
  | { status: 'ready'; item: MarkingItem };

/** What happened to the last submission, shown above the next one. */
interface Notice {
  type: 'success' | 'warning';
  text: string;
}

interface MarkFormValues {
  items: { points?: number | null; comment?: string }[];
  comment?: string;
  reason?: string;
}

const sumPoints = (items: MarkFormValues['items'] | undefined) =>
  Math.round((items ?? []).reduce((s, i) => s + (typeof i?.points === 'number' ? i.points : 0), 0) * 100) / 100;

/** 阅卷: one anonymous submission of a practical task, and the grader's marks per rubric item. */
export function MarkingPage({ source }: { source: MarkingSource }) {
  const { message } = App.useApp();
  const [view, setView] = useState<View>({ status: 'loading' });
  const [questionId, setQuestionId] = useState<string | null>(source.kind === 'next' ? source.questionId : null);
  const [progress, setProgress] = useState<GradingTask | null>(null);
  const [recent, setRecent] = useState<RecentMark[]>([]);
  const [notice, setNotice] = useState<Notice | null>(null);
  const ctrl = useRef<AbortController | null>(null);

  const refreshProgress = useCallback((qid: string | null) => {
    if (!qid) return;
    setRecent(recentMarks(qid));
    api.gradingTasks().then(
      ({ tasks }) => setProgress(tasks.find((t) => t.questionId === qid) ?? null),
      () => undefined, // the header's progress is a nicety; the page works without it
    );
  }, []);

  /** Loads the next submission of the task (or, for a re-opened one, that submission). */
  const load = useCallback(
    async (what: MarkingSource) => {
      ctrl.current?.abort();
      const c = new AbortController();
      ctrl.current = c;
      setView({ status: 'loading' });
      try {
        const item = what.kind === 'next' ? (await api.nextSubmission(what.questionId, c.signal)).item : await api.submission(what.markingId, c.signal);
        if (c.signal.aborted) return;
        const qid = item?.task.questionId ?? (what.kind === 'next' ? what.questionId : null);
        setQuestionId(qid);
        setView(item ? { status: 'ready', item } : { status: 'empty' });
        refreshProgress(qid);
        window.scrollTo({ top: 0 });
      } catch (error) {
        if (!c.signal.aborted) setView({ status: 'error', error });
      }
    },
    [refreshProgress],
  );

  useEffect(() => {
    void load(source);
    return () => ctrl.current?.abort();
    // The page is remounted (keyed) for another source.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const nextOf = (qid: string): MarkingSource => ({ kind: 'next', questionId: qid });

  /** After a mark (or when the submission was already final): on to the next one of the task. */
  const goNext = (qid: string) => {
    if (source.kind === 'next') void load(nextOf(qid));
    else navigate({ name: 'marking', questionId: qid });
  };

  const onSaved = (saved: MarkingItem, changed: boolean) => {
    const mark = saved.myMark;
    if (mark) {
      rememberMark({ markingId: saved.markingId, questionId: saved.task.questionId, code: saved.task.code, round: mark.round, total: mark.total, at: Date.now() });
    }
    const text = changed ? `已修改评分：${formatPoints(mark?.total)} 分` : `已提交评分：${formatPoints(mark?.total)} 分`;
    message.success(text);
    setNotice({ type: 'success', text });
    goNext(saved.task.questionId);
  };

  const onAlreadyFinal = (item: MarkingItem, err: ApiError) => {
    message.warning(err.message);
    setNotice({ type: 'warning', text: err.message });
    goNext(item.task.questionId);
  };

  const task = view.status === 'ready' ? view.item.task : null;
  const title = task ? `${task.code} ${task.title}` : progress ? `${progress.code} ${progress.title}` : '阅卷';

  return (
    <>
      <Breadcrumb style={{ marginBottom: 16 }} items={[{ title: <a href={href({ name: 'grading' })}>阅卷</a> }, { title }]} />
      {progress && (
        <Typography.Paragraph type="secondary" data-testid="marking-progress" style={{ marginTop: -8 }}>
          本题进度：已定分 {progress.final} / {progress.submissions} 份 · 待仲裁 {progress.needsArbitration} 份 · 我可评 {progress.forMe} 份 · 我已评 {progress.markedByMe} 份
        </Typography.Paragraph>
      )}
      {view.status === 'loading' && (
        <Card>
          <div style={{ textAlign: 'center', padding: 48 }}>
            <Spin tip="正在取答卷…">
              <div style={{ height: 40 }} />
            </Spin>
          </div>
        </Card>
      )}
      {view.status === 'error' && (
        <Card>
          <Result
            status={view.error instanceof ApiError && view.error.status === 404 ? '404' : 'error'}
            title={view.error instanceof ApiError && view.error.status === 404 ? '没有找到该答卷或题目' : '加载答卷失败'}
            subTitle={errorMessage(view.error)}
            extra={
              <Space>
                <Button href={href({ name: 'grading' })}>返回阅卷任务</Button>
                <Button type="primary" onClick={() => void load(questionId ? nextOf(questionId) : source)}>
                  重试
                </Button>
              </Space>
            }
          />
        </Card>
      )}
      {view.status === 'empty' && (
        <Card>
          {notice && <Alert type={notice.type} showIcon closable message={notice.text} onClose={() => setNotice(null)} data-testid="marking-notice" />}
          <Result
            status="success"
            title="本题没有待评答卷了"
            subTitle="本题的答卷您都已评过，或正等待其他阅卷员评分、仲裁。"
            extra={
              <Space>
                <Button href={href({ name: 'grading' })}>返回阅卷任务</Button>
                <Button type="primary" onClick={() => questionId && void load(nextOf(questionId))}>
                  刷新
                </Button>
              </Space>
            }
          />
          <RecentList recent={recent} />
        </Card>
      )}
      {view.status === 'ready' && (
        <MarkingView
          key={`${view.item.markingId}:${view.item.myMark?.updatedAt ?? ''}`}
          item={view.item}
          reopened={source.kind === 'item'}
          notice={notice}
          onNotice={setNotice}
          recent={recent}
          onSaved={onSaved}
          onAlreadyFinal={onAlreadyFinal}
        />
      )}
    </>
  );
}

function MarkingView({
  item, reopened, notice, onNotice, recent, onSaved, onAlreadyFinal,
}: {
  item: MarkingItem;
  reopened: boolean;
  notice: Notice | null;
  onNotice: (n: Notice | null) => void;
  recent: RecentMark[];
  onSaved: (saved: MarkingItem, changed: boolean) => void;
  onAlreadyFinal: (item: MarkingItem, err: ApiError) => void;
}) {
  const { task, marking, myMark } = item;
  const round = myMark?.round ?? marking.round;
  const canMark = myMark !== null || (marking.state !== 'final' && marking.round !== null);

  return (
    <Row gutter={16} align="top">
      <Col xs={24} lg={14}>
        <Card
          size="small"
          style={{ marginBottom: 16 }}
          title={
            <Space size={8} style={{ padding: '6px 0' }}>
              <Typography.Text strong style={{ fontSize: 16 }} data-testid="marking-title">
                {task.code} · {task.title}
              </Typography.Text>
              <Tag color="purple">{itemTypeLabel(task.type)}</Tag>
            </Space>
          }
          extra={
            <Typography.Text type="secondary" data-testid="marking-points">
              满分 {formatPoints(task.points)} 分
              {task.checks.length > 0 && `（人工 ${formatPoints(task.rubric.reduce((s, r) => s + r.points, 0))} 分）`} ·{' '}
              {task.doubleMarking === null ? '单评' : `双评，分差 ≤ ${formatPoints(task.doubleMarking)}`}
            </Typography.Text>
          }
        >
          <div className="kw-statement" style={{ maxHeight: 300, overflow: 'auto' }} data-testid="marking-statement" dangerouslySetInnerHTML={{ __html: task.statementHtml }} />
        </Card>
        <Card
          size="small"
          style={{ marginBottom: 16 }}
          title="考生作答"
          extra={
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              答卷编号 <span className="kw-mono">{item.markingId.slice(-8)}</span> · 已隐去考生身份
            </Typography.Text>
          }
        >
          <div data-testid="marking-answer">
            <AnswerView item={item} />
          </div>
        </Card>
        {task.checks.length > 0 && (
          <Card size="small" title="自动检查结果" style={{ marginBottom: 16 }}>
            <ChecksView item={item} />
          </Card>
        )}
      </Col>
      <Col xs={24} lg={10}>
        <Card
          size="small"
          title="评分"
          style={{ marginBottom: 16 }}
          extra={
            <Space size={4}>
              <Tag color={MARKING_STATE_COLORS[marking.state]} data-testid="marking-state">
                {MARKING_STATE_LABELS[marking.state]}
              </Tag>
              <Tag color={round === 3 ? 'orange' : 'blue'} data-testid="marking-round">
                {roundLabel(round)}
              </Tag>
            </Space>
          }
        >
          {notice && <Alert type={notice.type} showIcon closable message={notice.text} onClose={() => onNotice(null)} style={{ marginBottom: 12 }} data-testid="marking-notice" />}
          {canMark ? (
            <MarkForm item={item} reopened={reopened} onSaved={onSaved} onAlreadyFinal={onAlreadyFinal} />
          ) : (
            <Alert type="info" showIcon message="该答卷已定分" description="本答卷已由其他阅卷员评定，无需再评。" />
          )}
        </Card>
        <Card size="small" title="本次已评（本题）">
          <RecentList recent={recent} compact />
        </Card>
      </Col>
    </Row>
  );
}

function MarkForm({
  item, reopened, onSaved, onAlreadyFinal,
}: {
  item: MarkingItem;
  reopened: boolean;
  onSaved: (saved: MarkingItem, changed: boolean) => void;
  onAlreadyFinal: (item: MarkingItem, err: ApiError) => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<MarkFormValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { task, myMark } = item;
  const editing = myMark !== null;
  const watched = Form.useWatch('items', form);
  const total = sumPoints(watched);

  const initialValues: MarkFormValues = {
    items: task.rubric.map((r) => {
      const given = myMark?.items.find((i) => i.id === r.id);
      return { points: given?.points ?? null, comment: given?.comment ?? '' };
    }),
    comment: myMark?.comment ?? '',
    reason: '',
  };

  async function onFinish(values: MarkFormValues) {
    const input: MarkInput = {
      items: task.rubric.map((r, i) => {
        const v = values.items[i];
        const comment = v?.comment?.trim();
        return { id: r.id, points: Number(v?.points ?? 0), ...(comment ? { comment } : {}) };
      }),
    };
    const comment = values.comment?.trim();
    if (comment) input.comment = comment;
    if (editing) input.reason = values.reason?.trim();
    setSaving(true);
    setError(null);
    try {
      const saved = await api.mark(item.markingId, input);
      onSaved(saved, editing);
    } catch (err) {
      setSaving(false);
      if (err instanceof ApiError && err.code === 'ALREADY_FINAL') return onAlreadyFinal(item, err);
      if (err instanceof ApiError && err.code === 'REASON_REQUIRED') {
        form.setFields([{ name: 'reason', errors: [err.message] }]);
        return;
      }
      setError(errorMessage(err));
      message.error(`提交失败：${errorMessage(err)}`);
    }
  }

  return (
    <Form<MarkFormValues> form={form} layout="vertical" initialValues={initialValues} onFinish={onFinish} disabled={saving} requiredMark={false} data-testid="mark-form">
      {editing && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          message={`您已评过本答卷（${roundLabel(myMark.round)}，${formatPoints(myMark.total)} 分，${formatDateTime(myMark.updatedAt)}）`}
          description="修改分数须填写修改原因；修改前后的分数和原因都记入审计日志。"
        />
      )}
      {!editing && item.marking.round === 2 && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
          双评第 2 评：请独立评分（第 1 评的分数不显示）。
        </Typography.Paragraph>
      )}
      {!editing && item.marking.round === 3 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          message="仲裁"
          description={`两位阅卷员的评分相差超过 ${formatPoints(task.doubleMarking)} 分，请独立评定。最终得分为仲裁分与较接近的一评分数的平均分。`}
        />
      )}
      {task.rubric.map((r, i) => (
        <div className="kw-rubric-item" key={r.id} data-testid="rubric-item">
          <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8, marginBottom: 4 }}>
            <Typography.Text strong>
              {i + 1}. {r.name}
            </Typography.Text>
            <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>
              {formatPoints(r.points)} 分
            </Typography.Text>
          </div>
          {r.description && (
            <Typography.Paragraph type="secondary" style={{ fontSize: 13, marginBottom: 8 }}>
              {r.description}
            </Typography.Paragraph>
          )}
          <div style={{ display: 'flex', gap: 8, alignItems: 'flex-start' }}>
            {/* The inner item holds the value; the outer one shows its error under the pair. */}
            <Form.Item style={{ marginBottom: 0 }}>
              <Space.Compact>
                <Form.Item
                  name={['items', i, 'points']}
                  noStyle
                  rules={[
                    { required: true, message: '请给分' },
                    {
                      validator: async (_, v: number | null | undefined) => {
                        if (typeof v !== 'number') return;
                        if (v < 0 || v > r.points) throw new Error(`应在 0–${formatPoints(r.points)} 之间`);
                        if (Math.round(v * 2) !== v * 2) throw new Error('最小单位为 0.5 分');
                      },
                    },
                  ]}
                >
                  <InputNumber<number> min={0} max={r.points} step={0.5} placeholder="得分" aria-label={`${r.name} 得分`} style={{ width: 84 }} />
                </Form.Item>
                <Space.Addon>/ {formatPoints(r.points)}</Space.Addon>
              </Space.Compact>
            </Form.Item>
            <Form.Item name={['items', i, 'comment']} style={{ flex: 1, marginBottom: 0 }}>
              <Input placeholder="评语（可选）" maxLength={500} aria-label={`${r.name} 评语`} />
            </Form.Item>
          </div>
        </div>
      ))}
      <Form.Item name="comment" label="总体评语（可选）" style={{ marginTop: 12, marginBottom: 12 }}>
        <Input.TextArea rows={2} maxLength={2000} placeholder="对本答卷的总体意见" />
      </Form.Item>
      {editing && (
        <Form.Item name="reason" label="修改原因" rules={[{ required: true, whitespace: true, message: '修改已给出的分数须填写修改原因' }]} style={{ marginBottom: 12 }}>
          <Input.TextArea rows={2} maxLength={500} placeholder="例如：复核后发现第 2 项漏看了要点" />
        </Form.Item>
      )}
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Divider style={{ margin: '8px 0 12px' }} />
      <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 12 }}>
        <span>
          合计{' '}
          <Typography.Text strong style={{ fontSize: 22, color: '#1668dc' }} data-testid="mark-total">
            {formatPoints(total)}
          </Typography.Text>{' '}
          / {formatPoints(task.rubric.reduce((s, r) => s + r.points, 0))} 分
        </span>
        <Button type="primary" size="large" loading={saving} onClick={() => form.submit()} data-testid="mark-submit">
          {editing ? (reopened ? '保存修改' : '保存修改并评下一份') : '提交并评下一份'}
        </Button>
      </div>
    </Form>
  );
}

function RecentList({ recent, compact }: { recent: RecentMark[]; compact?: boolean }) {
  if (recent.length === 0) {
    return compact ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="本次尚未评阅本题答卷" style={{ margin: '8px 0' }} /> : null;
  }
  return (
    <div data-testid="recent-marks" style={compact ? undefined : { maxWidth: 560, margin: '0 auto' }}>
      {!compact && <Typography.Title level={5}>本次已评的答卷</Typography.Title>}
      <List
        size="small"
        dataSource={recent.slice(0, compact ? 5 : 20)}
        renderItem={(m, i) => (
          <List.Item
            actions={[
              <a key="open" href={href({ name: 'submission', markingId: m.markingId })} data-testid="reopen-mark" style={{ whiteSpace: 'nowrap' }}>
                {i === 0 && !compact ? '重新打开上一份' : '重新打开'}
              </a>,
            ]}
          >
            <Space size={8} style={{ whiteSpace: 'nowrap' }}>
              <span className="kw-mono" title="答卷编号">
                {m.markingId.slice(-8)}
              </span>
              <Tag style={{ marginInlineEnd: 0 }}>{roundLabel(m.round)}</Tag>
              <span>{formatPoints(m.total)} 分</span>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {i === 0 ? '上一份 · ' : ''}
                {formatTimeOfDay(m.at)}
              </Typography.Text>
            </Space>
          </List.Item>
        )}
      />
    </div>
  );
}
