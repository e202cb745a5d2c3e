// 主考: every room of the site in one sitting, live: each room's counts and
// what needs attention (换机申请, 登录被拒, 违纪 …), a link to the room as its
// proctors see it, and a broadcast to the whole site.

import { LoadFailed } from '../../components/LoadFailed';
import { Alert, Breadcrumb, Button, Card, Col, Empty, Row, Space, Typography } from 'antd';
import { errorMessage } from '../../api';
import { useLoader } from '../../hooks';
import { href } from '../../router';
import { proctorApi, type SeatCounts, type SiteRoom } from '../../proctor/api';
import { usePolitePolling, useProctorLive, useServerClock } from '../../proctor/live';
import { BroadcastBox, CountsRow, LiveDownBanner, LiveTag, SittingClock, sittingLine } from './parts';

function sum(rooms: SiteRoom[]): SeatCounts {
  const total: SeatCounts = { total: 0, notSignedIn: 0, waiting: 0, answering: 0, switchPending: 0, submitted: 0, absent: 0, disqualified: 0 };
  for (const r of rooms) for (const k of Object.keys(total) as (keyof SeatCounts)[]) total[k] += r.counts[k] ?? 0;
  return total;
}

function RoomCard({ room, sittingId }: { room: SiteRoom; sittingId: string }) {
  const link = href({ name: 'proctorRoom', sittingId, roomId: room.roomId });
  const alerts = room.alerts;
  return (
    <Card
      size="small"
      data-testid="site-room"
      data-room={room.name}
      style={{ height: '100%', borderColor: alerts > 0 ? '#ffa39e' : undefined }}
      title={
        <a href={link} style={{ color: 'inherit' }}>
          {room.name}
          <Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 12, marginLeft: 8 }}>
            {room.location}
          </Typography.Text>
        </a>
      }
      extra={
        <Button size="small" type="link" href={link} data-testid="site-room-open">
          进入考场
        </Button>
      }
    >
      <div style={{ fontSize: 12, color: '#595959', marginBottom: 8 }}>
        监考员：{room.proctors.length ? room.proctors.map((p) => p.name).join('、') : <Typography.Text type="danger">未安排</Typography.Text>}
      </div>
      <CountsRow counts={room.counts} compact />
      {alerts > 0 ? (
        <div style={{ marginTop: 8, fontSize: 13, color: '#cf1322' }} data-testid="site-room-alerts">
          ⚠ {alerts} 条待关注（换机申请、离开全屏、登录被拒），请进入考场查看
        </div>
      ) : (
        <div style={{ marginTop: 8, fontSize: 12, color: '#389e0d' }}>无异常</div>
      )}
    </Card>
  );
}

export function ChiefSitePage({ sittingId, siteId }: { sittingId: string; siteId: string }) {
  const loaded = useLoader((signal) => proctorApi.site(sittingId, siteId, signal), [sittingId, siteId]);
  const live = useProctorLive(sittingId, { siteId }, usePolitePolling(loaded.reload, loaded.refreshing));
  const data = loaded.data;
  const nowMs = useServerClock(data?.serverNow, loaded.loadedAt);

  const breadcrumb = (
    <Breadcrumb
      style={{ marginBottom: 16 }}
      items={[{ title: <a href={href({ name: 'proctor' })}>监考</a> }, { title: data ? `${data.site.name} · ${data.sitting.name}` : '考点总览' }]}
    />
  );

  if (!data) {
    return (
      <LoadFailed
        breadcrumb={breadcrumb}
        error={loaded.error}
        notFoundTitle="没有找到该考点"
        notFoundText="您不是该考点本场次的主考，或链接有误。"
        back={{ href: href({ name: 'proctor' }), label: '返回我的监考' }}
        onRetry={loaded.reload}
      />
    );
  }

  const rooms = [...data.rooms].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN', { numeric: true }));
  const alerting = rooms.filter((r) => r.alerts > 0).length;
  return (
    <div data-testid="chief-site-page">
      {breadcrumb}
      <Card
        style={{ marginBottom: 16 }}
        title={
          <Space direction="vertical" size={0} style={{ padding: '12px 0' }}>
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="site-title">
              {data.site.name} · 考点总览
            </Typography.Title>
            <Typography.Text style={{ fontWeight: 'normal' }}>
              {data.sitting.name} · {sittingLine(data.sitting)}
            </Typography.Text>
          </Space>
        }
        extra={
          <Space>
            <LiveTag status={live} loadedAt={loaded.loadedAt} />
            <Button onClick={loaded.reload} loading={loaded.refreshing && live !== 'down'}>
              刷新
            </Button>
          </Space>
        }
      >
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', flexWrap: 'wrap', gap: 16 }}>
          <SittingClock sitting={data.sitting} nowMs={nowMs} />
          <CountsRow counts={sum(rooms)} />
        </div>
      </Card>
      <LiveDownBanner status={live} />
      {loaded.error !== undefined && (
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={`刷新失败，显示的是上次的数据：${errorMessage(loaded.error)}`} />
      )}
      {alerting > 0 && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={`${alerting} 个考场有需要处理的情况`} data-testid="site-alerting" />}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          {rooms.length === 0 ? (
            <Card>
              <Empty description="本考点本场次没有考场" />
            </Card>
          ) : (
            <Row gutter={[12, 12]}>
              {rooms.map((r) => (
                <Col key={r.roomId} xs={24} md={12}>
                  <RoomCard room={r} sittingId={data.sitting.id} />
                </Col>
              ))}
            </Row>
          )}
        </Col>
        <Col xs={24} xl={8}>
          <Card size="small" title="全考点广播">
            <BroadcastBox to="全考点" testId="site-broadcast" send={async (m) => {
              await proctorApi.broadcastSite(sittingId, siteId, m);
              loaded.reload();
            }} />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
