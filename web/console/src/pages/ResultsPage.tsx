import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Empty, Input, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { api, ApiError, errorMessage } from '../api';
import { useLoader } from '../hooks';
import {
  autoStateLabel, combinedFormula, formatPoints, formatTimeOfDay, itemTypeLabel, levelLabel, MARKING_STATE_COLORS, MARKING_STATE_LABELS,
  PAPER_RESULT_COLORS, PAPER_RESULT_LABELS, passLabel,
} from '../format';
import { navigate } from '../router';
import { GradingStatusCard } from '../components/GradingStatusCard';
import { PlanSelect } from '../components/PlanSitePickers';
import type { CombinedScoreSettings, PaperResult, PracticalResult, PracticalTaskScore, ResultRow } from '../types';

type PassFilter = 'all' | 'passed' | 'failed' | 'pending';

function StateTag({ result }: { result: PaperResult }) {
  return (
    <Tag color={PAPER_RESULT_COLORS[result.state]} style={{ marginInlineEnd: 0 }}>
      {PAPER_RESULT_LABELS[result.state]}
    </Tag>
  );
}

function PaperCell({ result }: { result: PaperResult }) {
  return (
    <Space size={6}>
      {result.state === 'final' && (
        <span>
          <Typography.Text strong>{formatPoints(result.score)}</Typography.Text>
          <Typography.Text type="secondary"> / {formatPoints(result.maxScore)}</Typography.Text>
        </span>
      )}
      <StateTag result={result} />
    </Space>
  );
}

function PracticalCell({ result }: { result: PracticalResult }) {
  const parts = result.auto !== null || result.manual !== null;
  return (
    <div data-testid="practical-cell">
      <PaperCell result={result} />
      {parts && result.state !== 'in_progress' && (
        <div style={{ fontSize: 12 }}>
          <Typography.Text type="secondary">
            自动 {formatPoints(result.auto ?? 0)} + 人工 {formatPoints(result.manual ?? 0)}
            {result.state === 'grading' ? '（未完成）' : ''}
          </Typography.Text>
        </div>
      )}
    </div>
  );
}

function resultColumns(settings: CombinedScoreSettings | undefined): TableColumnsType<ResultRow> {
  const decimals = settings?.decimals ?? 1;
  return [
    { title: '准考证号', dataIndex: 'ticketNo', key: 'ticketNo', width: 130 },
    { title: '姓名', dataIndex: 'name', key: 'name', width: 90 },
    { title: '等级', dataIndex: 'level', key: 'level', width: 64, render: (l: string) => levelLabel(l) },
    {
      title: '理论',
      key: 'theory',
      width: 150,
      render: (_, r) => (
        <div data-testid="theory-cell">
          <PaperCell result={r.theory} />
        </div>
      ),
    },
    { title: '实操（自动 + 人工）', key: 'practical', width: 180, render: (_, r) => <PracticalCell result={r.practical} /> },
    {
      title: '综合成绩',
      dataIndex: 'combined',
      key: 'combined',
      width: 96,
      align: 'right',
      // Pinned, so the verdict stays on screen on a 1024-px display.
      fixed: 'right',
      render: (n: number | null) =>
        n === null ? (
          <Typography.Text type="secondary">—</Typography.Text>
        ) : (
          <Typography.Text strong style={{ fontSize: 15 }} data-testid="combined">
            {n.toFixed(decimals)}
          </Typography.Text>
        ),
    },
    {
      title: '是否合格',
      dataIndex: 'passed',
      key: 'passed',
      width: 90,
      align: 'center',
      fixed: 'right',
      render: (p: boolean | null) => {
        const { text, color } = passLabel(p);
        return (
          <Tag color={color} style={{ marginInlineEnd: 0 }} data-testid="passed">
            {text}
          </Tag>
        );
      },
    },
  ];
}

function matches(row: ResultRow, filter: PassFilter, query: string): boolean {
  if (filter === 'passed' && row.passed !== true) return false;
  if (filter === 'failed' && row.passed !== false) return false;
  if (filter === 'pending' && row.passed !== null) return false;
  const q = query.trim();
  return !q || row.name.includes(q) || row.ticketNo.includes(q);
}

