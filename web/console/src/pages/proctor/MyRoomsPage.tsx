// 我的监考: the rooms and sittings one is assigned to (a 主考: the whole site),
// by day, today first. The proctor's home page, and the 监考 menu for the
// other roles that may be assigned.

import { Alert, Button, Card, Empty, Space, Table, Tag, Typography } from 'antd';
import { errorMessage } from '../../api';
import { formatRange, levelLabel, PAPER_LABELS } from '../../format';
import { useInterval, useLoader } from '../../hooks';
import { href, type Route } from '../../router';
import { proctorApi, type ProctorRoomItem } from '../../proctor/api';
import { beijingDate, DUTY_LABELS, groupByDay } from '../../proctor/labels';

const WEEKDAYS = '日一二三四五六';

function dayTitle(date: string, when: 'today' | 'coming' | 'past', nowMs: number): string {
  const weekday = WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()];
  const tomorrow = beijingDate(nowMs + 86_400_000);
  const prefix = when === 'today' ? '今天 · ' : date === tomorrow ? '明天 · ' : when === 'past' ? '已结束 · ' : '';
  return `${prefix}${date}（星期${weekday}）`;
}

export function itemRoute(item: ProctorRoomItem): Route {
  return item.roomId
    ? { name: 'proctorRoom', sittingId: item.sittingId, roomId: item.roomId }
    : { name: 'proctorSite', sittingId: item.sittingId, siteId: item.siteId };
}

function phaseTag(item: ProctorRoomItem, nowMs: number) {
  if (nowMs < Date.parse(item.startsAt)) return <Tag>未开始</Tag>;
  if (nowMs < Date.parse(item.endsAt)) return <Tag color="processing">进行中</Tag>;
  return <Tag color="default">已结束</Tag>;
}

export function MyRooms({ embedded = false }: { embedded?: boolean }) {
  const loaded = useLoader((signal) => proctorApi.rooms(signal), []);
  useInterval(loaded.reload, 60_000);
  const now = Date.now();
  const items = loaded.data?.items ?? [];
  const groups = groupByDay(items, now);

  const columns = [
    {
      title: '考试时间',
      key: 'time',
      width: 120,
      render: (_: unknown, r: ProctorRoomItem) => formatRange(r.startsAt, r.endsAt).replace(/^\d{4}-\d{2}-\d{2} /, ''),
    },
    {
      title: '场次',
      key: 'sitting',
      render: (_: unknown, r: ProctorRoomItem) => (
        <div>
          <div>{r.sittingName}</div>
          <Space size={6} style={{ marginTop: 4 }}>
            <Tag color={r.paper === 'theory' ? 'blue' : 'purple'} style={{ margin: 0 }}>
              {PAPER_LABELS[r.paper]}
            </Tag>
            <Tag style={{ margin: 0 }}>{levelLabel(r.level)}</Tag>
            {phaseTag(r, now)}
          </Space>
        </div>
      ),
    },
    { title: '考点', dataIndex: 'siteName', key: 'site', width: 210 },
    {
      title: '考场',
      key: 'room',
      width: 130,
      render: (_: unknown, r: ProctorRoomItem) => (r.roomId ? r.roomName : <Typography.Text strong>全部考场</Typography.Text>),
    },
    {
      title: '职责',
      key: 'duty',
      width: 80,
      render: (_: unknown, r: ProctorRoomItem) => <Tag color={r.duty === 'chief' ? 'gold' : 'green'}>{DUTY_LABELS[r.duty]}</Tag>,
    },
    { title: '考生', dataIndex: 'seats', key: 'seats', width: 80, align: 'right' as const, render: (n: number) => `${n} 人` },
    {
      title: '',
      key: 'open',
      width: 120,
      render: (_: unknown, r: ProctorRoomItem) => (
        <Button type={r.roomId ? 'primary' : 'default'} size="small" href={href(itemRoute(r))} data-testid="open-proctor-room">
          {r.roomId ? '进入考场' : '考点总览'}
        </Button>
      ),
    },
  ];

  const body = (
    <>
      {loaded.error !== undefined && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message={`加载失败：${errorMessage(loaded.error)}`}
          action={<Button onClick={loaded.reload}>重试</Button>}
        />
      )}
      {loaded.data && items.length === 0 && (
        <Empty
          data-testid="no-proctor-rooms"
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={
            <Space direction="vertical" size={4}>
              <span>您目前没有监考安排。</span>
              <Typography.Text type="secondary">考场编排发布、证书负责人安排监考后，您负责的考场和场次会显示在这里。</Typography.Text>
            </Space>
          }
        />
      )}
      {groups.map((g) => (
        <div key={g.date} style={{ marginBottom: 24 }} data-testid="proctor-day" data-when={g.when}>
          <Typography.Title level={5} style={{ marginTop: 0, color: g.when === 'past' ? '#8c8c8c' : undefined }}>
            {dayTitle(g.date, g.when, now)}
          </Typography.Title>
          <Table<ProctorRoomItem>
            rowKey={(r) => `${r.sittingId}/${r.roomId ?? `site:${r.siteId}`}`}
            size="middle"
            pagination={false}
            dataSource={g.items}
            columns={columns}
            onRow={(r) => ({ 'data-testid': 'proctor-room-row', 'data-room': r.roomName ?? '', 'data-duty': r.duty }) as React.HTMLAttributes<HTMLElement>}
          />
        </div>
      ))}
    </>
  );

  return (
    <Card
      title={embedded ? '您负责的考场和场次' : '我的监考'}
      loading={loaded.loading}
      extra={
        <Button onClick={loaded.reload} loading={loaded.refreshing && !loaded.loading}>
          刷新
        </Button>
      }
      data-testid="my-rooms"
    >
      {body}
    </Card>
  );
}

export function MyRoomsPage() {
  return <MyRooms />;
}
