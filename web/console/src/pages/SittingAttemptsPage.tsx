import { useMemo, useState } from 'react';
import { Alert, Breadcrumb, Button, Card, Col, Input, Row, Select, Space, Statistic, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { api, errorMessage } from '../api';
import { useInterval, useLoader } from '../hooks';
import { formatDateTime, formatRange, formatScore, formatTimeNear, formatTimeOfDay, STATE_COLORS, STATE_LABELS, submitReasonLabel } from '../format';
import { href } from '../router';
import { SebCard } from '../components/SebCard';
import { LoadFailed } from '../components/LoadFailed';
import type { AttemptRow, AttemptState } from '../types';

const REFRESH_MS = 10_000;

/** Times on the sitting's own date show as "09:12:05"; hover for the full date. */
function timeCell(ref: string | undefined) {
  return (iso: string | null) => (iso ? <span title={formatDateTime(iso)}>{formatTimeNear(iso, ref)}</span> : '—');
}

function attemptColumns(sittingStartsAt: string | undefined): TableColumnsType<AttemptRow> {
  return [
    { title: '准考证号', dataIndex: 'ticketNo', key: 'ticketNo', width: 124 },
    { title: '姓名', dataIndex: 'name', key: 'name', width: 84 },
    {
      title: '状态',
      dataIndex: 'state',
      key: 'state',
      width: 80,
      render: (state: AttemptState) => <Tag color={STATE_COLORS[state]}>{STATE_LABELS[state]}</Tag>,
    },
    { title: '已答题数', dataIndex: 'answered', key: 'answered', width: 84, align: 'right' },
    { title: '开始作答', dataIndex: 'startedAt', key: 'startedAt', width: 88, render: timeCell(sittingStartsAt) },
    { title: '截止时间', dataIndex: 'deadline', key: 'deadline', width: 88, render: timeCell(sittingStartsAt) },
    { title: '交卷时间', dataIndex: 'submittedAt', key: 'submittedAt', width: 88, render: timeCell(sittingStartsAt) },
    { title: '交卷方式', dataIndex: 'submitReason', key: 'submitReason', width: 132, render: submitReasonLabel },
    { title: '得分', key: 'score', width: 86, align: 'right', render: (_, r) => formatScore(r.score, r.maxScore) },
    {
      title: '离开全屏次数',
      dataIndex: 'fullscreenExits',
      key: 'fullscreenExits',
      width: 104,
      align: 'right',
      render: (n: number) => (n > 0 ? <Typography.Text type="danger">{n}</Typography.Text> : n),
    },
  ];
}

interface Summary {
  registered: number;
  entered: number;
  inProgress: number;
  submitted: number;
  average: number | null;
  maxScore: number | null;
}

function summarize(rows: AttemptRow[]): Summary {
  const scored = rows.filter((r) => r.state === 'submitted' && r.score !== null);
  const average = scored.length ? scored.reduce((sum, r) => sum + (r.score ?? 0), 0) / scored.length : null;
  return {
    registered: rows.length,
    entered: rows.filter((r) => r.state !== 'not_entered').length,
    inProgress: rows.filter((r) => r.state === 'in_progress').length,
    submitted: rows.filter((r) => r.state === 'submitted').length,
    average,
    maxScore: scored.find((r) => r.maxScore !== null)?.maxScore ?? null,
  };
}

function matches(row: AttemptRow, state: AttemptState | 'all', query: string): boolean {
  if (state !== 'all' && row.state !== state) return false;
  const q = query.trim();
  return !q || row.name.includes(q) || row.ticketNo.includes(q);
}

export function SittingAttemptsPage({ sittingId }: { sittingId: string }) {
  const loaded = useLoader((signal) => api.sittingAttempts(sittingId, signal), [sittingId]);
  const [stateFilter, setStateFilter] = useState<AttemptState | 'all'>('all');
  const [query, setQuery] = useState('');
  useInterval(loaded.reload, REFRESH_MS);

  const rows = loaded.data?.rows;
  const startsAt = loaded.data?.sitting.startsAt;
  const columns = useMemo(() => attemptColumns(startsAt), [startsAt]);
  const summary = useMemo(() => summarize(rows ?? []), [rows]);
  const visible = useMemo(() => (rows ?? []).filter((r) => matches(r, stateFilter, query)), [rows, stateFilter, query]);

  const breadcrumb = (
    <Breadcrumb
      style={{ marginBottom: 16 }}
      items={[{ title: <a href={href({ name: 'plans' })}>考试计划</a> }, { title: loaded.data?.sitting.name ?? '场次作答' }]}
    />
  );

  if (!loaded.data && loaded.error !== undefined) {
    return (
      <LoadFailed
        breadcrumb={breadcrumb}
        error={loaded.error}
        notFoundTitle="没有找到该场次"
        notFoundText={`场次编号 ${sittingId} 不存在，可能已被删除或链接有误。`}
        back={{ href: href({ name: 'plans' }), label: '返回考试计划' }}
        onRetry={loaded.reload}
      />
    );
  }

  const sitting = loaded.data?.sitting;
  return (
    <>
      {breadcrumb}
      <Card
        loading={loaded.loading}
        title={
          <Space direction="vertical" size={0} style={{ padding: '12px 0' }}>
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="sitting-name">
              {sitting?.name ?? '场次作答'}
            </Typography.Title>
            <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
              考试时间：{sitting ? formatRange(sitting.startsAt, sitting.endsAt) : '—'}（北京时间）
            </Typography.Text>
          </Space>
        }
        extra={
          <Space>
            <Typography.Text type="secondary">
              每 10 秒自动刷新 · 更新于 {loaded.loadedAt ? formatTimeOfDay(loaded.loadedAt) : '—'}
            </Typography.Text>
            <Button onClick={loaded.reload} loading={loaded.refreshing && !loaded.loading}>
              刷新
            </Button>
          </Space>
        }
      >
        {loaded.error !== undefined && (
          <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={`刷新失败，显示的是上次的数据：${errorMessage(loaded.error)}`} />
        )}
        {sitting && <SebCard sittingId={sitting.id} required={sitting.sebRequired} onChanged={loaded.reload} />}
        <Row gutter={16} style={{ marginBottom: 24 }}>
          <Col flex="1 1 0">
            <Card size="small">
              <Statistic title="报考人数" value={summary.registered} suffix="人" />
            </Card>
          </Col>
          <Col flex="1 1 0">
            <Card size="small">
              <Statistic title="已入场" value={summary.entered} suffix="人" />
            </Card>
          </Col>
          <Col flex="1 1 0">
            <Card size="small">
              <Statistic title="作答中" value={summary.inProgress} suffix="人" valueStyle={{ color: '#1668dc' }} />
            </Card>
          </Col>
          <Col flex="1 1 0">
            <Card size="small">
              <Statistic title="已交卷" value={summary.submitted} suffix="人" valueStyle={{ color: '#389e0d' }} />
            </Card>
          </Col>
          <Col flex="1 1 0">
            <Card size="small">
              <Statistic
                title="平均分（已交卷）"
                value={summary.average ?? '—'}
                precision={summary.average === null ? undefined : 1}
                suffix={summary.average !== null && summary.maxScore !== null ? `/ ${summary.maxScore}` : undefined}
              />
            </Card>
          </Col>
        </Row>
        <Space wrap style={{ marginBottom: 16 }}>
          <Select<AttemptState | 'all'>
            value={stateFilter}
            onChange={setStateFilter}
            style={{ width: 140 }}
            aria-label="按状态筛选"
            options={[
              { value: 'all', label: '全部状态' },
              { value: 'not_entered', label: STATE_LABELS.not_entered },
              { value: 'in_progress', label: STATE_LABELS.in_progress },
              { value: 'submitted', label: STATE_LABELS.submitted },
            ]}
          />
          <Input
            allowClear
            placeholder="搜索姓名或准考证号"
            style={{ width: 260 }}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
          <Typography.Text type="secondary">
            显示 {visible.length} / {summary.registered} 人
          </Typography.Text>
        </Space>
        <Table<AttemptRow>
          rowKey="registrationId"
          size="small"
          columns={columns}
          dataSource={visible}
          scroll={{ x: 960 }}
          pagination={{ defaultPageSize: 50, showSizeChanger: true, pageSizeOptions: [20, 50, 100, 200], showTotal: (n) => `共 ${n} 人` }}
          locale={{ emptyText: rows?.length ? '没有符合条件的考生' : '本场次暂无报考考生' }}
        />
      </Card>
    </>
  );
}
