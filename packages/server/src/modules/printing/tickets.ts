/** 准考证: one admission ticket per A4 page. */
import { shanghaiSpanZh, shanghaiTime } from '../../time-format.ts';
import { GREY, INK, PAGE, REGULAR, RULE, SHADE, addPage, boxText, hline, line, paper, parseTime, qrCode, rect, stamp, type Doc } from './pdf.ts';
import type { TicketData } from './types.ts';

export const TICKET_TITLE = '1+X Python 程序开发职业技能等级证书';
export const TICKET_SUBTITLE = '考试准考证';

/** 考生须知, in our own words after the manual's 考场规则 (part 6, section 1). */
export const CANDIDATE_RULES = [
  '考试分理论考试和实操考试两场，均在计算机上作答，请按本证所列时间参加。',
  '请于开考前 30 分钟持本准考证和身份证原件进入考场，对号入座，将两证放在桌面备查。',
  '开考 30 分钟后不得进入考场；开考后 30 分钟内及考试结束前 5 分钟内不得交卷离场。',
  '书籍、纸张、手机、计算器、U 盘、耳机等资料和电子设备不得带到座位，按监考员要求统一存放。',
  '开考前 5 分钟按监考员提示登录考试系统，录入准考证号和身份证号；开考信号发出前不得答题。',
  '理论考试须全屏作答：关闭、缩小或切出答题页面，系统将自动交卷，本场考试随即结束。',
  '遇计算机或网络故障请举手示意，由监考员处理；不得向监考员询问试题内容。',
  '保持安静，不得交谈、抄袭或进行与考试无关的计算机操作；违纪、舞弊者取消考试资格。',
];

const X0 = 44;
const W = PAGE.width - 2 * X0;
const SIDE = 128; // the photo and QR column
const LEFT = W - SIDE;
const LABEL = 76;
const PAIR_LABEL = 54;
const PAIR_VALUE = 92;
const ROW = 27;
const TABLE_TOP = 132;
const SROW = 25;
const PHOTO = { w: 90, h: 121 };
const QR_SIZE = 100;

/** The rows of the field table; `pair` puts a second label and value on the right of the row. */
const FIELDS: { label: string; pair?: string }[] = [
  { label: '准考证号' },
  { label: '姓　　名', pair: '性别' },
  { label: '证件类型' },
  { label: '证件号码' },
  { label: '所属院校' },
  { label: '证书名称', pair: '等级' },
  { label: '考核站点' },
  { label: '站点地址' },
  { label: '考　　场', pair: '座位号' },
  { label: '考场位置' },
];
const TABLE_H = FIELDS.length * ROW;
const SITTING_COLS = [
  { title: '考试科目', w: 128 },
  { title: '考试时间（北京时间）', w: 216 },
  { title: '时长', w: 72 },
  { title: '最晚入场', w: W - 128 - 216 - 72 },
];
const SITTINGS_TOP = TABLE_TOP + TABLE_H + 44;
const valueW = (pair: boolean) => LEFT - LABEL - (pair ? PAIR_LABEL + PAIR_VALUE : 0);

function labelCell(doc: Doc, text: string, x: number, y: number, w: number): void {
  rect(doc, x, y, w, ROW, { fill: SHADE, stroke: 'none' });
  boxText(doc, text, { x, y, w, h: ROW }, { size: 10.5, color: '#333333', align: 'center', pad: 3 });
}

