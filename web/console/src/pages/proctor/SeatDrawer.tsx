// One seat's details and what a proctor may do about it, in a drawer beside
// the seat map. Every action asks for a reason (ActionModal).

import { useEffect, useState, type ReactNode } from 'react';
import { Alert, Button, Descriptions, Drawer, Empty, Space, Tag, Timeline, Typography } from 'antd';
import { formatDateTime, formatTimeNear, submitReasonLabel } from '../../format';
import { proctorApi, type ProctorAction, type ProctorSitting, type Seat } from '../../proctor/api';
import { actionLabel, ACTION_COLORS, EVENT_LABELS, formatAge, formatDuration, SEAT_STATE_COLORS, SEAT_STATE_LABELS, seatActions, seatNoLabel } from '../../proctor/labels';
import type { ActionRequest } from './ActionModal';

export type SeatActionKey = 'warning' | 'compensation' | 'force-submit' | 'disqualify' | 'absence' | 'absence-cancel' | 'switch-approve' | 'switch-reject';

const SUBMIT_REASON_EXTRA: Record<string, string> = { disqualified: '取消考试资格' };

/** The request (title, form, call) for one action on one seat. */
export function seatRequest(kind: SeatActionKey, seat: Seat, sitting: ProctorSitting, roomId: string): ActionRequest {
  const who = `${seatNoLabel(seat.seatNo)} 号 ${seat.name}（准考证号 ${seat.ticketNo}）`;
  const ids = [sitting.id, roomId, seat.registrationId] as const;
  switch (kind) {
    case 'warning':
      return {
        title: '违纪：警告',
        description: <>给 {who} 一次警告。考生的答题界面会显示这次警告。</>,
        okText: '发出警告',
        reasonPlaceholder: '如：考试中与邻座交谈，经提醒后停止',
        run: ({ reason }) => proctorApi.seatAction(...ids, 'warning', reason),
        done: `已警告 ${seat.name}`,
      };
    case 'compensation':
      return {
        title: '补时',
        description: (
          <>
            给 {who} 延长作答时间（1–60 分钟）。当前截止时间 {formatTimeNear(seat.deadline, sitting.startsAt)}
            {seat.extensionMin > 0 ? `，已补时 ${seat.extensionMin} 分钟` : ''}。
          </>
        ),
        okText: '确认补时',
        minutes: true,
        reasonPlaceholder: '如：计算机故障，更换备用机耗时 6 分钟',
        run: ({ reason, minutes }) => proctorApi.compensation(...ids, minutes, reason),
        done: `已为 ${seat.name} 补时`,
      };
    case 'force-submit':
      return {
        title: '强制交卷',
        description: <>立即收取 {who} 的答卷。已保存的答案将作为最终答卷，考生不能继续作答。</>,
        okText: '强制交卷',
        danger: true,
        reasonPlaceholder: '如：考生身体不适，主动要求结束考试',
        confirm: { title: `确定强制收取 ${seat.name} 的答卷吗？`, content: '交卷后不能撤销，考生不能再作答。', okText: '确定交卷' },
        run: ({ reason }) => proctorApi.seatAction(...ids, 'force-submit', reason),
        done: `已收取 ${seat.name} 的答卷`,
      };
    case 'disqualify':
      return {
        title: '违纪：取消考试资格',
        description: (
          <Alert
            type="error"
            showIcon
            message={<>取消 {who} 本场考试资格</>}
            description="立即收卷并锁定答卷，成绩显示“取消考试资格”，不能通过。此操作不能撤销。"
          />
        ),
        okText: '取消考试资格',
        danger: true,
        reasonLabel: '违纪事实（记入考场情况记录表和操作日志）',
        reasonPlaceholder: '如：考试中使用手机查阅资料，经两名监考员确认',
        confirm: { title: `确定取消 ${seat.name} 的考试资格吗？`, content: '答卷将立即收取并锁定，成绩为“取消考试资格”。此操作不能撤销。', okText: '确定取消资格' },
        run: ({ reason }) => proctorApi.seatAction(...ids, 'disqualify', reason),
        done: `已取消 ${seat.name} 的考试资格`,
      };
    case 'absence':
      return {
        title: '登记缺考',
        description: <>登记 {who} 本场缺考。</>,
        okText: '登记缺考',
        defaultReason: '开考后未入场',
        run: ({ reason }) => proctorApi.absences(sitting.id, roomId, [seat.registrationId], reason),
        done: `已登记 ${seat.name} 缺考`,
      };
    case 'absence-cancel':
      return {
        title: '撤销缺考',
        description: <>撤销 {who} 的缺考登记（原因：{seat.absentReason ?? '—'}）。</>,
        okText: '撤销缺考',
        reasonPlaceholder: '如：考生迟到经主考同意入场',
        run: ({ reason }) => proctorApi.cancelAbsence(...ids, reason),
        done: `已撤销 ${seat.name} 的缺考登记`,
      };
    case 'switch-approve':
      return {
        title: '批准换机',
        description: (
          <>
            {who} 申请在另一台计算机（IP {seat.switchRequest?.ip ?? '未知'}）上继续作答。批准后原计算机不能再保存答案，新计算机接续全部已保存的答案。
          </>
        ),
        okText: '批准换机',
        reasonPlaceholder: '如：原计算机死机，已核对考生身份',
        run: ({ reason }) => proctorApi.decideSwitch(...ids, 'approve', reason),
        done: `已批准 ${seat.name} 换机`,
      };
    case 'switch-reject':
      return {
        title: '拒绝换机',
        description: <>拒绝 {who} 的换机申请。新计算机上会显示拒绝原因。</>,
        okText: '拒绝换机',
        danger: true,
        reasonLabel: '拒绝原因（考生可见）',
        reasonPlaceholder: '如：原计算机运行正常，请回到原座位作答',
        run: ({ reason }) => proctorApi.decideSwitch(...ids, 'reject', reason),
        done: `已拒绝 ${seat.name} 的换机申请`,
      };
  }
}

