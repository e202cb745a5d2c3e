// The room's seats, row by row from the front (讲台), as many to a row as the
// room has (its 每排座位数): number, name, state, how long ago the last answer
// was saved (on the server's clock, ticking every second), and what the client
// reported (离开全屏, 切换窗口, 重连, 另一台机器), warnings, refused sign-ins.
// Click a seat for its details.

import { Tag, Tooltip, Typography } from 'antd';
import { formatTimeNear } from '../../format';
import type { Seat } from '../../proctor/api';
import { eventBadges, formatAge, SEAT_STATE_COLORS, SEAT_STATE_LABELS, SEAT_STATE_TINTS, seatNoLabel } from '../../proctor/labels';

const ellipsis = { whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' } as const;
const small = { fontSize: 11, lineHeight: '16px', padding: '0 4px', margin: 0 } as const;

/** The third line of a seat: the save age while answering, the hand-in time after, … */
function statusLine(seat: Seat, nowMs: number, startsAt: string): { text: string; stale: boolean } {
  switch (seat.state) {
    case 'answering':
    case 'switch-pending': {
      const age = formatAge(seat.lastSaveAt, nowMs);
      const stale = seat.lastSaveAt !== null && nowMs - Date.parse(seat.lastSaveAt) > 10 * 60_000;
      return { text: seat.lastSaveAt ? `${age}保存` : '尚未保存答案', stale };
    }
    case 'submitted':
    case 'disqualified':
      return { text: `交卷 ${formatTimeNear(seat.submittedAt, startsAt)}`, stale: false };
    case 'waiting':
      return { text: '已登录，待入场', stale: false };
    case 'absent':
      return { text: '已登记缺考', stale: false };
    default:
      return { text: seat.ticketNo, stale: false };
  }
}

function SeatCell({ seat, nowMs, startsAt, selected, onOpen }: { seat: Seat; nowMs: number; startsAt: string; selected: boolean; onOpen: (seat: Seat) => void }) {
  const tint = SEAT_STATE_TINTS[seat.state];
  const line = statusLine(seat, nowMs, startsAt);
  const badges = eventBadges(seat.events);
  const pending = seat.state === 'switch-pending';
  return (
    <div
      role="button"
      tabIndex={0}
      data-testid="proctor-seat"
      data-seat-no={seat.seatNo}
      data-state={seat.state}
      aria-label={`${seat.seatNo} 号座 ${seat.name} ${SEAT_STATE_LABELS[seat.state]}`}
      onClick={() => onOpen(seat)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onOpen(seat);
        }
      }}
      style={{
        background: tint.bg,
        border: pending ? `2px solid ${tint.border}` : `1px solid ${tint.border}`,
        boxShadow: selected ? '0 0 0 2px #1668dc' : pending ? '0 0 0 3px rgba(250, 140, 22, 0.25)' : undefined,
        borderRadius: 6,
        padding: pending ? '4px 6px' : '5px 7px',
        minHeight: 92,
        minWidth: 0,
        cursor: 'pointer',
        opacity: seat.state === 'absent' ? 0.75 : 1,
      }}
    >
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 4 }}>
        <span style={{ fontSize: 12, color: '#8c8c8c', fontVariantNumeric: 'tabular-nums' }}>{seatNoLabel(seat.seatNo)}</span>
        <Tag color={SEAT_STATE_COLORS[seat.state]} style={small} data-testid="seat-state">
          {SEAT_STATE_LABELS[seat.state]}
        </Tag>
      </div>
      <div style={{ ...ellipsis, fontWeight: 600, fontSize: 14, lineHeight: '22px', textDecoration: seat.state === 'absent' ? 'line-through' : undefined }} data-testid="seat-name">
        {seat.name}
      </div>
      <div
        style={{ ...ellipsis, fontSize: 11, lineHeight: '16px', color: line.stale ? '#d46b08' : '#595959' }}
        data-testid="seat-line"
        title={seat.state === 'absent' ? `缺考原因：${seat.absentReason ?? '—'}` : seat.state === 'answering' && seat.lastSaveAt ? '最后一次保存答案' : undefined}
      >
        {line.text}
      </div>
      {(badges.length > 0 || seat.warnings > 0 || seat.refusals.length > 0 || seat.extensionMin > 0) && (
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 3, marginTop: 3 }} data-testid="seat-badges">
          {seat.refusals.length > 0 && (
            <Tooltip title={`登录被拒（不在本考场地址范围内）：${seat.refusals.map((r) => `${r.ip}（${formatTimeNear(r.at, startsAt)}）`).join('，')}`}>
              <Tag color="red" style={small} data-testid="seat-refusal">
                ⚠ 登录被拒 {seat.refusals.length}
              </Tag>
            </Tooltip>
          )}
          {badges.map((b) => (
            <Tag key={b} color={b === '另一台机器' ? 'volcano' : 'orange'} style={small}>
              {b}
            </Tag>
          ))}
          {seat.warnings > 0 && (
            <Tag color="red" style={small}>
              警告 {seat.warnings}
            </Tag>
          )}
          {seat.extensionMin > 0 && (
            <Tag color="blue" style={small}>
              补时 {seat.extensionMin} 分
            </Tag>
          )}
        </div>
      )}
    </div>
  );
}

function EmptySeat({ seatNo }: { seatNo: number }) {
  return (
    <div style={{ border: '1px dashed #e8e8e8', borderRadius: 6, minHeight: 92, padding: '5px 7px', color: '#d9d9d9', fontSize: 12 }}>
      {seatNoLabel(seatNo)}
    </div>
  );
}

export function SeatGrid({
  seats, roomSeats, seatsPerRow, nowMs, startsAt, selected, onOpen,
}: { seats: Seat[]; roomSeats: number; seatsPerRow: number; nowMs: number; startsAt: string; selected: string | null; onOpen: (seat: Seat) => void }) {
  const bySeat = new Map(seats.map((s) => [s.seatNo, s]));
  const last = Math.max(roomSeats, ...seats.map((s) => s.seatNo));
  // Every seat of the room is drawn; unused ones (隔位就座, empty back rows) stay as gaps, so the map matches the room.
  const cells = [];
  for (let n = 1; n <= last; n++) {
    const seat = bySeat.get(n);
    cells.push(
      seat ? (
        <SeatCell key={n} seat={seat} nowMs={nowMs} startsAt={startsAt} selected={selected === seat.registrationId} onOpen={onOpen} />
      ) : (
        <EmptySeat key={n} seatNo={n} />
      ),
    );
  }
  return (
    <div data-testid="proctor-seat-map">
      <div style={{ textAlign: 'center', background: '#f0f0f0', borderRadius: 4, padding: '2px 0', marginBottom: 8, fontSize: 12, color: '#595959', letterSpacing: 8 }}>
        讲台
      </div>
      {seats.length === 0 ? (
        <Typography.Text type="secondary">本考场本场次没有考生。</Typography.Text>
      ) : (
        <div style={{ display: 'grid', gridTemplateColumns: `repeat(${seatsPerRow}, minmax(0, 1fr))`, gap: 6 }}>{cells}</div>
      )}
    </div>
  );
}
