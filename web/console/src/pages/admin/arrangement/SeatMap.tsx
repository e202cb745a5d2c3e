// One room's seat map: seats row by row from the front (讲台), each with its
// number, the candidate's name and class; classes in soft colours; a seat
// with a same-class neighbour (left/right or front/back) outlined in red.

import { Tag, Tooltip, Typography } from 'antd';
import type { ArrangedRoom, Seat } from '../../../admin/arrangement';

const PALETTE = [
  { bg: '#e6f4ff', border: '#91caff' },
  { bg: '#f6ffed', border: '#b7eb8f' },
  { bg: '#fff7e6', border: '#ffd591' },
  { bg: '#f9f0ff', border: '#d3adf7' },
  { bg: '#e6fffb', border: '#87e8de' },
  { bg: '#fff0f6', border: '#ffadd2' },
  { bg: '#fcffe6', border: '#eaff8f' },
  { bg: '#f0f5ff', border: '#adc6ff' },
];
const NO_CLASS = { bg: '#fafafa', border: '#d9d9d9' };

/** A colour per class name, the same in every room of the site and from one 编排 to the next (classes in name order). */
export function classColours(classNames: (string | null)[]): Map<string, (typeof PALETTE)[number]> {
  const names = [...new Set(classNames.filter((n): n is string => Boolean(n)))].sort((a, b) => a.localeCompare(b, 'zh-CN', { numeric: true }));
  return new Map(names.map((name, i) => [name, PALETTE[i % PALETTE.length]!]));
}

const ellipsis = { whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' } as const;

function SeatCell({ seat, colour }: { seat: Seat; colour: (typeof PALETTE)[number] }) {
  const conflict = seat.sameClassNeighbour;
  return (
    <Tooltip title={`${seat.seatNo} 号座（第 ${seat.row} 排第 ${seat.column} 列）· ${seat.name} · 准考证号 ${seat.ticketNo}${seat.className ? ` · ${seat.className}` : ''}`}>
      <div
        data-testid="seat"
        data-seat-no={seat.seatNo}
        data-same-class={conflict ? 'yes' : 'no'}
        style={{
          background: colour.bg,
          border: conflict ? '2px solid #ff4d4f' : `1px solid ${colour.border}`,
          borderRadius: 6,
          padding: conflict ? '3px 5px' : '4px 6px',
          minHeight: 60,
          minWidth: 0,
        }}
      >
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', fontSize: 11, color: '#8c8c8c', lineHeight: '16px' }}>
          <span>{String(seat.seatNo).padStart(2, '0')}</span>
          {conflict && <span style={{ color: '#cf1322', fontWeight: 600 }}>同班相邻</span>}
        </div>
        <div style={{ ...ellipsis, fontWeight: 600, fontSize: 13, lineHeight: '20px' }}>{seat.name}</div>
        <div style={{ ...ellipsis, fontSize: 11, color: '#595959', lineHeight: '16px' }}>{seat.className ?? '未分班'}</div>
      </div>
    </Tooltip>
  );
}

function EmptyCell({ seatNo, skipped }: { seatNo: number; skipped: boolean }) {
  return (
    <div
      data-testid={skipped ? 'seat-skipped' : 'seat-empty'}
      style={{
        border: '1px dashed #d9d9d9',
        borderRadius: 6,
        background: skipped ? 'repeating-linear-gradient(45deg, #fafafa, #fafafa 6px, #f0f0f0 6px, #f0f0f0 12px)' : '#fff',
        minHeight: 60,
        padding: '4px 6px',
        color: '#bfbfbf',
        fontSize: 11,
      }}
    >
      <div>{String(seatNo).padStart(2, '0')}</div>
      <div style={{ textAlign: 'center', marginTop: 4 }}>{skipped ? '隔位' : '空'}</div>
    </div>
  );
}

export function SeatMap({ room, everyOtherSeat, colours }: { room: ArrangedRoom; everyOtherSeat: boolean; colours: Map<string, (typeof PALETTE)[number]> }) {
  const bySeat = new Map(room.seats.map((s) => [s.seatNo, s]));
  const cells = [];
  for (let n = 1; n <= room.totalSeats; n++) {
    const seat = bySeat.get(n);
    cells.push(
      seat ? (
        <SeatCell key={n} seat={seat} colour={(seat.className && colours.get(seat.className)) || NO_CLASS} />
      ) : (
        <EmptyCell key={n} seatNo={n} skipped={everyOtherSeat && n % 2 === 0} />
      ),
    );
  }
  return (
    <div data-testid="seat-map" data-room={room.name}>
      <div style={{ textAlign: 'center', background: '#f0f0f0', borderRadius: 4, padding: '2px 0', marginBottom: 8, fontSize: 12, color: '#595959', letterSpacing: 8 }}>
        讲台
      </div>
      <div style={{ display: 'grid', gridTemplateColumns: `repeat(${room.seatsPerRow}, minmax(0, 1fr))`, gap: 6 }}>{cells}</div>
    </div>
  );
}

/** The classes of the site and their colours. */
export function ClassLegend({ colours }: { colours: Map<string, (typeof PALETTE)[number]> }) {
  if (colours.size === 0) return null;
  return (
    <div style={{ display: 'flex', flexWrap: 'wrap', gap: 6, alignItems: 'center' }}>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        班级：
      </Typography.Text>
      {[...colours].map(([name, c]) => (
        <Tag key={name} style={{ background: c.bg, borderColor: c.border, color: '#262626', margin: 0 }}>
          {name}
        </Tag>
      ))}
      <Tag style={{ border: '2px solid #ff4d4f', color: '#cf1322', background: '#fff', margin: 0 }}>同班相邻</Tag>
    </div>
  );
}
