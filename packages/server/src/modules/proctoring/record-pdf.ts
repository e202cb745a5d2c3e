/**
 * 考场情况记录表 as an A4 PDF, with the printing module's kit (Noto Sans CJK,
 * text fitted to its box): the heading, the room and sitting, the counts, the
 * lists (缺考, 违纪, 换机, 补时), the other incidents and remarks, and the
 * signatures with their times. Long lists continue on further pages.
 */
import { shanghaiSpanZh, shanghaiTime } from '../../time-format.ts';
import { GREY, INK, PAGE, RULE, SHADE, addPage, boxText, hline, line, paper, rect, sheetHeading, widthOf, type Doc } from '../printing/pdf.ts';
import type { PrintOptions } from '../printing/types.ts';
import type { RecordView } from './schemas.ts';

export interface RoomRecordPdfData {
  planName: string;
  siteName: string;
  roomName: string;
  roomLocation: string;
  sittingName: string;
  startsAt: number;
  endsAt: number;
  record: RecordView;
  /** Printed at (server time). */
  printedAt: number;
}

const X0 = 40;
const W = PAGE.width - 2 * X0;
const BOTTOM = PAGE.height - 48;
const ROW = 20;

const clock = (iso: string) => shanghaiTime(Date.parse(iso)).slice(11);
const seat = (n: number | null) => (n === null ? '' : String(n));

/** Splits text into lines that fit `width` at `size` (Chinese breaks anywhere; paragraphs kept). */
function wrap(doc: Doc, text: string, width: number, size: number): string[] {
  const out: string[] = [];
  for (const para of text.split(/\r?\n/)) {
    let cur = '';
    for (const ch of para) {
      if (cur && widthOf(doc, cur + ch, size) > width) {
        out.push(cur);
        cur = '';
      }
      cur += ch;
    }
    out.push(cur);
  }
  return out;
}

class Writer {
  y = 0;
  page = 0;
  constructor(private readonly doc: Doc, private readonly d: RoomRecordPdfData) {}

  newPage(): void {
    addPage(this.doc);
    this.page++;
    line(this.doc, `${this.d.roomName} · ${this.d.sittingName} · 考场情况记录表`, X0, PAGE.height - 26, { size: 8.5, color: GREY, align: 'left', width: W });
    this.y = 40;
    if (this.page > 1) this.y = 46;
  }

  need(h: number): void {
    if (this.y + h > BOTTOM) this.newPage();
  }

  heading(text: string): void {
    this.need(24 + ROW * 2);
    line(this.doc, text, X0, this.y + 10, { size: 12, bold: true });
    this.y += 22;
  }

  /** A table with a shaded header; the header repeats after a page break. */
  table(cols: { title: string; w: number; align?: 'left' | 'center' }[], rows: string[][], empty = '无'): void {
    const header = () => {
      rect(this.doc, X0, this.y, W, ROW, { fill: SHADE, stroke: RULE, width: 0.5 });
      let x = X0;
      for (const c of cols) {
        boxText(this.doc, c.title, { x, y: this.y, w: c.w, h: ROW }, { size: 9.5, bold: true, align: 'center' });
        x += c.w;
      }
      this.y += ROW;
    };
    header();
    if (rows.length === 0) {
      rect(this.doc, X0, this.y, W, ROW, { stroke: RULE, width: 0.5 });
      boxText(this.doc, empty, { x: X0, y: this.y, w: W, h: ROW }, { size: 9.5, color: GREY, align: 'center' });
      this.y += ROW + 10;
      return;
    }
    for (const r of rows) {
      const h = r.some((cell, j) => widthOf(this.doc, cell, 9.5) > cols[j]!.w - 8) ? ROW * 1.6 : ROW;
      if (this.y + h > BOTTOM) {
        this.newPage();
        header();
      }
      let x = X0;
      r.forEach((cell, j) => {
        const c = cols[j]!;
        rect(this.doc, x, this.y, c.w, h, { stroke: RULE, width: 0.5 });
        boxText(this.doc, cell, { x, y: this.y, w: c.w, h }, { size: 9.5, align: c.align ?? 'center', maxLines: 2, minSize: 7.5, pad: 4 });
        x += c.w;
      });
      this.y += h;
    }
    this.y += 10;
  }

  /** Free text in a frame, continued on the next page when long. */
  text(text: string): void {
    const size = 10;
    const lh = 16;
    const lines = text.trim() ? wrap(this.doc, text.trim(), W - 16, size) : ['无'];
    let i = 0;
    while (i < lines.length) {
      this.need(lh + 8);
      const fit = Math.max(1, Math.min(lines.length - i, Math.floor((BOTTOM - this.y - 8) / lh)));
      const h = fit * lh + 8;
      rect(this.doc, X0, this.y, W, h, { stroke: RULE, width: 0.5 });
      for (let k = 0; k < fit; k++) {
        line(this.doc, lines[i + k]!, X0 + 8, this.y + 4 + k * lh + lh / 2, { size, color: text.trim() ? INK : GREY });
      }
      this.y += h;
      i += fit;
      if (i < lines.length) this.newPage();
    }
    this.y += 10;
  }
}

