// Pieces shared by the room page and the chief's site page: the countdown on
// the server's clock, the live connection's state, the counts, the broadcast box.

import { useState } from 'react';
import { Alert, App, Button, Input, Space, Tag, Tooltip, Typography } from 'antd';
import { errorMessage } from '../../api';
import { formatRange, formatTimeNear, formatTimeOfDay, levelLabel, PAPER_LABELS } from '../../format';
import type { LiveStatus } from '../../proctor/live';
import type { ProctorSitting, SeatCounts } from '../../proctor/api';
import { COUNT_KEYS, countdown, SEAT_STATE_LABELS, SEAT_STATE_ORDER, SEAT_STATE_TINTS } from '../../proctor/labels';

/** 距开考 / 距结束 on the server's clock, and whether entry is still open. */
export function SittingClock({ sitting, nowMs }: { sitting: ProctorSitting; nowMs: number }) {
  const c = countdown(sitting.startsAt, sitting.endsAt, nowMs);
  const entryClosed = sitting.entryClosed || nowMs >= Date.parse(sitting.entryClosesAt);
  return (
    <div style={{ display: 'flex', alignItems: 'center', gap: 24 }}>
      <div data-testid="sitting-countdown" data-phase={c.phase}>
        <div style={{ fontSize: 12, color: '#8c8c8c' }}>{c.label}</div>
        <div
          style={{
            fontSize: 28,
            fontWeight: 600,
            lineHeight: '36px',
            fontVariantNumeric: 'tabular-nums',
            color: c.phase === 'during' && Date.parse(sitting.endsAt) - nowMs < 5 * 60_000 ? '#cf1322' : c.phase === 'after' ? '#8c8c8c' : '#262626',
          }}
        >
          {c.phase === 'after' ? '—' : c.value}
        </div>
      </div>
      <div data-testid="entry-state">
        <div style={{ fontSize: 12, color: '#8c8c8c' }}>入场</div>
        <div style={{ lineHeight: '36px' }}>
          {entryClosed ? (
            <Tag color="default" style={{ margin: 0 }}>
              已截止（{formatTimeNear(sitting.entryClosesAt, sitting.startsAt)}）
            </Tag>
          ) : (
            <Tag color="green" style={{ margin: 0 }}>
              {formatTimeNear(sitting.entryClosesAt, sitting.startsAt)} 前可入场
            </Tag>
          )}
        </div>
      </div>
      <div>
        <div style={{ fontSize: 12, color: '#8c8c8c' }}>北京时间（服务器）</div>
        <div style={{ lineHeight: '36px', fontVariantNumeric: 'tabular-nums' }} data-testid="server-time">
          {formatTimeOfDay(nowMs)}
        </div>
      </div>
    </div>
  );
}

/** "理论 · 初级 · 2026-07-18 09:00–10:30" */
export function sittingLine(sitting: ProctorSitting): string {
  return `${PAPER_LABELS[sitting.paper]} · ${levelLabel(sitting.level)} · ${formatRange(sitting.startsAt, sitting.endsAt)}（北京时间）`;
}

export function LiveTag({ status, loadedAt }: { status: LiveStatus; loadedAt: number | null }) {
  const when = loadedAt ? `更新于 ${formatTimeOfDay(loadedAt)}` : '';
  if (status === 'live')
    return (
      <Tooltip title={`实时连接正常，考生状态变化会立即显示 · ${when}`}>
        <Tag color="success" data-testid="live-status" data-status="live">
          ● 实时
        </Tag>
      </Tooltip>
    );
  if (status === 'connecting')
    return (
      <Tag color="processing" data-testid="live-status" data-status="connecting">
        连接中…
      </Tag>
    );
  return (
    <Tag color="error" data-testid="live-status" data-status="down">
      连接中断
    </Tag>
  );
}

export function LiveDownBanner({ status }: { status: LiveStatus }) {
  if (status !== 'down') return null;
  return <Alert type="warning" showIcon banner style={{ marginBottom: 16 }} message="实时连接中断，每 2 秒刷新" data-testid="live-down" />;
}

/** The seats by state, as small coloured boxes. */
export function CountsRow({ counts, compact = false }: { counts: SeatCounts; compact?: boolean }) {
  return (
    <div style={{ display: 'flex', flexWrap: 'wrap', gap: compact ? 4 : 8 }} data-testid="seat-counts">
      <CountBox label="考生" value={counts.total} tint={{ bg: '#fff', border: '#d9d9d9' }} compact={compact} />
      {SEAT_STATE_ORDER.map((state) => {
        const value = counts[COUNT_KEYS[state]] ?? 0;
        if (compact && value === 0) return null;
        return <CountBox key={state} label={SEAT_STATE_LABELS[state]} value={value} tint={SEAT_STATE_TINTS[state]} compact={compact} state={state} />;
      })}
    </div>
  );
}

function CountBox({ label, value, tint, compact, state }: { label: string; value: number; tint: { bg: string; border: string }; compact: boolean; state?: string }) {
  return (
    <div
      data-testid="seat-count"
      data-state={state ?? 'total'}
      style={{
        background: tint.bg,
        border: `1px solid ${tint.border}`,
        borderRadius: 6,
        padding: compact ? '0 8px' : '2px 12px',
        minWidth: compact ? undefined : 72,
        textAlign: compact ? undefined : 'center',
        opacity: value === 0 && state ? 0.6 : 1,
      }}
    >
      {compact ? (
        <span style={{ fontSize: 12 }}>
          {label} <b>{value}</b>
        </span>
      ) : (
        <>
          <div style={{ fontSize: 12, color: '#595959' }}>{label}</div>
          <div style={{ fontSize: 18, fontWeight: 600, lineHeight: '24px' }}>{value}</div>
        </>
      )}
    </div>
  );
}

/** 广播: a message of at most 200 characters to every candidate of the room (or site). */
export function BroadcastBox({ to, send, testId = 'broadcast' }: { to: string; send: (message: string) => Promise<unknown>; testId?: string }) {
  const { message } = App.useApp();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const go = async () => {
    const m = text.trim();
    if (!m) return;
    setBusy(true);
    setError(null);
    try {
      await send(m);
      setText('');
      void message.success(`已向${to}广播`);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div data-testid={testId}>
      <Input.TextArea
        rows={3}
        maxLength={200}
        showCount
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder={`发给${to}所有考生的消息，如：请考生检查答题卡是否全部作答`}
        data-testid={`${testId}-text`}
      />
      {error && <Alert type="error" showIcon style={{ marginTop: 8 }} message={error} />}
      <Space style={{ marginTop: 24, justifyContent: 'space-between', width: '100%' }}>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          考生端会立即显示，并记入操作记录。
        </Typography.Text>
        <Button type="primary" loading={busy} disabled={!text.trim()} onClick={() => void go()} data-testid={`${testId}-send`}>
          发送广播
        </Button>
      </Space>
    </div>
  );
}
