import { Alert, Button, Card, Table, type TableColumnsType } from 'antd';
import { errorMessage } from '../api';
import type { Loaded } from '../hooks';
import { LEVEL_LABELS, LEVEL_ORDER, QUESTION_TYPE_LABELS, QUESTION_TYPE_ORDER } from '../format';
import type { BankSummary, ItemType, Level } from '../types';

interface Row {
  key: string;
  label: string;
  counts: Record<ItemType, number>;
  total: number;
}

/** Levels × question and task types; every level is shown, also with no questions. */
export function bankTable(summary: BankSummary): Row[] {
  const blank = (): Record<ItemType, number> => Object.fromEntries(QUESTION_TYPE_ORDER.map((t) => [t, 0])) as Record<ItemType, number>;
  const byLevel = new Map<Level, Record<ItemType, number>>(LEVEL_ORDER.map((l) => [l, blank()]));
  for (const r of summary.rows) {
    const counts = byLevel.get(r.level);
    if (counts) counts[r.type] += r.count;
  }
  const rows: Row[] = LEVEL_ORDER.map((level) => {
    const counts = byLevel.get(level) ?? blank();
    return { key: level, label: LEVEL_LABELS[level], counts, total: QUESTION_TYPE_ORDER.reduce((s, t) => s + counts[t], 0) };
  });
  const all = blank();
  for (const r of rows) for (const t of QUESTION_TYPE_ORDER) all[t] += r.counts[t];
  rows.push({ key: 'total', label: '合计', counts: all, total: rows.reduce((s, r) => s + r.total, 0) });
  return rows;
}

const columns: TableColumnsType<Row> = [
  { title: '等级', dataIndex: 'label', key: 'label', render: (label: string, r) => (r.key === 'total' ? <strong>{label}</strong> : label) },
  ...QUESTION_TYPE_ORDER.map((t) => ({
    title: QUESTION_TYPE_LABELS[t],
    key: t,
    align: 'right' as const,
    render: (_: unknown, r: Row) => r.counts[t],
  })),
  { title: '合计', dataIndex: 'total', key: 'total', align: 'right', render: (n: number) => <strong>{n}</strong> },
];

export function BankSummaryCard({ summary }: { summary: Loaded<BankSummary> }) {
  return (
    <Card
      title="题库统计（启用中的理论题与实操题）"
      style={{ marginBottom: 24 }}
      extra={
        <Button onClick={summary.reload} loading={summary.refreshing && !summary.loading}>
          刷新
        </Button>
      }
    >
      {summary.error !== undefined && (
        <Alert type="error" showIcon style={{ marginBottom: 16 }} message={`加载题库统计失败：${errorMessage(summary.error)}`} />
      )}
      <Table<Row>
        data-testid="bank-summary"
        size="middle"
        columns={columns}
        dataSource={summary.data ? bankTable(summary.data) : []}
        loading={summary.loading}
        pagination={false}
        rowClassName={(r) => (r.key === 'total' ? 'bank-total-row' : '')}
      />
    </Card>
  );
}