function count(n: number): ReactNode {
  return n > 0 ? <Typography.Text type="danger" strong>{n}</Typography.Text> : <Typography.Text type="secondary">0</Typography.Text>;
}

/** The candidate's photo (证件照) for checking identity at the door: fetched with the token, revoked when the drawer closes. */
function SeatPhoto({ seat, sittingId, roomId }: { seat: Seat; sittingId: string; roomId: string }) {
  const { registrationId, hasPhoto } = seat;
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    setUrl(null);
    setFailed(false);
    if (!hasPhoto) return;
    let made: string | null = null;
    let cancelled = false;
    proctorApi.photoUrl(sittingId, roomId, registrationId).then(
      (u) => {
        if (cancelled) URL.revokeObjectURL(u);
        else setUrl((made = u));
      },
      () => !cancelled && setFailed(true),
    );
    return () => {
      cancelled = true;
      if (made) URL.revokeObjectURL(made);
    };
  }, [sittingId, roomId, registrationId, hasPhoto]);
  const box = { width: 90, height: 120, flex: 'none', border: '1px solid #f0f0f0', borderRadius: 4, background: '#fafafa', display: 'flex', alignItems: 'center', justifyContent: 'center', overflow: 'hidden' } as const;
  return (
    <div style={box} data-testid="seat-photo" data-has-photo={hasPhoto ? 'true' : 'false'}>
      {url ? (
        <img src={url} alt={`${seat.name}的照片`} style={{ width: '100%', height: '100%', objectFit: 'cover' }} />
      ) : (
        <Typography.Text type="secondary">{!hasPhoto ? '无照片' : failed ? '照片加载失败' : '加载中…'}</Typography.Text>
      )}
    </div>
  );
}