/** 成绩: each candidate's theory, practical and combined score in one plan (operators). */
export function ResultsPage({ planId }: { planId?: string }) {
  const plans = useLoader((signal) => api.plans(signal), []);
  const planList = plans.data?.plans;
  const results = useLoader((signal) => (planId ? api.planResults(planId, signal) : Promise.resolve(null)), [planId]);
  const [filter, setFilter] = useState<PassFilter>('all');
  const [query, setQuery] = useState('');
  const data = results.data ?? undefined;
  const rows = data?.rows;
  const columns = useMemo(() => resultColumns(data?.settings), [data?.settings]);
  const visible = useMemo(() => (rows ?? []).filter((r) => matches(r, filter, query)), [rows, filter, query]);
  const count = (f: (r: ResultRow) => boolean) => (rows ?? []).filter(f).length;

  // No plan chosen: the first one.
  useEffect(() => {
    const first = planList?.[0];
    if (!planId && first) navigate({ name: 'results', planId: first.id }, { replace: true });
  }, [planId, planList]);

  const notFound = results.error instanceof ApiError && results.error.status === 404;
  return (
    <>
      <GradingStatusCard />
      <Card
        title={
          <Space size={12} style={{ padding: '8px 0' }}>
            <span>成绩</span>
            <PlanSelect
              testId="plan-select"
              width={340}
              loading={plans.loading}
              plans={planList ?? []}
              value={planList?.some((p) => p.id === planId) ? planId : undefined}
              onChange={(id) => navigate({ name: 'results', planId: id })}
            />
          </Space>
        }
        extra={
          planId && (
            <Space>
              <Typography.Text type="secondary">更新于 {results.loadedAt ? formatTimeOfDay(results.loadedAt) : '—'}</Typography.Text>
              <Button onClick={results.reload} loading={results.refreshing && !results.loading}>
                刷新
              </Button>
            </Space>
          )
        }
      >
        {plans.error !== undefined && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={`加载考试计划失败：${errorMessage(plans.error)}`} />}
        {planList && planList.length === 0 && <Empty description="暂无考试计划" />}
        {results.error !== undefined && (
          <Alert
            type={data ? 'warning' : 'error'}
            showIcon
            style={{ marginBottom: 16 }}
            message={notFound ? '没有找到该考试计划' : data ? `刷新失败，显示的是上次的数据：${errorMessage(results.error)}` : `加载成绩失败：${errorMessage(results.error)}`}
            action={!notFound && !data && <Button onClick={results.reload}>重试</Button>}
          />
        )}
        {data && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            data-testid="results-formula"
            message={
              <span>
                {combinedFormula(data.settings)}（保留 {data.settings.decimals} 位小数，四舍五入；理论与实操均已定分后才有综合成绩）。
                <Typography.Text strong>成绩发布前考生不可见。</Typography.Text>
              </span>
            }
          />
        )}
        {planId && (
          <>
            <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: 12, marginBottom: 16 }}>
              <Space wrap>
                <Select<PassFilter>
                  value={filter}
                  onChange={setFilter}
                  style={{ width: 120 }}
                  aria-label="按是否合格筛选"
                  options={[
                    { value: 'all', label: '全部考生' },
                    { value: 'passed', label: '合格' },
                    { value: 'failed', label: '不合格' },
                    { value: 'pending', label: '待定' },
                  ]}
                />
                <Input allowClear placeholder="搜索姓名或准考证号" style={{ width: 220 }} value={query} onChange={(e) => setQuery(e.target.value)} />
              </Space>
              <Space size={20} data-testid="results-summary">
                <SummaryCount label="考生" n={rows?.length ?? 0} />
                <SummaryCount label="已出综合成绩" n={count((r) => r.combined !== null)} />
                <SummaryCount label="合格" n={count((r) => r.passed === true)} color="#389e0d" />
                <SummaryCount label="不合格" n={count((r) => r.passed === false)} color="#cf1322" />
                <SummaryCount label="待定" n={count((r) => r.passed === null)} color="#8c8c8c" />
              </Space>
            </div>
            <Table<ResultRow>
              rowKey="registrationId"
              size="small"
              data-testid="results-table"
              columns={columns}
              dataSource={visible}
              loading={results.loading}
              scroll={{ x: 860 }}
              expandable={{
                rowExpandable: (r) => r.practical.attemptId !== null,
                expandedRowRender: (r) => (r.practical.attemptId ? <PracticalBreakdownView attemptId={r.practical.attemptId} /> : null),
              }}
              pagination={{ defaultPageSize: 50, showSizeChanger: true, pageSizeOptions: [20, 50, 100, 200], showTotal: (n) => `共 ${n} 人`, hideOnSinglePage: true }}
              locale={{ emptyText: rows?.length ? '没有符合条件的考生' : '本计划暂无报考考生' }}
            />
          </>
        )}
      </Card>
    </>
  );
}

