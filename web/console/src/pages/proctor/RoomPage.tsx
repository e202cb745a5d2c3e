// 监考: one room in one sitting, live. The header (sitting, times, countdown on
// the server's clock, entry), the seat map with each seat's state, the
// pending machine switches, the absences to register once entry closes, a
// broadcast, the action log; 考场情况记录表 and 签到表 in their own tabs.

import { LoadFailed } from '../../components/LoadFailed';
import { useCallback, useMemo, useState } from 'react';
import { Alert, Breadcrumb, Button, Card, Col, Empty, Row, Space, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import { errorMessage } from '../../api';
import { formatDateTime, formatTimeNear } from '../../format';
import { useLoader } from '../../hooks';
import { href } from '../../router';
import { getUser } from '../../session';
import { proctorApi, type ProctorAction, type RoomView, type Seat } from '../../proctor/api';
import { usePolitePolling, useProctorLive, useServerClock } from '../../proctor/live';
import { actionLabel, ACTION_COLORS, actionLog, defaultAbsenceReason, DUTY_LABELS, seatNoLabel, type ActionLogRow } from '../../proctor/labels';
import { ActionModal, type ActionRequest } from './ActionModal';
import { BroadcastBox, CountsRow, LiveDownBanner, LiveTag, SittingClock, sittingLine } from './parts';
import { SeatDrawer, seatRequest, type SeatActionKey } from './SeatDrawer';
import { SeatGrid } from './SeatGrid';
import { RecordTab } from './RecordTab';
import { SignInTab } from './SignInTab';

export function RoomPage({ sittingId, roomId }: { sittingId: string; roomId: string }) {
  const loaded = useLoader((signal) => proctorApi.room(sittingId, roomId, signal), [sittingId, roomId]);
  const reload = loaded.reload;
  const live = useProctorLive(sittingId, { roomId }, usePolitePolling(reload, loaded.refreshing));
  const data = loaded.data;
  const nowMs = useServerClock(data?.serverNow, loaded.loadedAt);
  const [open, setOpen] = useState<string | null>(null);
  const [request, setRequest] = useState<ActionRequest | null>(null);
  const [tab, setTab] = useState('seats');
  // The record tab re-reads when the room changes (facts come from the same actions).
  const [recordTick, setRecordTick] = useState(0);
  const done = useCallback(() => {
    reload();
    setRecordTick((t) => t + 1);
  }, [reload]);

  const me = getUser();
  const seesSite = me?.role === 'operator' || Boolean(data?.proctors.some((p) => p.duty === 'chief' && p.userId === me?.id));

  const breadcrumb = (
    <Breadcrumb
      style={{ marginBottom: 16 }}
      items={[
        { title: <a href={href({ name: 'proctor' })}>监考</a> },
        // The site overview is the chief's (and the operator's); a room's proctor sees the site's name only.
        ...(data
          ? [
              {
                title: seesSite ? <a href={href({ name: 'proctorSite', sittingId, siteId: data.room.siteId })}>{data.room.siteName}</a> : data.room.siteName,
              },
            ]
          : []),
        { title: data ? `${data.room.name} · ${data.sitting.name}` : '考场' },
      ]}
    />
  );

  if (!data) {
    return (
      <LoadFailed
        breadcrumb={breadcrumb}
        error={loaded.error}
        notFoundTitle="没有找到该考场"
        notFoundText="您没有该考场本场次的监考安排，或链接有误。"
        back={{ href: href({ name: 'proctor' }), label: '返回我的监考' }}
        onRetry={reload}
      />
    );
  }

  const { sitting, room } = data;
  const seat = open ? (data.seats.find((s) => s.registrationId === open) ?? null) : null;
  const ask = (kind: SeatActionKey, s: Seat) => setRequest(seatRequest(kind, s, sitting, roomId));

  return (
    <div data-testid="proctor-room-page">
      {breadcrumb}
      <Card
        style={{ marginBottom: 16 }}
        title={
          <Space direction="vertical" size={0} style={{ padding: '12px 0' }}>
            <Space size={8} wrap>
              <Typography.Title level={4} style={{ margin: 0 }} data-testid="room-title">
                {room.name}
              </Typography.Title>
              <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
                {room.location} · {room.siteName}
              </Typography.Text>
            </Space>
            <Typography.Text style={{ fontWeight: 'normal' }} data-testid="room-sitting">
              {sitting.name} · {sittingLine(sitting)}
            </Typography.Text>
            <Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 13 }}>
              {data.proctors.length
                ? data.proctors.map((p) => `${DUTY_LABELS[p.duty]} ${p.name}`).join('　')
                : '本考场尚未安排监考员'}
            </Typography.Text>
          </Space>
        }
        extra={
          <Space>
            <LiveTag status={live} loadedAt={loaded.loadedAt} />
            <Button onClick={reload} loading={loaded.refreshing && live !== 'down'}>
              刷新
            </Button>
          </Space>
        }
      >
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', flexWrap: 'wrap', gap: 16 }}>
          <SittingClock sitting={sitting} nowMs={nowMs} />
          <CountsRow counts={data.counts} />
        </div>
      </Card>

      <LiveDownBanner status={live} />
      {loaded.error !== undefined && (
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={`刷新失败，显示的是上次的数据：${errorMessage(loaded.error)}`} />
      )}
      <SwitchRequests data={data} onAction={ask} />
      <AbsenceBanner data={data} onAsk={setRequest} />

      <Card styles={{ body: { paddingTop: 4 } }}>
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            {
              key: 'seats',
              label: '座位图',
              children: (
                <>
                  <SeatGrid seats={data.seats} roomSeats={data.room.seats} seatsPerRow={data.room.seatsPerRow} nowMs={nowMs} startsAt={sitting.startsAt} selected={open} onOpen={(s) => setOpen(s.registrationId)} />
                  <Row gutter={16} style={{ marginTop: 24 }}>
                    <Col xs={24} xl={15}>
                      <ActionLog actions={data.actions} startsAt={sitting.startsAt} onOpenSeat={(id) => setOpen(id)} />
                    </Col>
                    <Col xs={24} xl={9}>
                      <Card size="small" title="广播">
                        <BroadcastBox
                          to="本考场"
                          send={async (m) => {
                            await proctorApi.broadcastRoom(sittingId, roomId, m);
                            done();
                          }}
                        />
                      </Card>
                    </Col>
                  </Row>
                </>
              ),
            },
            {
              key: 'record',
              label: '考场情况记录表',
              children: <RecordTab sittingId={sittingId} roomId={roomId} startsAt={sitting.startsAt} refreshKey={recordTick} />,
            },
            {
              key: 'signin',
              label: '签到表',
              children: <SignInTab sittingId={sittingId} roomId={roomId} seats={data.seats} onChanged={done} />,
            },
          ]}
        />
      </Card>

      <SeatDrawer seat={seat} sitting={sitting} roomId={roomId} log={data.actions} nowMs={nowMs} onClose={() => setOpen(null)} onAction={ask} />
      <ActionModal request={request} onClose={() => setRequest(null)} onDone={done} />
    </div>
  );
}

