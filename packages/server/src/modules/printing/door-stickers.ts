/** 考场门贴: the room's name in big letters, its papers and times, and who sits where. */
import { shanghaiSpanZh } from '../../time-format.ts';
import { GREY, INK, PAGE, RULE, SHADE, addPage, boxText, line, paper, parseTime, rect, widthOf, type Doc } from './pdf.ts';
import type { DoorStickerData, RoomCandidate } from './types.ts';

const X0 = 44;
const W = PAGE.width - 2 * X0;
const ROW = 17.5; // at the most candidates per page
const ROW_MAX = 22;
const HEAD = 20;
const GAP = 14; // between the two column groups
const GROUP_W = (W - GAP) / 2;
const COLS = [
  { title: '座位号', w: 52 },
  { title: '准考证号', w: 120 },
  { title: '姓名', w: GROUP_W - 52 - 120 },
];
const BOTTOM = PAGE.height - 58;

function frame(doc: Doc): void {
  rect(doc, 26, 26, PAGE.width - 52, PAGE.height - 52, { width: 1.4, stroke: INK });
  rect(doc, 30, 30, PAGE.width - 60, PAGE.height - 60, { width: 0.4, stroke: INK });
}

/** The page heading: plan, site, the room in big letters, its place, level and papers. Returns where the list may start. */
function heading(doc: Doc, d: DoorStickerData): number {
  line(doc, d.planName, X0, 62, { size: 14, bold: true, align: 'center', width: W });
  line(doc, d.siteName, X0, 86, { size: 12, color: '#333333', align: 'center', width: W });

  // The room name as big as fits the width.
  const big = Math.min(66, Math.floor((W - 40) / (widthOf(doc, d.roomName, 66, true) / 66)));
  rect(doc, X0 + 20, 106, W - 40, 112, { width: 2, stroke: INK });
  line(doc, d.roomName, X0 + 20, d.roomLocation ? 150 : 162, { size: big, bold: true, align: 'center', width: W - 40 });
  if (d.roomLocation) line(doc, d.roomLocation, X0 + 20, 199, { size: 13, color: '#333333', align: 'center', width: W - 40 });

  let y = 246;
  line(doc, `考试等级：${d.level}　　考生人数：${d.candidates.length} 人`, X0, y, { size: 13, bold: true, align: 'center', width: W });
  for (const s of d.sittings) {
    y += 22;
    const span = shanghaiSpanZh(parseTime(s.startsAt, `${s.name}开始`), parseTime(s.endsAt, `${s.name}结束`));
    line(doc, `${s.name}　${span}`, X0, y, { size: 12.5, align: 'center', width: W });
  }
  return y + 24;
}

/** The candidates in two column groups of `rows` rows, read down the left group, then the right. */
function list(doc: Doc, people: RoomCandidate[], top: number, rows: number, rowH: number): void {
  const groups = people.length > rows ? 2 : 1;
  const ROW = rowH;
  for (let g = 0; g < groups; g++) {
    const gx = X0 + g * (GROUP_W + GAP);
    const part = people.slice(g * rows, (g + 1) * rows);
    rect(doc, gx, top, GROUP_W, HEAD, { fill: SHADE, stroke: 'none' });
    let x = gx;
    for (const c of COLS) {
      boxText(doc, c.title, { x, y: top, w: c.w, h: HEAD }, { size: 10, bold: true, align: 'center' });
      x += c.w;
    }
    part.forEach((p, i) => {
      const y = top + HEAD + i * ROW;
      const cells = [String(p.seatNo), p.ticketNo, p.name];
      let cx = gx;
      cells.forEach((text, j) => {
        boxText(doc, text, { x: cx, y, w: COLS[j]!.w, h: ROW }, { size: ROW > 20 ? 11.5 : 10.5, bold: j !== 1, align: 'center', minSize: 7.5, pad: 3 });
        cx += COLS[j]!.w;
      });
    });
    const h = HEAD + part.length * ROW;
    doc.save().lineWidth(0.5);
    for (let i = 0; i <= part.length; i++) doc.moveTo(gx, top + HEAD + i * ROW).lineTo(gx + GROUP_W, top + HEAD + i * ROW);
    let cx = gx;
    for (const c of COLS.slice(0, -1)) doc.moveTo((cx += c.w), top).lineTo(cx, top + h);
    doc.stroke(RULE).restore();
    rect(doc, gx, top, GROUP_W, h, { width: 0.9, stroke: INK });
  }
}

function drawSticker(doc: Doc, d: DoorStickerData): number {
  const people = [...d.candidates].sort((a, b) => String(a.seatNo).localeCompare(String(b.seatNo), 'zh-CN', { numeric: true }));
  addPage(doc);
  frame(doc);
  let top = heading(doc, d);
  let pages = 1;
  let rest = people;
  for (;;) {
    line(doc, pages === 1 ? '考生名单' : `${d.roomName} 考生名单（续）`, X0, top, { size: 12, bold: true, align: pages === 1 ? 'left' : 'center', width: W });
    const room = BOTTOM - (top + 14) - HEAD;
    const capacity = Math.floor(room / ROW);
    // Balance the two groups; rows grow taller when there is room.
    const rows = Math.max(1, Math.min(capacity, Math.ceil(rest.length / 2)));
    const rowH = Math.min(ROW_MAX, room / rows);
    list(doc, rest.slice(0, 2 * rows), top + 14, rows, rowH);
    rest = rest.slice(2 * rows);
    if (rest.length === 0) break;
    line(doc, '（接下页）', X0, BOTTOM + 12, { size: 9, color: GREY, align: 'right', width: W });
    addPage(doc);
    frame(doc);
    pages++;
    line(doc, `${d.planName}　${d.siteName}`, X0, 58, { size: 11, color: '#333333', align: 'center', width: W });
    top = 84;
  }
  return pages;
}

function drawAll(doc: Doc, stickers: DoorStickerData[]): number {
  let pages = 0;
  for (const d of stickers) pages += drawSticker(doc, d);
  return pages;
}

const printed = paper<DoorStickerData>('考场门贴', '没有要打印的考场门贴 / no door stickers to print', drawAll);

/** One door sticker per room (a room of more than ~50 candidates continues on a second page). */
export const renderDoorStickers = printed.render;

export const writeDoorStickers = printed.write;
