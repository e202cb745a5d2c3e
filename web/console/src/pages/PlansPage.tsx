import { Alert, Button, Card, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { api, errorMessage } from '../api';
import { useLoader } from '../hooks';
import { formatRange, LEVEL_LABELS, PAPER_LABELS } from '../format';
import { href } from '../router';
import type { PlanSummary, SittingSummary } from '../types';

function SittingLink({ sitting }: { sitting: SittingSummary }) {
  return (
    <a href={href({ name: 'sitting', sittingId: sitting.id })} data-testid="sitting-link" style={{ display: 'block', padding: '4px 0' }}>
      <Tag color="blue">{LEVEL_LABELS[sitting.level]}</Tag>
      <Tag color={sitting.paper === 'theory' ? 'geekblue' : 'purple'}>{PAPER_LABELS[sitting.paper]}</Tag>
      <span>{sitting.name}</span>
      <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
        {formatRange(sitting.startsAt, sitting.endsAt)}（北京时间）
      </Typography.Text>
    </a>
  );
}

const columns: TableColumnsType<PlanSummary> = [
  { title: '计划名称', dataIndex: 'name', key: 'name', width: 200 },
  { title: '考试日期', dataIndex: 'examDate', key: 'examDate', width: 120 },
  { title: '证书', dataIndex: 'certificate', key: 'certificate', width: 150 },
  { title: '考生人数', dataIndex: 'candidates', key: 'candidates', width: 100, align: 'right' },
  {
    title: '场次（点击查看作答情况）',
    key: 'sittings',
    render: (_, plan) =>
      plan.sittings.length ? (
        plan.sittings.map((s) => <SittingLink key={s.id} sitting={s} />)
      ) : (
        <Typography.Text type="secondary">暂无场次</Typography.Text>
      ),
  },
];

export function PlansPage() {
  const plans = useLoader((signal) => api.plans(signal), []);
  return (
    <Card
      title="考试计划"
      extra={
        <Button onClick={plans.reload} loading={plans.refreshing && !plans.loading}>
          刷新
        </Button>
      }
    >
      {plans.error !== undefined && (
        <Alert type="error" showIcon style={{ marginBottom: 16 }} message={`加载考试计划失败：${errorMessage(plans.error)}`} />
      )}
      <Table<PlanSummary>
        rowKey="id"
        columns={columns}
        dataSource={plans.data?.plans ?? []}
        loading={plans.loading}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: '暂无考试计划' }}
      />
    </Card>
  );
}