function SummaryCount({ label, n, color }: { label: string; n: number; color?: string }) {
  return (
    <span data-testid={`summary-${label}`}>
      <Typography.Text type="secondary">{label} </Typography.Text>
      <Typography.Text strong style={{ fontSize: 18, color }}>
        {n}
      </Typography.Text>
      <Typography.Text type="secondary"> 人</Typography.Text>
    </span>
  );
}

function manualCell(t: PracticalTaskScore) {
  if (t.blank) return <Typography.Text type="secondary">—</Typography.Text>;
  if (t.marking === 'not-needed') return <Typography.Text type="secondary">无需人工</Typography.Text>;
  if (t.manual === null) return <Tag color={MARKING_STATE_COLORS[t.marking]}>{MARKING_STATE_LABELS[t.marking]}</Tag>;
  return (
    <Space size={4}>
      <span>{formatPoints(t.manual)}</span>
      <Tag color={MARKING_STATE_COLORS[t.marking]}>{MARKING_STATE_LABELS[t.marking]}</Tag>
    </Space>
  );
}

function autoCell(t: PracticalTaskScore) {
  if (t.blank) return <Typography.Text type="secondary">—</Typography.Text>;
  // Case tasks have no automatic checks (the bank refuses them): all their points are people's.
  if (t.type === 'case') return <Typography.Text type="secondary">无需自动</Typography.Text>;
  if (t.auto === null) return <Tag color="processing">{autoStateLabel(t.autoState)}</Tag>;
  return (
    <span>
      {formatPoints(t.auto)}
      {t.autoState === 'failed' && (
        <Typography.Text type="danger" style={{ fontSize: 12 }}>
          {' '}（判分失败：{t.autoError ?? '未知原因'}）
        </Typography.Text>
      )}
    </span>
  );
}

const breakdownColumns: TableColumnsType<PracticalTaskScore> = [
  { title: '题号', dataIndex: 'code', key: 'code', width: 110 },
  {
    title: '题目',
    key: 'title',
    render: (_, t) => (
      <Space size={4} wrap>
        <Tag color="purple">{itemTypeLabel(t.type)}</Tag>
        <span>{t.title}</span>
        {t.blank && <Tag>未作答</Tag>}
      </Space>
    ),
  },
  { title: '分值', dataIndex: 'paperPoints', key: 'paperPoints', width: 64, align: 'right', render: (n: number) => formatPoints(n) },
  { title: '自动判分', key: 'auto', width: 150, render: (_, t) => autoCell(t) },
  { title: '人工评分', key: 'manual', width: 150, render: (_, t) => manualCell(t) },
  {
    title: '本题得分',
    key: 'score',
    width: 84,
    align: 'right',
    render: (_, t) => (t.auto !== null && t.manual !== null ? <Typography.Text strong>{formatPoints(t.auto + t.manual)}</Typography.Text> : '—'),
  },
];

/** One practical attempt, task by task (on the paper's points). */
function PracticalBreakdownView({ attemptId }: { attemptId: string }) {
  const b = useLoader((signal) => api.practicalBreakdown(attemptId, signal), [attemptId]);
  if (b.error !== undefined && !b.data) return <Alert type="error" showIcon message={`加载实操逐题得分失败：${errorMessage(b.error)}`} />;
  const d = b.data;
  return (
    <div data-testid="practical-breakdown" style={{ padding: '4px 0' }}>
      {d && (
        <Typography.Paragraph style={{ marginBottom: 8 }}>
          实操逐题得分：自动 <Typography.Text strong>{formatPoints(d.auto)}</Typography.Text> + 人工{' '}
          <Typography.Text strong>{formatPoints(d.manual)}</Typography.Text> ={' '}
          {d.complete ? (
            <Typography.Text strong>
              {formatPoints(d.score)} / {formatPoints(d.maxScore)} 分
            </Typography.Text>
          ) : (
            <Typography.Text type="warning">判分未完成（满分 {formatPoints(d.maxScore)} 分）</Typography.Text>
          )}
        </Typography.Paragraph>
      )}
      <Table<PracticalTaskScore>
        rowKey="questionId"
        size="small"
        columns={breakdownColumns}
        dataSource={d?.tasks ?? []}
        loading={b.loading}
        pagination={false}
        bordered
      />
    </div>
  );
}
