// 环境检测 of a site: the latest check per room and seat, failures highlighted.
// Candidate machines post them from /exam/#/check; shown to the operator, the
// coordinator and the site technician (others get 403 and see nothing here).

import { Alert, Button, Card, Collapse, Empty, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { ApiError, errorMessage, request } from '../api';
import { useLoader } from '../hooks';
import { formatDateTime } from '../format';

interface SeatCheck {
  seatNo: number;
  at: string;
  passed: boolean;
  failures: string[];
  ip: string;
  browser: string;
  browserVersion: number | null;
  screen: string;
  latencyMs: number | null;
  clockOffsetMs: number | null;
}
interface EnvCheckView {
  site: { id: string; code: string; name: string };
  rooms: { id: string; name: string; seats: number; checked: number; failed: number; checks: SeatCheck[] }[];
}

export function EnvCheckCard({ siteId }: { siteId: string }) {
  const loaded = useLoader((signal) => request<EnvCheckView>('GET', `/api/console/env-checks?siteId=${encodeURIComponent(siteId)}`, { signal }), [siteId]);
  if (loaded.error instanceof ApiError && (loaded.error.status === 403 || loaded.error.status === 404)) return null;
  const view = loaded.data;
  return (
    <Card
      title="环境检测"
      data-testid="env-check-card"
      loading={!view && loaded.loading}
      extra={
        <Space>
          <Typography.Text type="secondary">考生机打开 /exam/#/check 检测并提交{view ? `（站点代码 ${view.site.code}）` : ''}</Typography.Text>
          <Button size="small" onClick={loaded.reload}>
            刷新
          </Button>
        </Space>
      }
    >
      {loaded.error !== undefined && <Alert type="error" showIcon message={`加载失败：${errorMessage(loaded.error)}`} />}
      {view && view.rooms.every((r) => r.checked === 0) && <Empty description="还没有考生机提交检测结果" />}
      {view && view.rooms.some((r) => r.checked > 0) && (
        <Collapse
          defaultActiveKey={view.rooms.filter((r) => r.failed > 0).map((r) => r.id)}
          items={view.rooms.map((r) => ({
            key: r.id,
            label: (
              <Space>
                <span>{r.name}</span>
                <Tag>已检测 {r.checked} / {r.seats} 座</Tag>
                {r.failed > 0 ? <Tag color="error">{r.failed} 台不通过</Tag> : r.checked > 0 ? <Tag color="success">全部通过</Tag> : null}
              </Space>
            ),
            children: (
              <Table<SeatCheck>
                size="small"
                rowKey="seatNo"
                pagination={false}
                dataSource={r.checks}
                onRow={(c) => ({ style: c.passed ? undefined : { background: '#fff1f0' } })}
                columns={[
                  { title: '座位', dataIndex: 'seatNo', width: 64 },
                  {
                    title: '结果', key: 'passed', width: 90,
                    render: (_, c) => (c.passed ? <Tag color="success">通过</Tag> : <Tag color="error">不通过</Tag>),
                  },
                  { title: '问题', key: 'failures', render: (_, c) => (c.failures.length ? c.failures.join('；') : '—') },
                  { title: '浏览器', key: 'browser', width: 110, render: (_, c) => `${c.browser}${c.browserVersion === null ? '' : ` ${c.browserVersion}`}` },
                  { title: '屏幕', dataIndex: 'screen', width: 100 },
                  { title: '延迟', key: 'latency', width: 80, render: (_, c) => (c.latencyMs === null ? '—' : `${c.latencyMs} ms`) },
                  {
                    title: '检测时间', key: 'at', width: 160,
                    render: (_, c) => <Tooltip title={`IP ${c.ip}`}>{formatDateTime(c.at)}</Tooltip>,
                  },
                ]}
              />
            ),
          }))}
        />
      )}
    </Card>
  );
}