/** Everything on a ticket that is the same for every candidate with this many sittings. */
function paintForm(doc: Doc, sittingCount: number): void {
  // A double frame around the whole ticket.
  rect(doc, 26, 26, PAGE.width - 52, PAGE.height - 52, { width: 1.4, stroke: INK });
  rect(doc, 30, 30, PAGE.width - 60, PAGE.height - 60, { width: 0.4, stroke: INK });
  line(doc, TICKET_TITLE, X0, 66, { size: 18, bold: true, align: 'center', width: W });
  line(doc, TICKET_SUBTITLE, X0, 100, { size: 26, bold: true, align: 'center', width: W });

  // The field table, with the photo (rows 0–4) and QR code (rows 5–9) in the side column.
  FIELDS.forEach((f, i) => {
    const y = TABLE_TOP + i * ROW;
    labelCell(doc, f.label, X0, y, LABEL);
    if (f.pair) labelCell(doc, f.pair, X0 + LABEL + valueW(true), y, PAIR_LABEL);
  });
  doc.save().lineWidth(0.5);
  FIELDS.forEach((f, i) => {
    const y = TABLE_TOP + i * ROW;
    if (i > 0) doc.moveTo(X0, y).lineTo(X0 + LEFT, y);
    if (f.pair) {
      const px = X0 + LABEL + valueW(true);
      doc.moveTo(px, y).lineTo(px, y + ROW).moveTo(px + PAIR_LABEL, y).lineTo(px + PAIR_LABEL, y + ROW);
    }
  });
  doc.moveTo(X0 + LABEL, TABLE_TOP).lineTo(X0 + LABEL, TABLE_TOP + TABLE_H);
  doc.moveTo(X0 + LEFT, TABLE_TOP).lineTo(X0 + LEFT, TABLE_TOP + TABLE_H);
  doc.moveTo(X0 + LEFT, TABLE_TOP + 5 * ROW).lineTo(X0 + W, TABLE_TOP + 5 * ROW);
  doc.stroke(RULE).restore();
  rect(doc, X0, TABLE_TOP, W, TABLE_H, { width: 1, stroke: INK });

  // 考试安排: the header row and the grid.
  let y = SITTINGS_TOP;
  line(doc, '考试安排', X0, y - 14, { size: 13, bold: true });
  rect(doc, X0, y, W, SROW, { fill: SHADE, stroke: 'none' });
  let cx = X0;
  for (const c of SITTING_COLS) {
    boxText(doc, c.title, { x: cx, y, w: c.w, h: SROW }, { size: 10.5, bold: true, align: 'center' });
    cx += c.w;
  }
  const sH = SROW * (sittingCount + 1);
  doc.save().lineWidth(0.5);
  for (let i = 1; i <= sittingCount; i++) doc.moveTo(X0, y + i * SROW).lineTo(X0 + W, y + i * SROW);
  cx = X0;
  for (const c of SITTING_COLS.slice(0, -1)) doc.moveTo((cx += c.w), y).lineTo(cx, y + sH);
  doc.stroke(RULE).restore();
  rect(doc, X0, y, W, sH, { width: 1, stroke: INK });

  // 考生须知.
  y += sH + 44;
  line(doc, '考生须知', X0, y - 14, { size: 13, bold: true });
  const rulesTop = y;
  y += 10;
  CANDIDATE_RULES.forEach((rule, i) => {
    line(doc, `${i + 1}.`, X0 + 12, y + 7.6, { size: 10.5, bold: true });
    doc.font(REGULAR).fontSize(10.5).fillColor(INK).text(rule, X0 + 30, y, { width: W - 42, lineGap: 2.5 });
    y = doc.y + 4;
  });
  rect(doc, X0, rulesTop, W, y - rulesTop + 6, { width: 0.6, stroke: RULE });

  // Foot of the page.
  const footY = PAGE.height - 52;
  hline(doc, X0, X0 + W, footY - 12, { color: '#bbbbbb', width: 0.4 });
  line(doc, '本证须与身份证原件一并使用，请妥善保管，涂改无效。', X0, footY, { size: 9, color: GREY });
}

