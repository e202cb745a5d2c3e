// 打印: 准考证, 考场门贴, 考场桌贴 and 签到表 as PDFs, for the whole site or
// one room, from the published arrangement. Every print is recorded for 考前准备.

import { useState } from 'react';
import { Alert, App, Button, Card, Space, Table, Typography } from 'antd';
import { errorMessage } from '../../../api';
import { useLoader } from '../../../hooks';
import { arrangementApi, PRINT_KINDS, type ArrangedRoom, type PrintKind } from '../../../admin/arrangement';

export function PrintTab({ planId, siteId }: { planId: string; siteId: string }) {
  const { message } = App.useApp();
  const loaded = useLoader((signal) => arrangementApi.arrangement(planId, siteId, signal), [planId, siteId]);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const data = loaded.data;

  const print = async (kind: PrintKind, roomId?: string) => {
    const key = `${kind}/${roomId ?? ''}`;
    setBusy(key);
    setError(null);
    try {
      const name = await arrangementApi.print(kind, planId, siteId, roomId);
      void message.success(`已生成 ${name}`);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };
  const published = data?.state === 'published';
  const buttons = (roomId?: string, size: 'small' | 'middle' = 'middle') => (
    <Space wrap size={8}>
      {PRINT_KINDS.map(({ kind, label }) => (
        <Button
          key={kind}
          size={size}
          type={kind === 'tickets' && !roomId ? 'primary' : 'default'}
          disabled={!published}
          loading={busy === `${kind}/${roomId ?? ''}`}
          onClick={() => void print(kind, roomId)}
          data-testid={`print-${kind}${roomId ? '-room' : ''}`}
        >
          {label}
        </Button>
      ))}
    </Space>
  );

  if (!data) {
    return loaded.error !== undefined ? (
      <Alert type="error" showIcon message={`加载失败：${errorMessage(loaded.error)}`} action={<Button onClick={loaded.reload}>重试</Button>} />
    ) : (
      <Card loading bordered={false} />
    );
  }
  const rooms = data.rooms.filter((r) => r.used > 0);
  return (
    <div data-testid="print-tab">
      {!published && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={data.state === 'none' ? '尚未编排考场，不能打印' : data.everPublished ? '考场编排有改动尚未发布，不能打印' : '考场编排尚未发布，不能打印'}
          description="准考证须写明考场和座位号：请先在“考场编排”中编排并发布。"
        />
      )}
      {error && <Alert type="error" showIcon closable onClose={() => setError(null)} style={{ marginBottom: 16 }} message={error} data-testid="print-error" />}
      <Card size="small" title={`整个考点（${data.totals.placed} 名考生，${rooms.length} 个考场）`} style={{ marginBottom: 16 }}>
        {buttons()}
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '12px 0 0' }}>
          A4 PDF：准考证每人一页；门贴每考场一页；桌贴每页 8 张；签到表每考场每场考试（理论、实操）一份。请在考前三天打印准考证，每次打印都会记入“考前准备”。
        </Typography.Paragraph>
      </Card>
      <Card size="small" title="按考场打印">
        <Table<ArrangedRoom>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={rooms}
          columns={[
            { title: '考场', dataIndex: 'name', width: 160 },
            { title: '等级', dataIndex: 'levelName', width: 70 },
            { title: '考生', dataIndex: 'used', width: 80, render: (v: number) => `${v} 人` },
            { title: '打印', key: 'print', render: (_: unknown, r) => buttons(r.id, 'small') },
          ]}
        />
      </Card>
    </div>
  );
}
