import { useState } from 'react';
import { Alert, App, Button, Card, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { api, errorMessage } from '../api';
import { useLoader } from '../hooks';
import { formatRange, LEVEL_LABELS, LEVEL_ORDER, PAPER_LABELS } from '../format';
import { href } from '../router';
import type { PlanSummary, SittingSummary } from '../types';
import { EditPlanModal, NewPlanModal, PresetCopyModal } from './plan-forms';

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
  { title: '计划编号', dataIndex: 'code', key: 'code', width: 96, render: (code: string | null | undefined) => code ?? '—' },
  { title: '考试日期', dataIndex: 'examDate', key: 'examDate', width: 120 },
  { title: '证书', dataIndex: 'certificate', key: 'certificate', width: 150 },
  { title: '考生人数', dataIndex: 'candidates', key: 'candidates', width: 100, align: 'right' },
  {
    title: '场次（点击查看作答情况）',
    key: 'sittings',
    render: (_, plan) =>
      plan.sittings.length ? (
        [...plan.sittings]
          .sort((a, b) => a.startsAt.localeCompare(b.startsAt) || LEVEL_ORDER.indexOf(a.level) - LEVEL_ORDER.indexOf(b.level))
          .map((s) => <SittingLink key={s.id} sitting={s} />)
      ) : (
        <Typography.Text type="secondary">暂无场次</Typography.Text>
      ),
  },
];

export function PlansPage() {
  const plans = useLoader((signal) => api.plans(signal), []);
  const { message } = App.useApp();
  const [creating, setCreating] = useState<'new' | 'preset' | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const created = (p: { name: string; code: string | null }) => {
    setCreating(null);
    void message.success(`已创建考试计划“${p.name}”（计划编号 ${p.code ?? '—'}）`);
    plans.reload();
  };
  const withActions: TableColumnsType<PlanSummary> = [
    ...columns,
    {
      title: '操作',
      key: 'actions',
      width: 72,
      render: (_, plan) => (
        <Button size="small" type="link" onClick={() => setEditing(plan.id)}>
          修改
        </Button>
      ),
    },
  ];
  return (
    <Card
      title="考试计划"
      extra={
        <Space>
          <Button type="primary" onClick={() => setCreating('new')} data-testid="new-plan">
            新建考试计划
          </Button>
          <Button onClick={() => setCreating('preset')} data-testid="copy-preset">
            从 2024 年计划复制
          </Button>
          <Button onClick={plans.reload} loading={plans.refreshing && !plans.loading}>
            刷新
          </Button>
        </Space>
      }
    >
      {plans.error !== undefined && (
        <Alert type="error" showIcon style={{ marginBottom: 16 }} message={`加载考试计划失败：${errorMessage(plans.error)}`} />
      )}
      <Table<PlanSummary>
        rowKey="id"
        columns={withActions}
        dataSource={plans.data?.plans ?? []}
        loading={plans.loading}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: '暂无考试计划' }}
      />
      <NewPlanModal open={creating === 'new'} onClose={() => setCreating(null)} onCreated={created} />
      <PresetCopyModal open={creating === 'preset'} onClose={() => setCreating(null)} onCreated={created} />
      <EditPlanModal
        planId={editing}
        onClose={() => setEditing(null)}
        onSaved={(p) => {
          setEditing(null);
          void message.success(`已保存“${p.name}”`);
          plans.reload();
        }}
      />
    </Card>
  );
}
