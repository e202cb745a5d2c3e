// 考场编排: options (隔位就座), 编排, the problems, per room the seat map, the
// candidates without a seat, and 发布. Once published, a re-run keeps every seat.

import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Descriptions, Empty, Popconfirm, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { errorMessage } from '../../../api';
import { useLoader } from '../../../hooks';
import { formatDateTime, seatLayoutLabel } from '../../../format';
import { arrangementApi, STATE_COLORS, STATE_LABELS, type Arrangement, type UnplacedCandidate } from '../../../admin/arrangement';
import { ClassLegend, SeatMap, classColours } from './SeatMap';

export function ArrangeTab({ planId, siteId }: { planId: string; siteId: string }) {
  const { message } = App.useApp();
  const loaded = useLoader((signal) => arrangementApi.arrangement(planId, siteId, signal), [planId, siteId]);
  const [fresh, setFresh] = useState<Arrangement | null>(null);
  useEffect(() => setFresh(null), [loaded.data]);
  const data = fresh ?? loaded.data;
  const [everyOther, setEveryOther] = useState<boolean | null>(null);
  const [busy, setBusy] = useState<'run' | 'publish' | null>(null);
  const [runMessage, setRunMessage] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const colours = useMemo(() => classColours((data?.rooms ?? []).flatMap((r) => r.seats.map((s) => s.className))), [data]);

  if (!data) {
    return loaded.error !== undefined ? (
      <Alert type="error" showIcon message={`加载考场编排失败：${errorMessage(loaded.error)}`} action={<Button onClick={loaded.reload}>重试</Button>} />
    ) : (
      <Card loading bordered={false} />
    );
  }
  const option = everyOther ?? data.options.everyOtherSeat;

  const run = async () => {
    setBusy('run');
    setActionError(null);
    try {
      const r = await arrangementApi.run(planId, siteId, option);
      setFresh(r);
      setRunMessage(r.run.message);
      setEveryOther(null);
    } catch (err) {
      setActionError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };
  const publish = async () => {
    setBusy('publish');
    setActionError(null);
    try {
      setFresh(await arrangementApi.publish(planId, siteId));
      setRunMessage(null);
      void message.success('考场编排已发布，可以打印准考证等资料');
    } catch (err) {
      setActionError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };

  const nothing = data.totals.registered === 0;
  return (
    <div data-testid="arrange-tab">
      <Descriptions size="small" column={{ xs: 1, sm: 2, md: 2, lg: 3, xl: 4, xxl: 4 }} style={{ marginBottom: 12 }}>
        <Descriptions.Item label="状态">
          <Tag color={STATE_COLORS[data.state]} data-testid="arrangement-state">
            {STATE_LABELS[data.state]}
          </Tag>
        </Descriptions.Item>
        <Descriptions.Item label="报考">{data.totals.registered} 人</Descriptions.Item>
        <Descriptions.Item label="已安排座位">
          <span data-testid="arrangement-placed">
            {data.totals.placed} 人{data.totals.unplaced > 0 && <Typography.Text type="danger">（未安排 {data.totals.unplaced} 人）</Typography.Text>}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label="可用考位">
          {data.totals.capacity} 个（{data.rooms.length} 个考场{data.options.everyOtherSeat ? '，隔位就座' : ''}）
        </Descriptions.Item>
        {data.totals.byLevel.map((l) => (
          <Descriptions.Item key={l.level} label={l.levelName}>
            {l.placed}/{l.registered} 人，{l.rooms} 个考场
          </Descriptions.Item>
        ))}
        {data.publishedAt && (
          <Descriptions.Item label="发布">
            {formatDateTime(data.publishedAt).slice(0, 16)}
            {data.publishedBy ? `（${data.publishedBy}）` : ''}
          </Descriptions.Item>
        )}
      </Descriptions>

      <Space wrap size={12} style={{ marginBottom: 16 }}>
        <Tooltip title="每个考位之间的距离不足 1 米时隔位而坐：只用单号座位，每个考场可排的人数减半">
          <Checkbox checked={option} onChange={(e) => setEveryOther(e.target.checked)} data-testid="every-other-seat">
            隔位就座
          </Checkbox>
        </Tooltip>
        <Button type="primary" onClick={run} loading={busy === 'run'} disabled={nothing || data.rooms.length === 0} data-testid="run-arrangement">
          {data.state === 'none' ? '编排' : '重新编排'}
        </Button>
        <Popconfirm
          title="发布考场编排？"
          description={<div style={{ maxWidth: 320 }}>发布后考生的考场和座位即固定：之后再编排只会把新报考的考生排入空位。发布后可以打印准考证、门贴、桌贴和签到表。</div>}
          okText="发布"
          cancelText="取消"
          onConfirm={publish}
          disabled={!data.canPublish}
        >
          <Button disabled={!data.canPublish} loading={busy === 'publish'} data-testid="publish-arrangement">
            发布
          </Button>
        </Popconfirm>
        {data.everPublished && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            已发布过的编排重新编排时保留每位考生的座位，新报考的考生排入空位
          </Typography.Text>
        )}
      </Space>

      {actionError && <Alert type="error" showIcon closable onClose={() => setActionError(null)} style={{ marginBottom: 12 }} message={actionError} data-testid="arrangement-error" />}
      {runMessage && <Alert type="success" showIcon closable onClose={() => setRunMessage(null)} style={{ marginBottom: 12 }} message={runMessage} data-testid="run-message" />}
      {data.state !== 'published' && data.publishBlocker && data.state !== 'none' && (
        <Alert type="info" showIcon style={{ marginBottom: 12 }} message={`暂不能发布：${data.publishBlocker}`} data-testid="publish-blocker" />
      )}
      {data.problems.map((p) => (
        <Alert key={p} type="warning" showIcon style={{ marginBottom: 8 }} message={p} data-testid="arrangement-problem" />
      ))}
      {nothing && <Empty description="本考核站点在该考试计划中还没有报考的考生" />}
      {!nothing && data.rooms.length === 0 && <Empty description="本考核站点还没有考场，请先在“考核站点”中设置考场" />}
      {!nothing && data.state === 'none' && data.rooms.length > 0 && (
        <Alert type="info" showIcon style={{ marginBottom: 12 }} message={`尚未编排：报考 ${data.totals.registered} 人，${data.rooms.length} 个考场共 ${data.totals.capacity} 个考位。点击“编排”自动安排考场和座位（每个考场一个级别，同班考生前后左右错开）。`} />
      )}

      {data.state !== 'none' && (
        <>
          <div style={{ margin: '4px 0 12px' }}>
            <ClassLegend colours={colours} />
          </div>
          {data.rooms.map((room) => (
            <Card
              key={room.id}
              size="small"
              style={{ marginBottom: 16 }}
              data-testid="room-card"
              title={
                <Space size={8} wrap>
                  <span>{room.name}</span>
                  {room.levelName ? <Tag color="blue">{room.levelName}</Tag> : <Tag>未使用</Tag>}
                  <Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 12 }}>
                    {room.location} · {seatLayoutLabel(room.totalSeats, room.seatsPerRow)}
                  </Typography.Text>
                </Space>
              }
              extra={
                <Space size={8}>
                  <span data-testid="room-usage">
                    {room.used}/{room.capacity} 人
                  </span>
                  {room.used > 0 &&
                    (room.adjacentSameClass > 0 ? <Tag color="error">同班相邻 {room.adjacentSameClass} 对</Tag> : <Tag color="success">无同班相邻</Tag>)}
                </Space>
              }
            >
              <SeatMap room={room} everyOtherSeat={data.options.everyOtherSeat} colours={colours} />
            </Card>
          ))}
          {data.unplaced.length > 0 && <UnplacedTable rows={data.unplaced} />}
        </>
      )}
    </div>
  );
}

function UnplacedTable({ rows }: { rows: UnplacedCandidate[] }) {
  return (
    <Card size="small" title={`未安排座位的考生（${rows.length} 人）`} data-testid="unplaced">
      <Table<UnplacedCandidate>
        size="small"
        rowKey="registrationId"
        dataSource={rows}
        pagination={rows.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
        columns={[
          { title: '准考证号', dataIndex: 'ticketNo', width: 170 },
          { title: '姓名', dataIndex: 'name', width: 120 },
          { title: '等级', dataIndex: 'levelName', width: 80 },
          { title: '班级', dataIndex: 'className', render: (v: string | null) => v ?? '—' },
          { title: '', dataIndex: 'registeredSinceRun', width: 140, render: (v: boolean) => (v ? <Tag color="processing">编排后报考</Tag> : <Tag color="error">考位不足</Tag>) },
        ]}
      />
    </Card>
  );
}
