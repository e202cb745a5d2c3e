import { Alert, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { autoStateLabel, checkVerdictLabel, formatPoints } from '../format';
import type { MarkingCheckResult, MarkingItem } from '../types';

function verdictColor(verdict: string): string {
  if (verdict === 'passed') return 'success';
  if (verdict === 'sandbox-error') return 'warning';
  return 'error';
}

const columns: TableColumnsType<MarkingCheckResult> = [
  {
    title: '检查项',
    key: 'name',
    render: (_, c) => (
      <Space size={4}>
        <span>{c.name}</span>
        {c.sample && <Tag>样例</Tag>}
      </Space>
    ),
  },
  { title: '结果', dataIndex: 'verdict', key: 'verdict', width: 96, render: (v: string) => <Tag color={verdictColor(v)}>{checkVerdictLabel(v)}</Tag> },
  { title: '得分', key: 'points', width: 80, align: 'right', render: (_, c) => `${formatPoints(c.earned)} / ${formatPoints(c.points)}` },
  { title: '说明', dataIndex: 'message', key: 'message', render: (m: string) => m || '—' },
];

/** The automatic checks' results, for the grader's information (they are scored apart from the rubric). */
export function ChecksView({ item }: { item: MarkingItem }) {
  if (item.task.checks.length === 0) return null;
  const result = item.checks;
  if (!result) {
    return (
      <Alert
        type={item.autoState === 'failed' ? 'error' : 'info'}
        showIcon
        message={`自动检查：${autoStateLabel(item.autoState)}`}
        description={item.autoState === 'failed' ? '自动检查未能完成，请联系运营管理员。' : '自动检查尚未完成，完成后重新打开本答卷即可看到结果。'}
      />
    );
  }
  return (
    <div data-testid="marking-checks">
      <Typography.Paragraph style={{ marginBottom: 8 }}>
        自动得分 <Typography.Text strong>{formatPoints(result.earned)}</Typography.Text> / {formatPoints(result.max)} 分
        <Typography.Text type="secondary">（自动检查另行计分，不计入下方评分细则）</Typography.Text>
      </Typography.Paragraph>
      <Table<MarkingCheckResult> rowKey="id" size="small" columns={columns} dataSource={result.checks} pagination={false} />
    </div>
  );
}