function draw(doc: Doc, items: RoomRecordPdfData[]): number {
  let pages = 0;
  for (const d of items) {
    const w = new Writer(doc, d);
    const range = doc.bufferedPageRange();
    const first = range.start + range.count;
    w.newPage();
    const r = d.record;
    sheetHeading(doc, X0, W, d.planName, '考场情况记录表', [
      ['考核站点：', d.siteName], ['考　　场：', `${d.roomName}${d.roomLocation ? `（${d.roomLocation}）` : ''}`],
      ['考试科目：', d.sittingName], ['考试时间：', shanghaiSpanZh(d.startsAt, d.endsAt)],
    ]);
    w.y = 136;

    // The counts.
    const f = r.facts;
    const cw = W / 5;
    const countCols = ['应考人数', '实到人数', '缺考人数', '交卷人数', '取消考试资格'].map((title) => ({ title, w: cw }));
    w.table(countCols, [[f.seats, f.present, f.absent, f.submitted, f.disqualified].map((n) => `${n} 人`)]);

    w.heading('一、缺考考生');
    w.table(
      [{ title: '座位号', w: 50 }, { title: '准考证号', w: 110 }, { title: '姓名', w: 80 }, { title: '登记原因', w: W - 50 - 110 - 80 - 100, align: 'left' }, { title: '登记人 / 时间', w: 100 }],
      f.absences.map((a) => [seat(a.seatNo), a.ticketNo ?? '', a.name ?? '', a.reason, `${a.by} ${clock(a.at)}`]),
    );
    w.heading('二、违纪情况');
    w.table(
      [{ title: '座位号', w: 50 }, { title: '姓名', w: 80 }, { title: '处理', w: 90 }, { title: '事由', w: W - 50 - 80 - 90 - 100, align: 'left' }, { title: '处理人 / 时间', w: 100 }],
      f.violations.map((v) => [seat(v.seatNo), v.name ?? '', v.kind === 'warning' ? '警告' : '取消考试资格', v.reason, `${v.by} ${clock(v.at)}`]),
    );
    w.heading('三、换机情况');
    w.table(
      [{ title: '座位号', w: 50 }, { title: '姓名', w: 80 }, { title: '结果', w: 60 }, { title: '原因', w: W - 50 - 80 - 60 - 100, align: 'left' }, { title: '处理人 / 时间', w: 100 }],
      f.switches.map((s) => [seat(s.seatNo), s.name ?? '', s.kind === 'switch-approve' ? '批准' : '不批准', s.reason, `${s.by} ${clock(s.at)}`]),
    );
    w.heading('四、补时情况');
    w.table(
      [{ title: '座位号', w: 50 }, { title: '姓名', w: 80 }, { title: '补时', w: 60 }, { title: '原因', w: W - 50 - 80 - 60 - 100, align: 'left' }, { title: '处理人 / 时间', w: 100 }],
      f.compensations.map((c) => [seat(c.seatNo), c.name ?? '', `${c.minutes} 分钟`, c.reason, `${c.by} ${clock(c.at)}`]),
    );
    w.heading('五、其他情况');
    w.text(r.record.incidents);
    w.heading('六、备注');
    w.text(r.record.remarks);

    // Signatures: every signer with their name and time, or an empty line to sign by hand.
    const signers = r.signers.length ? r.signers : [{ userId: '', name: '', duty: 'proctor' as const, signed: false }];
    w.need(30 + signers.length * 24);
    line(doc, '签　　名', X0, w.y + 10, { size: 12, bold: true });
    w.y += 24;
    for (const s of signers) {
      const sig = r.signatures.find((x) => x.userId === s.userId);
      line(doc, s.duty === 'chief' ? '主　　考：' : '监考员：', X0, w.y + 8, { size: 10.5 });
      if (sig) {
        line(doc, sig.name, X0 + 70, w.y + 8, { size: 11, bold: true });
        line(doc, `已签名　${shanghaiTime(Date.parse(sig.at))}`, X0 + 200, w.y + 8, { size: 10, color: GREY });
      } else {
        hline(doc, X0 + 66, X0 + 190, w.y + 14, { color: INK, width: 0.6 });
        if (s.name) line(doc, `（${s.name}，未签名）`, X0 + 200, w.y + 8, { size: 10, color: GREY });
      }
      w.y += 24;
    }
    line(doc, `打印时间：${shanghaiTime(d.printedAt)}`, X0, w.y + 10, { size: 9, color: GREY, align: 'right', width: W });
    // The record's page count is known only now: number its pages (the document keeps them buffered).
    for (let i = 0; i < w.page; i++) {
      doc.switchToPage(first + i);
      line(doc, `第 ${i + 1} 页 / 共 ${w.page} 页`, X0, PAGE.height - 26, { size: 8.5, color: GREY, align: 'right', width: W });
    }
    pages += w.page;
  }
  return pages;
}

const printed = paper<RoomRecordPdfData>('考场情况记录表', '没有要打印的考场情况记录表 / no room record to print', draw, { bufferPages: true });

export function renderRoomRecord(data: RoomRecordPdfData, opts: PrintOptions = {}): Promise<Buffer> {
  return printed.render([data], opts);
}