/** 申请换机: shown above everything while pending. */
function SwitchRequests({ data, onAction }: { data: RoomView; onAction: (kind: SeatActionKey, seat: Seat) => void }) {
  const pending = data.seats.filter((s) => s.switchRequest !== null);
  if (pending.length === 0) return null;
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginBottom: 16, border: '2px solid #fa8c16' }}
      data-testid="switch-requests"
      message={<Typography.Text strong>{pending.length} 名考生申请换机，请核对身份后处理</Typography.Text>}
      description={
        <div style={{ display: 'flex', flexDirection: 'column', gap: 8, marginTop: 8 }}>
          {pending.map((s) => (
            <div key={s.registrationId} style={{ display: 'flex', alignItems: 'center', gap: 12, flexWrap: 'wrap' }} data-testid="switch-request">
              <span>
                <b>{seatNoLabel(s.seatNo)} 号 {s.name}</b>（准考证号 {s.ticketNo}）在新计算机（IP {s.switchRequest!.ip ?? '未知'}）上申请继续作答 ·{' '}
                {formatTimeNear(s.switchRequest!.requestedAt, data.sitting.startsAt)}
              </span>
              <Space>
                <Button type="primary" size="small" onClick={() => onAction('switch-approve', s)} data-testid="switch-approve">
                  批准换机
                </Button>
                <Button danger size="small" onClick={() => onAction('switch-reject', s)} data-testid="switch-reject">
                  拒绝
                </Button>
              </Space>
            </div>
          ))}
        </div>
      }
    />
  );
}

