/** 考场桌贴: eight desk stickers per A4 page (2 columns × 4 rows), with dashed cut lines. */
import { GREY, INK, PAGE, SHADE, addPage, boxText, line, paper, rect, stamp, vline, hline, type Doc } from './pdf.ts';
import type { DeskStickerData } from './types.ts';

export const DESK_COLUMNS = 2;
export const DESK_ROWS = 4;
const PER_PAGE = DESK_COLUMNS * DESK_ROWS;
const MARGIN = 24;
const CELL_W = (PAGE.width - 2 * MARGIN) / DESK_COLUMNS;
const CELL_H = (PAGE.height - 2 * MARGIN) / DESK_ROWS;
const INSET = 12;
const BAND = 26;
const SEAT_W = 88;
const LABEL_W = 52;
const CUT = '#9a9a9a';

/** The sticker at position i of a page: its outer box. */
function box(i: number): { x: number; y: number; w: number; h: number } {
  const col = i % DESK_COLUMNS, row = Math.floor(i / DESK_COLUMNS);
  return { x: MARGIN + col * CELL_W + INSET, y: MARGIN + row * CELL_H + INSET, w: CELL_W - 2 * INSET, h: CELL_H - 2 * INSET };
}

/** Rows of the right part: the middle y of each, from the top of the body. */
const BODY_ROWS = [
  { label: '姓　　名', mid: 32 },
  { label: '准考证号', mid: 70 },
  { label: '身份证号', mid: 98 },
  { label: '考试等级', mid: 126 },
];

function paintCutLines(doc: Doc): void {
  for (let c = 0; c <= DESK_COLUMNS; c++) vline(doc, MARGIN + c * CELL_W, 6, PAGE.height - 6, { color: CUT, width: 0.5, dash: 3 });
  for (let r = 0; r <= DESK_ROWS; r++) hline(doc, 6, PAGE.width - 6, MARGIN + r * CELL_H, { color: CUT, width: 0.5, dash: 3 });
}

function paintBlank(doc: Doc, i: number): void {
  const b = box(i);
  rect(doc, b.x, b.y, b.w, BAND, { fill: SHADE, stroke: 'none' });
  rect(doc, b.x, b.y, b.w, b.h, { width: 1.2, stroke: INK });
  line(doc, '1+X Python 程序开发职业技能等级证书考试', b.x, b.y + BAND / 2, { size: 10, bold: true, align: 'center', width: b.w });
  hline(doc, b.x, b.x + b.w, b.y + BAND, { color: INK, width: 0.8 });
  vline(doc, b.x + SEAT_W, b.y + BAND, b.y + b.h, { color: INK, width: 0.8 });
  const body = b.y + BAND;
  line(doc, '座位号', b.x, body + 18, { size: 10, color: GREY, align: 'center', width: SEAT_W });
  for (const r of BODY_ROWS) line(doc, r.label, b.x + SEAT_W + 10, body + r.mid, { size: 9.5, color: GREY });
  hline(doc, b.x + SEAT_W + 8, b.x + b.w - 8, body + 52, { color: '#cccccc', width: 0.5 });
}

function drawSticker(doc: Doc, i: number, s: DeskStickerData): void {
  stamp(doc, `desk:${i}`, (d) => paintBlank(d, i));
  const b = box(i);
  const body = b.y + BAND;
  boxText(doc, String(s.seatNo), { x: b.x, y: body + 26, w: SEAT_W, h: 74 }, { size: 46, bold: true, align: 'center', minSize: 20, pad: 4 });
  boxText(doc, s.roomName, { x: b.x, y: body + 102, w: SEAT_W, h: 36 }, { size: 11, bold: true, align: 'center', minSize: 7, maxLines: 2, pad: 4 });
  const vx = b.x + SEAT_W + 10 + LABEL_W, vw = b.w - SEAT_W - 10 - LABEL_W - 10;
  const values: [string, number, boolean][] = [
    [s.name, 20, true],
    [s.ticketNo, 13, true],
    [s.idNumberMasked, 11.5, false],
    [s.level, 12, true],
  ];
  values.forEach(([text, size, bold], r) => {
    boxText(doc, text, { x: vx, y: body + BODY_ROWS[r]!.mid - 13, w: vw, h: 26 }, { size, bold, minSize: Math.min(size, 8), pad: 0 });
  });
}

function drawAll(doc: Doc, stickers: DeskStickerData[]): number {
  stickers.forEach((s, n) => {
    const i = n % PER_PAGE;
    if (i === 0) {
      addPage(doc);
      stamp(doc, 'desk:cut-lines', paintCutLines);
    }
    drawSticker(doc, i, s);
  });
  return Math.ceil(stickers.length / PER_PAGE);
}

const printed = paper<DeskStickerData>('考场桌贴', '没有要打印的考场桌贴 / no desk stickers to print', drawAll);

/** Desk stickers in the order given (sort by room and seat first), eight per page. */
export const renderDeskStickers = printed.render;

export const writeDeskStickers = printed.write;
