/**
 * 考场签到表: one per room and sitting. A table of 座位号 / 准考证号 / 姓名 /
 * 身份证号 / 考生签名 with rows tall enough to sign; the heading and the table
 * header repeat on every page; each page ends with the head count and the
 * proctors' signature lines, and "第 x 页 / 共 y 页".
 */
import { shanghaiSpanZh } from '../../time-format.ts';
import { GREY, INK, PAGE, RULE, SHADE, addPage, boxText, hline, line, paper, parseTime, rect, sheetHeading, type Doc } from './pdf.ts';
import type { SignInSheetData } from './types.ts';

const X0 = 40;
const W = PAGE.width - 2 * X0;
const ROW = 23; // 8 mm: room to sign
const HEAD = 24;
const TABLE_TOP = 134;
/** Candidates per page. */
export const SIGN_IN_ROWS_PER_PAGE = 25;
const COLS = [
  { title: '座位号', w: 50 },
  { title: '准考证号', w: 114 },
  { title: '姓名', w: 82 },
  { title: '身份证号', w: 134 },
  { title: '考生签名', w: W - 50 - 114 - 82 - 134 },
];
const FOOT = TABLE_TOP + HEAD + SIGN_IN_ROWS_PER_PAGE * ROW + 24;

function pageOf(doc: Doc, s: SignInSheetData, span: string, page: number, pages: number, rows: SignInSheetData['candidates']): void {
  addPage(doc);
  sheetHeading(doc, X0, W, s.planName, '考场签到表', [
    ['考核站点：', s.siteName], ['考　　场：', s.roomName],
    ['考试科目：', s.sitting.name], ['考试时间：', span],
  ]);

  // The table: header, then one row per candidate.
  rect(doc, X0, TABLE_TOP, W, HEAD, { fill: SHADE, stroke: 'none' });
  let x = X0;
  for (const c of COLS) {
    boxText(doc, c.title, { x, y: TABLE_TOP, w: c.w, h: HEAD }, { size: 10.5, bold: true, align: 'center' });
    x += c.w;
  }
  rows.forEach((p, i) => {
    const y = TABLE_TOP + HEAD + i * ROW;
    const cells = [String(p.seatNo), p.ticketNo, p.name, p.idNumber];
    let cx = X0;
    cells.forEach((text, j) => {
      boxText(doc, text, { x: cx, y, w: COLS[j]!.w, h: ROW }, { size: j === 2 ? 11.5 : 10.5, bold: j === 2, align: 'center', minSize: 7.5, pad: 3 });
      cx += COLS[j]!.w;
    });
    // The proctor's mark, at the right of the signature cell (缺考 in bold: nobody signs there).
    if (p.mark) boxText(doc, p.mark, { x: cx, y, w: COLS[4]!.w, h: ROW }, { size: p.mark === '缺考' ? 11 : 9.5, bold: p.mark === '缺考', color: p.mark === '缺考' ? INK : GREY, align: 'right', pad: 8 });
  });
  const h = HEAD + rows.length * ROW;
  doc.save().lineWidth(0.5);
  for (let i = 0; i < rows.length; i++) doc.moveTo(X0, TABLE_TOP + HEAD + i * ROW).lineTo(X0 + W, TABLE_TOP + HEAD + i * ROW);
  let cx = X0;
  for (const c of COLS.slice(0, -1)) doc.moveTo((cx += c.w), TABLE_TOP).lineTo(cx, TABLE_TOP + h);
  doc.stroke(RULE).restore();
  rect(doc, X0, TABLE_TOP, W, h, { width: 1, stroke: INK });
  if (rows.length === 0) line(doc, '（本场无考生）', X0, TABLE_TOP + HEAD + 20, { size: 10.5, color: GREY, align: 'center', width: W });

  // Foot: head count, the proctors' signatures (their names under the lines), page x / y.
  const count = (mark: string) => s.candidates.filter((c) => c.mark === mark).length;
  const tally = s.marked ? `实到 ${count('已签到')} 人　　缺考 ${count('缺考')} 人` : '实到 ________ 人　　缺考 ________ 人';
  line(doc, `应考 ${s.candidates.length} 人　　${tally}`, X0, FOOT, { size: 11 });
  const sy = FOOT + 30;
  line(doc, '监考员签名：', X0, sy, { size: 11 });
  const proctors = s.proctors?.filter(Boolean) ?? [];
  const slots = Math.max(2, proctors.length);
  const slotW = Math.min(130, (W - 72 - 170) / slots);
  for (let i = 0; i < slots; i++) {
    const sx = X0 + 72 + i * slotW;
    hline(doc, sx + 6, sx + slotW - 12, sy + 7, { color: INK, width: 0.6 });
    if (proctors[i]) line(doc, `（${proctors[i]}）`, sx, sy + 17, { size: 8.5, color: GREY, align: 'center', width: slotW - 6 });
  }
  line(doc, '签名日期：________________', X0, sy, { size: 11, align: 'right', width: W });
  line(doc, `第 ${page} 页 / 共 ${pages} 页`, X0, PAGE.height - 22, { size: 9, color: GREY, align: 'center', width: W });
  line(doc, `${s.roomName} · ${s.sitting.name}`, X0, PAGE.height - 22, { size: 9, color: GREY, align: 'right', width: W });
}

function drawSheet(doc: Doc, s: SignInSheetData): number {
  const span = shanghaiSpanZh(parseTime(s.sitting.startsAt, `${s.sitting.name}开始`), parseTime(s.sitting.endsAt, `${s.sitting.name}结束`));
  const people = [...s.candidates].sort((a, b) => String(a.seatNo).localeCompare(String(b.seatNo), 'zh-CN', { numeric: true }));
  const pages = Math.max(1, Math.ceil(people.length / SIGN_IN_ROWS_PER_PAGE));
  for (let p = 0; p < pages; p++) {
    pageOf(doc, s, span, p + 1, pages, people.slice(p * SIGN_IN_ROWS_PER_PAGE, (p + 1) * SIGN_IN_ROWS_PER_PAGE));
  }
  return pages;
}

function drawAll(doc: Doc, sheets: SignInSheetData[]): number {
  let pages = 0;
  for (const s of sheets) pages += drawSheet(doc, s);
  return pages;
}

const printed = paper<SignInSheetData>('考场签到表', '没有要打印的签到表 / no sign-in sheets to print', drawAll);

/** One sign-in sheet per room and sitting, each starting on a new page and numbered on its own. */
export const renderSignInSheets = printed.render;

export const writeSignInSheets = printed.write;