/** Entry has closed: the seats still not in, and one button to register them all absent. */
function AbsenceBanner({ data, onAsk }: { data: RoomView; onAsk: (r: ActionRequest) => void }) {
  const { sitting } = data;
  if (!sitting.entryClosed) return null;
  const suggested = data.suggestedAbsent.map((id) => data.seats.find((s) => s.registrationId === id)).filter((s): s is Seat => Boolean(s));
  if (suggested.length === 0) return null;
  const names = suggested.map((s) => `${seatNoLabel(s.seatNo)} ${s.name}`).join('、');
  const ids = suggested.map((s) => s.registrationId);
  return (
    <Alert
      type="info"
      showIcon
      style={{ marginBottom: 16 }}
      data-testid="absence-banner"
      message={`入场已截止（${formatTimeNear(sitting.entryClosesAt, sitting.startsAt)}），以下 ${suggested.length} 名考生未入场`}
      description={names}
      action={
        <Button
          type="primary"
          data-testid="register-absences"
          onClick={() =>
            onAsk({
              title: `登记缺考（${suggested.length} 人）`,
              description: <>登记以下考生本场缺考：{names}</>,
              okText: `登记缺考（${suggested.length} 人）`,
              defaultReason: defaultAbsenceReason(sitting.startsAt, sitting.entryClosesAt),
              run: ({ reason }) => proctorApi.absences(sitting.id, data.room.id, ids, reason),
              done: `已登记 ${suggested.length} 名考生缺考`,
            })
          }
        >
          登记缺考（{suggested.length} 人）
        </Button>
      }
    />
  );
}

/** What was done in the room, newest first (a bulk absence on one line). */
function ActionLog({ actions, startsAt, onOpenSeat }: { actions: ProctorAction[]; startsAt: string; onOpenSeat: (registrationId: string) => void }) {
  const rows = useMemo(() => actionLog(actions), [actions]);
  return (
    <Card size="small" title={`操作记录（${actions.length}）`} data-testid="action-log" styles={{ body: { padding: rows.length ? 0 : undefined } }}>
      {rows.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="本场暂无操作记录" />
      ) : (
        <Table<ActionLogRow>
          rowKey="key"
          size="small"
          pagination={rows.length > 10 ? { pageSize: 10, size: 'small', showSizeChanger: false } : false}
          dataSource={rows}
          onRow={() => ({ 'data-testid': 'action-row' }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            {
              title: '时间',
              key: 'at',
              width: 84,
              render: (_: unknown, { action: a }) => <span title={formatDateTime(a.at)}>{formatTimeNear(a.at, startsAt)}</span>,
            },
            {
              title: '操作',
              key: 'kind',
              width: 150,
              render: (_: unknown, { action: a }) => (
                <Tag color={(ACTION_COLORS as Record<string, string>)[a.kind]} style={{ margin: 0 }}>
                  {actionLabel(a.kind)}
                  {a.minutes ? ` ${a.minutes} 分钟` : ''}
                </Tag>
              ),
            },
            {
              title: '考生',
              key: 'who',
              width: 110,
              render: (_: unknown, { action: a, people }) =>
                people.length > 1 ? (
                  <Tooltip title={people.map((p) => `${seatNoLabel(p.seatNo)} ${p.name ?? ''}`).join('、')}>
                    <Typography.Text underline style={{ cursor: 'help' }}>
                      {people.length} 人
                    </Typography.Text>
                  </Tooltip>
                ) : a.registrationId ? (
                  <a onClick={() => onOpenSeat(a.registrationId!)}>
                    {seatNoLabel(a.seatNo)} {a.name}
                  </a>
                ) : (
                  <Typography.Text type="secondary">全体</Typography.Text>
                ),
            },
            { title: '原因 / 内容', key: 'reason', render: (_: unknown, { action: a }) => <span style={{ wordBreak: 'break-all' }}>{a.reason}</span> },
            { title: '操作人', key: 'by', width: 110, render: (_: unknown, { action: a }) => a.by ?? <Typography.Text type="secondary">系统</Typography.Text> },
          ]}
        />
      )}
    </Card>
  );
}