export function SeatDrawer({ seat, sitting, roomId, log, nowMs, onClose, onAction }: {
  seat: Seat | null;
  sitting: ProctorSitting;
  roomId: string;
  log: ProctorAction[];
  nowMs: number;
  onClose: () => void;
  onAction: (kind: SeatActionKey, seat: Seat) => void;
}) {
  const can = seat ? seatActions(seat, sitting.entryClosed) : null;
  const mine = seat ? log.filter((a) => a.registrationId === seat.registrationId) : [];
  const ref = sitting.startsAt;
  const deadlineLeft = seat?.deadline ? Date.parse(seat.deadline) - nowMs : null;
  return (
    <Drawer
      open={seat !== null}
      onClose={onClose}
      width={460}
      // A side panel, not a modal: the seat map, the switch requests and other seats stay at hand.
      mask={false}
      title={seat ? `${seatNoLabel(seat.seatNo)} 号座 · ${seat.name}` : ''}
      extra={seat && <Tag color={SEAT_STATE_COLORS[seat.state]}>{SEAT_STATE_LABELS[seat.state]}</Tag>}
      data-testid="seat-drawer"
      destroyOnHidden
    >
      {seat && can && (
        <div data-testid="seat-details">
          {seat.switchRequest && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 16 }}
              message="考生申请换机"
              description={`新计算机 IP ${seat.switchRequest.ip ?? '未知'}，申请时间 ${formatTimeNear(seat.switchRequest.requestedAt, ref)}`}
              action={
                <Space direction="vertical" size={4}>
                  <Button size="small" type="primary" onClick={() => onAction('switch-approve', seat)} data-testid="drawer-switch-approve">
                    批准
                  </Button>
                  <Button size="small" danger onClick={() => onAction('switch-reject', seat)}>
                    拒绝
                  </Button>
                </Space>
              }
            />
          )}
          {seat.refusals.length > 0 && (
            <Alert
              type="error"
              showIcon
              style={{ marginBottom: 16 }}
              message={`登录被拒 ${seat.refusals.length} 次：计算机不在本考场允许的地址范围内`}
              description={seat.refusals.map((r) => `${r.ip}（${formatTimeNear(r.at, ref)}）`).join('，')}
            />
          )}
          <div style={{ display: 'flex', gap: 16, alignItems: 'flex-start', marginBottom: 16 }} data-testid="seat-identity">
            <SeatPhoto seat={seat} sittingId={sitting.id} roomId={roomId} />
            <div style={{ minWidth: 0 }}>
              <Typography.Title level={4} style={{ margin: 0 }}>
                {seat.name}
              </Typography.Title>
              <div style={{ marginTop: 8 }}>
                <Typography.Text type="secondary">准考证号 </Typography.Text>
                <Typography.Text strong style={{ fontSize: 16 }}>
                  {seat.ticketNo}
                </Typography.Text>
              </div>
              <div style={{ marginTop: 4 }}>
                <Typography.Text type="secondary">座位号 </Typography.Text>
                {seatNoLabel(seat.seatNo)}
              </div>
            </div>
          </div>
          <Descriptions column={1} size="small" bordered styles={{ label: { width: 120 } }}>
            <Descriptions.Item label="签到">
              {seat.signIn === 'signed' ? <Tag color="success">已签到</Tag> : seat.signIn === 'absent' ? <Tag>缺考</Tag> : <Typography.Text type="secondary">未标记</Typography.Text>}
            </Descriptions.Item>
            {seat.state === 'absent' && <Descriptions.Item label="缺考原因">{seat.absentReason ?? '—'}</Descriptions.Item>}
            <Descriptions.Item label="最后保存">
              {seat.lastSaveAt ? (
                <span data-testid="drawer-last-save">
                  {formatTimeNear(seat.lastSaveAt, ref)}（{formatAge(seat.lastSaveAt, nowMs)}）
                </span>
              ) : (
                <Typography.Text type="secondary">未保存</Typography.Text>
              )}
            </Descriptions.Item>
            <Descriptions.Item label="截止时间">
              <span data-testid="drawer-deadline" title={formatDateTime(seat.deadline)}>
                {formatTimeNear(seat.deadline, ref)}
              </span>
              {seat.extensionMin > 0 && (
                <Tag color="blue" style={{ marginLeft: 8 }} data-testid="drawer-extension">
                  已补时 {seat.extensionMin} 分钟
                </Tag>
              )}
              {deadlineLeft !== null && deadlineLeft > 0 && (seat.state === 'answering' || seat.state === 'switch-pending') && (
                <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
                  剩余 {formatDuration(deadlineLeft)}
                </Typography.Text>
              )}
            </Descriptions.Item>
            {seat.submittedAt && (
              <Descriptions.Item label="交卷">
                {formatTimeNear(seat.submittedAt, ref)} · {SUBMIT_REASON_EXTRA[seat.submitReason ?? ''] ?? submitReasonLabel(seat.submitReason)}
              </Descriptions.Item>
            )}
            <Descriptions.Item label="警告">{count(seat.warnings)}</Descriptions.Item>
            <Descriptions.Item label="客户端事件">
              <div style={{ display: 'grid', gridTemplateColumns: 'repeat(2, minmax(0, 1fr))', columnGap: 12, rowGap: 2 }} data-testid="drawer-events">
                {(Object.keys(EVENT_LABELS) as (keyof typeof EVENT_LABELS)[]).map((k) => (
                  <span key={k}>
                    {EVENT_LABELS[k]} {count(seat.events[k] ?? 0)}
                  </span>
                ))}
              </div>
            </Descriptions.Item>
          </Descriptions>

          <Typography.Title level={5} style={{ marginTop: 20 }}>
            处理
          </Typography.Title>
          <Space wrap data-testid="seat-actions">
            {can.warning && (
              <Button onClick={() => onAction('warning', seat)} data-testid="act-warning">
                警告
              </Button>
            )}
            {can.compensation && (
              <Button onClick={() => onAction('compensation', seat)} data-testid="act-compensation">
                补时
              </Button>
            )}
            {can.absence && (
              <Button onClick={() => onAction('absence', seat)} data-testid="act-absence">
                登记缺考
              </Button>
            )}
            {can.cancelAbsence && (
              <Button onClick={() => onAction('absence-cancel', seat)} data-testid="act-absence-cancel">
                撤销缺考
              </Button>
            )}
            {can.forceSubmit && (
              <Button danger onClick={() => onAction('force-submit', seat)} data-testid="act-force-submit">
                强制交卷
              </Button>
            )}
            {can.disqualify && (
              <Button danger type="primary" onClick={() => onAction('disqualify', seat)} data-testid="act-disqualify">
                取消考试资格
              </Button>
            )}
          </Space>
          {!Object.values(can).some(Boolean) && (
            <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
              {seat.state === 'not-signed-in' && !sitting.entryClosed ? '考生尚未登录；入场截止后可登记缺考。' : '该座位当前没有可用的操作。'}
            </Typography.Paragraph>
          )}

          <Typography.Title level={5} style={{ marginTop: 20 }}>
            本座位记录
          </Typography.Title>
          {mine.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无记录" />
          ) : (
            <Timeline
              items={mine.map((a) => ({
                key: a.id,
                children: (
                  <div>
                    <Tag color={(ACTION_COLORS as Record<string, string>)[a.kind]}>{actionLabel(a.kind)}</Tag>
                    {a.minutes ? `${a.minutes} 分钟 · ` : ''}
                    {a.reason}
                    <div style={{ fontSize: 12, color: '#8c8c8c' }}>
                      {formatTimeNear(a.at, ref)} · {a.by ?? '系统'}
                    </div>
                  </div>
                ),
              }))}
            />
          )}
        </div>
      )}
    </Drawer>
  );
}