function drawTicket(doc: Doc, t: TicketData): void {
  addPage(doc);
  stamp(doc, `ticket:${t.sittings.length}`, (d) => paintForm(d, t.sittings.length));

  const values: { value: string; big?: boolean; pair?: { value: string; big?: boolean } }[] = [
    { value: t.ticketNo, big: true },
    { value: t.name, big: true, pair: { value: t.gender ?? '' } },
    { value: t.idType },
    { value: t.idNumber },
    { value: t.institutionName },
    { value: t.certificateName, pair: { value: t.level, big: true } },
    { value: t.siteName },
    { value: t.siteAddress ?? '' },
    { value: t.roomName, big: true, pair: { value: String(t.seatNo), big: true } },
    { value: t.roomLocation ?? '' },
  ];
  values.forEach((f, i) => {
    const y = TABLE_TOP + i * ROW;
    const w = valueW(Boolean(f.pair));
    boxText(doc, f.value, { x: X0 + LABEL, y, w, h: ROW }, { ...(f.big ? { size: 13, bold: true } : { size: 11 }), minSize: 9, maxLines: 2, pad: 7 });
    if (f.pair) {
      const box = { x: X0 + LABEL + w + PAIR_LABEL, y, w: PAIR_VALUE, h: ROW };
      boxText(doc, f.pair.value, box, { ...(f.pair.big ? { size: 13, bold: true } : { size: 11 }), align: 'center', minSize: 8 });
    }
  });

  // Photo, at 1-inch proportions (25 × 35 mm), centred in its cell.
  const px = X0 + LEFT + (SIDE - PHOTO.w) / 2, py = TABLE_TOP + (5 * ROW - PHOTO.h) / 2;
  if (t.photo) {
    try {
      doc.image(t.photo, px, py, { fit: [PHOTO.w, PHOTO.h], align: 'center', valign: 'center' });
    } catch (err) {
      throw new Error(`准考证 ${t.ticketNo}（${t.name}）的照片无法读取，应为 JPEG 或 PNG / photo of ticket ${t.ticketNo} is not a readable JPEG or PNG: ${(err as Error).message}`);
    }
  } else {
    rect(doc, px, py, PHOTO.w, PHOTO.h, { width: 0.5, stroke: '#999999', dash: 2 });
    line(doc, '照片', px, py + PHOTO.h / 2 - 8, { size: 12, color: '#999999', align: 'center', width: PHOTO.w });
    line(doc, '（1 寸免冠）', px, py + PHOTO.h / 2 + 10, { size: 8, color: '#aaaaaa', align: 'center', width: PHOTO.w });
  }

  // QR code of the ticket number, and the number under it.
  const qy = TABLE_TOP + 5 * ROW + 6;
  qrCode(doc, t.ticketNo, X0 + LEFT + (SIDE - QR_SIZE) / 2, qy, QR_SIZE);
  line(doc, t.ticketNo, X0 + LEFT, qy + QR_SIZE + 11, { size: 9, align: 'center', width: SIDE });

  // Each paper with its time in Beijing time, and the last minute to enter (30 minutes after the start).
  t.sittings.forEach((s, i) => {
    const start = parseTime(s.startsAt, `${s.name}开始`), end = parseTime(s.endsAt, `${s.name}结束`);
    const cells = [s.name, shanghaiSpanZh(start, end), `${Math.round((end - start) / 60_000)} 分钟`, shanghaiTime(start + 30 * 60_000).slice(11)];
    const y = SITTINGS_TOP + SROW * (i + 1);
    let x = X0;
    cells.forEach((text, j) => {
      boxText(doc, text, { x, y, w: SITTING_COLS[j]!.w, h: SROW }, { size: 11, bold: j === 0, align: 'center', minSize: 8 });
      x += SITTING_COLS[j]!.w;
    });
  });

  line(doc, `准考证号 ${t.ticketNo}`, X0, PAGE.height - 52, { size: 9, color: GREY, align: 'right', width: W });
}

function drawAll(doc: Doc, tickets: TicketData[]): number {
  for (const t of tickets) drawTicket(doc, t);
  return tickets.length;
}

const printed = paper<TicketData>('准考证', '没有要打印的准考证 / no tickets to print', drawAll);

/** All tickets in one PDF, one A4 page each. */
export const renderTickets = printed.render;

/** Like renderTickets, streamed to a file path or a writable (for batches of thousands). */
export const writeTickets = printed.write;
