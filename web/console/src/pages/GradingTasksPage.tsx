import { Alert, Button, Card, Progress, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { api, errorMessage } from '../api';
import { useInterval, useLoader } from '../hooks';
import { formatTimeOfDay, itemTypeLabel } from '../format';
import { href } from '../router';
import { GradingStatusCard } from '../components/GradingStatusCard';
import type { GradingTask } from '../types';

const REFRESH_MS = 30_000;

const columns: TableColumnsType<GradingTask> = [
  { title: '题号', dataIndex: 'code', key: 'code', width: 124, render: (code: string) => <span style={{ whiteSpace: 'nowrap' }}>{code}</span> },
  {
    title: '题目',
    key: 'title',
    render: (_, t) => (
      <span>
        <Tag color="purple">{itemTypeLabel(t.type)}</Tag>
        {t.title}
      </span>
    ),
  },
  {
    title: '评分方式',
    key: 'doubleMarking',
    width: 120,
    render: (_, t) =>
      t.doubleMarking === null ? (
        '单评'
      ) : (
        <span title="两位阅卷员独立评分，分差超过阈值时由第三位阅卷员仲裁">
          双评
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {' '}分差 ≤ {t.doubleMarking}
          </Typography.Text>
        </span>
      ),
  },
  {
    title: '已定分 / 总数',
    key: 'progress',
    width: 140,
    render: (_, t) => (
      <div data-testid="task-progress">
        <Typography.Text>
          {t.final} / {t.submissions}
        </Typography.Text>
        <Progress percent={t.submissions ? Math.round((t.final / t.submissions) * 100) : 0} size="small" showInfo={false} status={t.final === t.submissions && t.submissions > 0 ? 'success' : 'active'} />
      </div>
    ),
  },
  {
    title: '待仲裁',
    dataIndex: 'needsArbitration',
    key: 'needsArbitration',
    width: 86,
    align: 'right',
    render: (n: number) => (n > 0 ? <Typography.Text type="warning" strong>{n}</Typography.Text> : n),
  },
  {
    title: '我可评',
    dataIndex: 'forMe',
    key: 'forMe',
    width: 86,
    align: 'right',
    render: (n: number) => (n > 0 ? <Typography.Text strong style={{ color: '#1668dc' }}>{n}</Typography.Text> : n),
  },
  { title: '我已评', dataIndex: 'markedByMe', key: 'markedByMe', width: 86, align: 'right' },
  {
    title: '操作',
    key: 'action',
    width: 110,
    render: (_, t) => (
      <Button type={t.forMe > 0 ? 'primary' : 'default'} href={href({ name: 'marking', questionId: t.questionId })}>
        开始阅卷
      </Button>
    ),
  },
];

/** 阅卷: the practical tasks people mark, and how far each is. */
export function GradingTasksPage({ operator }: { operator: boolean }) {
  const tasks = useLoader((signal) => api.gradingTasks(signal), []);
  useInterval(tasks.reload, REFRESH_MS);
  const list = tasks.data?.tasks ?? [];
  const open = list.reduce((s, t) => s + t.forMe, 0);

  return (
    <>
      {operator && <GradingStatusCard />}
      <Card
        title="阅卷任务"
        extra={
          <Space>
            <Typography.Text type="secondary">
              每 30 秒自动刷新 · 更新于 {tasks.loadedAt ? formatTimeOfDay(tasks.loadedAt) : '—'}
            </Typography.Text>
            <Button onClick={tasks.reload} loading={tasks.refreshing && !tasks.loading}>
              刷新
            </Button>
          </Space>
        }
      >
        <Typography.Paragraph type="secondary">
          答卷已隐去考生姓名、准考证号等身份信息。双评题由两位阅卷员独立评分，分差在阈值内取平均分，超过阈值时由第三位阅卷员仲裁。
          {tasks.data && (
            <>
              {' '}当前您可评 <Typography.Text strong>{open}</Typography.Text> 份。
            </>
          )}
        </Typography.Paragraph>
        {tasks.error !== undefined && (
          <Alert type="error" showIcon style={{ marginBottom: 16 }} message={`加载阅卷任务失败：${errorMessage(tasks.error)}`} />
        )}
        <Table<GradingTask>
          rowKey="questionId"
          data-testid="grading-tasks"
          columns={columns}
          dataSource={list}
          loading={tasks.loading}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          locale={{ emptyText: '暂无需要人工评分的答卷' }}
        />
      </Card>
    </>
  );
}
