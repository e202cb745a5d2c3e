// The printed papers of exam day: rendered, then read back with poppler
// (pdftotext, pdfinfo, pdftoppm; scripts/setup-debian.sh installs them).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import QRCode from 'qrcode';
import {
  PrintFontError,
  findCjkFonts,
  SIGN_IN_ROWS_PER_PAGE,
  maskIdNumber,
  renderDeskStickers,
  renderDoorStickers,
  renderSignInSheets,
  renderTickets,
  writeTickets,
  type DeskStickerData,
  type DoorStickerData,
  type SignInSheetData,
  type TicketData,
} from '../src/modules/printing/index.ts';
import { shanghaiSpanZh } from '../src/time-format.ts';

let dir: string;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaowu-print-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function save(name: string, pdf: Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, pdf);
  return file;
}
function pdfText(file: string, page?: number): string {
  const range = page ? ['-f', String(page), '-l', String(page)] : [];
  return execFileSync('pdftotext', [...range, file, '-'], { encoding: 'utf8' });
}
/** Asserts that `text` holds every string (messages always given: node's assert would parse the transpiled source to make one). */
function has(text: string, where: string, ...wanted: string[]): void {
  for (const w of wanted) assert.ok(text.includes(w), `${where} lacks ${JSON.stringify(w)}`);
}
function lacks(text: string, where: string, ...unwanted: string[]): void {
  for (const w of unwanted) assert.ok(!text.includes(w), `${where} has ${JSON.stringify(w)}`);
}
/** 第 x 页 / 共 y 页, however pdftotext spaces it. */
const pageNo = (x: number, y: number) => new RegExp(`第\\s*${x}\\s*页\\s*/\\s*共\\s*${y}\\s*页`);
function pdfInfo(file: string): { pages: number; size: string } {
  const out = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return { pages: Number(/^Pages:\s+(\d+)/m.exec(out)?.[1]), size: /^Page size:\s+(.*)$/m.exec(out)?.[1] ?? '' };
}
/** Page 1 rasterised at 50 dpi: a PNG with something drawn on it. */
function assertRasterises(file: string): void {
  const prefix = path.join(dir, `${path.basename(file, '.pdf')}-p1`);
  execFileSync('pdftoppm', ['-r', '50', '-png', '-f', '1', '-l', '1', '-singlefile', file, prefix]);
  const png = fs.readFileSync(`${prefix}.png`);
  assert.deepEqual([...png.subarray(1, 4)], [...Buffer.from('PNG')]);
  assert.ok(png.length > 3000, `page 1 image is only ${png.length} bytes: is it blank?`);
}
function assertA4(file: string, pages: number): void {
  const info = pdfInfo(file);
  assert.equal(info.pages, pages);
  assert.match(info.size, /^595\.2\d* x 841\.8\d* pts \(A4\)/);
}
/** Embedded, subsetted fonts only: every font line of pdffonts says emb yes, sub yes. */
function assertSubsetFonts(file: string): void {
  const rows = execFileSync('pdffonts', [file], { encoding: 'utf8' }).trim().split('\n').slice(2);
  assert.ok(rows.length >= 1, 'no fonts in the PDF');
  for (const row of rows) {
    assert.match(row, /^[A-Z]{6}\+NotoSansCJKsc-(Regular|Bold)\s/, row);
    assert.match(row, /\byes\s+yes\s+yes\b/, row);
  }
}

const THEORY = { name: '理论考试', startsAt: '2024-06-15T00:30:00Z', endsAt: '2024-06-15T02:00:00Z' };
const PRACTICAL = { name: '实操考试', startsAt: '2024-06-15T02:10:00Z', endsAt: '2024-06-15T04:10:00Z' };
const PLAN = '2024 年 6 月 1+X Python 程序开发职业技能等级证书考试';
const SITE = '湖南信息职业技术学院考核站点';

const NAMES = ['张伟', '欧阳娜娜', '李秀英', '王芳', '刘洋', '陈静', '杨磊', '赵敏', '黄强', '周杰'];
function candidate(i: number) {
  return {
    seatNo: String(i + 1).padStart(2, '0'),
    ticketNo: `2406011${String(i + 1).padStart(5, '0')}`,
    name: `${NAMES[i % NAMES.length]}${i >= NAMES.length ? i : ''}`,
    idNumber: `4301042003${String((i % 12) + 1).padStart(2, '0')}15${String(i).padStart(3, '0')}${i % 10}`,
  };
}

function ticket(i: number, extra: Partial<TicketData> = {}): TicketData {
  const c = candidate(i);
  return {
    ticketNo: c.ticketNo,
    name: c.name,
    gender: i % 2 ? '女' : '男',
    idType: '居民身份证',
    idNumber: c.idNumber,
    institutionName: '湖南信息职业技术学院',
    certificateName: 'Python 程序开发',
    level: '初级',
    siteName: SITE,
    siteAddress: '湖南省长沙市望城区旺旺东路 8 号',
    roomName: '第 01 考场',
    roomLocation: '实训楼 B 座 302 机房',
    seatNo: c.seatNo,
    sittings: [THEORY, PRACTICAL],
    ...extra,
  };
}

describe('admission tickets (准考证)', () => {
  test('one A4 page per ticket, Chinese text, Beijing times, photo or empty box, rules', async () => {
    const photo = await QRCode.toBuffer('a PNG standing in for a photo', { width: 240 });
    const tickets = [ticket(0), ticket(1, { photo }), ticket(2, { roomName: '第 12 考场', seatNo: 7 })];
    const file = save('tickets.pdf', await renderTickets(tickets));
    assertA4(file, 3);
    assertSubsetFonts(file);
    assertRasterises(file);

    const text = pdfText(file);
    has(text, 'the tickets', '1+X Python 程序开发职业技能等级证书', '考试准考证', '考生须知', '居民身份证', SITE, '实训楼 B 座 302 机房', '第 12 考场');
    for (const t of tickets) has(text, 'the tickets', t.name, t.ticketNo, t.idNumber);
    // Stored in UTC, printed in Asia/Shanghai.
    has(text, 'the tickets', '2024年6月15日 08:30–10:00', '2024年6月15日 10:10–12:10', '90 分钟', '120 分钟');
    lacks(text, 'the tickets', '00:30–02:00');
    // The rules of the manual, in short.
    has(text, 'the rules', '开考前 30 分钟', '身份证原件', '开考 30 分钟后不得进入考场', '全屏');
    // Page 1 has no photo, so an empty box says where it goes; page 2 has the photo.
    has(pdfText(file, 1), 'page 1', '照片');
    lacks(pdfText(file, 2), 'page 2', '照片');
    // The same form on every page (pages after the first replay it): page 3 has it all.
    has(pdfText(file, 3), 'page 3', '考试准考证', '准考证号', '考生须知', '最晚入场', tickets[2]!.name, '第 12 考场');
  });

  test('the QR code holds the ticket number (when zbarimg is installed)', async (t) => {
    if (spawnSync('zbarimg', ['--version']).error) return t.skip('zbarimg (zbar-tools) is not installed');
    const file = save('qr.pdf', await renderTickets([ticket(4)]));
    const prefix = path.join(dir, 'qr');
    execFileSync('pdftoppm', ['-r', '150', '-png', '-singlefile', file, prefix]);
    const out = execFileSync('zbarimg', ['-q', '--raw', `${prefix}.png`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    assert.equal(out.trim(), candidate(4).ticketNo);
  });

  test('a sitting past midnight UTC is dated in Beijing, and an end on another day shows its date', async () => {
    const file = save('midnight.pdf', await renderTickets([ticket(0, { sittings: [{ name: '理论考试', startsAt: '2024-06-14T16:30:00Z', endsAt: '2024-06-14T18:00:00Z' }] })]));
    has(pdfText(file), 'the ticket', '2024年6月15日 00:30–02:00');
    assert.equal(shanghaiSpanZh(Date.parse('2024-06-15T15:00:00Z'), Date.parse('2024-06-15T16:30:00Z')), '2024年6月15日 23:00–2024年6月16日 00:30');
  });

  test('streamed to a file for big batches; size stays small (font subsets)', async () => {
    const file = path.join(dir, 'batch.pdf');
    const tickets = Array.from({ length: 60 }, (_, i) => ticket(i));
    const res = await writeTickets(tickets, file);
    assert.equal(res.pages, 60);
    assert.equal(res.bytes, fs.statSync(file).size);
    assertA4(file, 60);
    assert.ok(res.bytes / 60 < 12_000, `${res.bytes} bytes for 60 tickets`);
    has(pdfText(file, 60), 'page 60', tickets[59]!.ticketNo, tickets[59]!.name);
  });

  test('bad input is refused with a clear message', async () => {
    await assert.rejects(renderTickets([]), /没有要打印的准考证/);
    await assert.rejects(renderTickets([ticket(0, { sittings: [{ ...THEORY, startsAt: 'tomorrow' }] })]), /时间格式不正确.*tomorrow/);
    await assert.rejects(renderTickets([ticket(0, { photo: Buffer.from('not an image') })]), /照片无法读取.*JPEG/);
    const file = path.join(dir, 'failed.pdf');
    await assert.rejects(writeTickets([ticket(0, { photo: Buffer.from('not an image') })], file), /照片无法读取/);
    assert.equal(fs.existsSync(file), false, 'a half-written file is left behind');
  });
});

describe('door stickers (考场门贴)', () => {
  test('the room in big letters, its papers and times, and the seat list; a large room continues', async () => {
    const stickers: DoorStickerData[] = [
      { planName: PLAN, siteName: SITE, roomName: '第 01 考场', roomLocation: '实训楼 B 座 302 机房', level: '初级', sittings: [THEORY, PRACTICAL], candidates: Array.from({ length: 40 }, (_, i) => candidate(i)) },
      { planName: PLAN, siteName: SITE, roomName: '第 02 考场', level: '中级', sittings: [THEORY], candidates: Array.from({ length: 90 }, (_, i) => candidate(i)) },
    ];
    const file = save('door.pdf', await renderDoorStickers(stickers));
    assertA4(file, 3);
    assertSubsetFonts(file);
    assertRasterises(file);
    const p1 = pdfText(file, 1);
    has(p1, 'page 1', PLAN, SITE, '第 01 考场', '实训楼 B 座 302 机房', '考试等级：初级', '考生人数：40 人', '2024年6月15日 08:30–10:00', '2024年6月15日 10:10–12:10', '座位号', '准考证号');
    for (const c of stickers[0]!.candidates) has(p1, 'page 1', c.ticketNo, c.name);
    has(pdfText(file, 2), 'page 2', '第 02 考场', '考试等级：中级', '考生人数：90 人');
    has(pdfText(file, 3), 'page 3', '第 02 考场 考生名单（续）', candidate(89).ticketNo, candidate(89).name);
  });
});

describe('desk stickers (考场桌贴)', () => {
  test('eight to a page with seat, name, ticket number, masked ID and level', async () => {
    const stickers: DeskStickerData[] = Array.from({ length: 11 }, (_, i) => {
      const c = candidate(i);
      return { roomName: '第 03 考场', seatNo: c.seatNo, ticketNo: c.ticketNo, name: c.name, idNumberMasked: maskIdNumber(c.idNumber), level: '高级' };
    });
    const file = save('desk.pdf', await renderDeskStickers(stickers));
    assertA4(file, 2);
    assertSubsetFonts(file);
    assertRasterises(file);
    const p1 = pdfText(file, 1), p2 = pdfText(file, 2);
    for (const s of stickers.slice(0, 8)) has(p1, 'page 1', s.name, s.ticketNo, s.idNumberMasked);
    for (const s of stickers.slice(8)) has(p2, 'page 2', s.name, s.ticketNo, s.idNumberMasked);
    lacks(p1, 'page 1', candidate(0).idNumber, stickers[8]!.ticketNo);
    has(p1, 'page 1', '第 03 考场', '高级', '座位号', '1+X Python 程序开发职业技能等级证书考试');
  });

  test('maskIdNumber keeps the region and the last four', () => {
    assert.equal(maskIdNumber('43010420030115000X'), '430104********000X');
  });
});

describe('sign-in sheets (签到表)', () => {
  const sheet = (n: number, extra: Partial<SignInSheetData> = {}): SignInSheetData => ({
    planName: PLAN,
    siteName: SITE,
    roomName: '第 01 考场',
    sitting: THEORY,
    candidates: Array.from({ length: n }, (_, i) => candidate(i)),
    ...extra,
  });

  test('45 candidates take 2 pages, the heading and table header repeated, page x / y', async () => {
    assert.equal(SIGN_IN_ROWS_PER_PAGE, 25);
    const file = save('signin.pdf', await renderSignInSheets([sheet(45, { proctors: ['刘老师', '陈老师'] })]));
    assertA4(file, 2);
    assertSubsetFonts(file);
    assertRasterises(file);
    const pages = [pdfText(file, 1), pdfText(file, 2)];
    for (const [i, p] of pages.entries()) {
      has(p, `page ${i + 1}`, '考场签到表', PLAN, SITE, '第 01 考场', '理论考试', '2024年6月15日 08:30–10:00', '座位号', '准考证号', '姓名', '身份证号', '考生签名', '监考员签名', '应考 45 人', '刘老师', '陈老师');
      assert.match(p, pageNo(i + 1, 2));
    }
    const all = Array.from({ length: 45 }, (_, i) => candidate(i));
    for (const c of all.slice(0, 25)) {
      has(pages[0]!, 'page 1', c.ticketNo, c.name, c.idNumber);
      lacks(pages[1]!, 'page 2', c.ticketNo);
    }
    for (const c of all.slice(25)) {
      has(pages[1]!, 'page 2', c.ticketNo, c.name, c.idNumber);
      lacks(pages[0]!, 'page 1', c.ticketNo);
    }
  });

  test('each sheet starts on a new page and is numbered on its own', async () => {
    const file = save('signin-2.pdf', await renderSignInSheets([sheet(10), sheet(3, { roomName: '第 02 考场', sitting: PRACTICAL })]));
    assertA4(file, 2);
    const p2 = pdfText(file, 2);
    has(p2, 'page 2', '第 02 考场', '实操考试', '2024年6月15日 10:10–12:10', '应考 3 人');
    assert.match(p2, pageNo(1, 1));
    assert.match(pdfText(file, 1), pageNo(1, 1));
  });
});

describe('the Chinese font', () => {
  test('a font path that does not exist: a clear error in Chinese and English', async () => {
    const missing = path.join(dir, 'no-such-font', 'NotoSansCJK-Regular.ttc');
    const err = await renderTickets([ticket(0)], { fontPath: missing }).then(
      () => assert.fail('rendered without a font'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof PrintFontError, `not a PrintFontError: ${String(err)}`);
    assert.match(err.message, /找不到可打印中文的字体/);
    assert.match(err.message, /No Chinese font found/);
    assert.match(err.message, /fonts-noto-cjk/);
    assert.ok(err.message.includes(missing), err.message);
  });

  test('no font anywhere: the error names the places tried', async () => {
    const empty = fs.mkdtempSync(path.join(dir, 'fonts-'));
    await assert.rejects(renderSignInSheets([sheet0()], { searchPaths: [empty], useFontconfig: false }), (e: Error) => {
      assert.ok(e instanceof PrintFontError, `not a PrintFontError: ${String(e)}`);
      assert.match(e.message, /找不到可打印中文的字体.*No Chinese font found.*Tried: /s);
      assert.ok(e.message.includes(path.join(empty, 'NotoSansCJK-Regular.ttc')), e.message);
      return true;
    });
  });

  test('a font without Chinese glyphs is refused, not printed as empty boxes', async (t) => {
    const latin = ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf'].find((f) => fs.existsSync(f));
    if (!latin) return t.skip('no Latin-only font installed to try');
    await assert.rejects(renderTickets([ticket(0)], { fontPath: latin }), /字体不含中文字形/);
  });

  test('the font can be given explicitly (a .ttc face by name)', async () => {
    const found = findCjkFonts().regular;
    const file = save('explicit.pdf', await renderDeskStickers([{ roomName: '第 09 考场', seatNo: 1, ticketNo: '240601100009', name: '测试', idNumberMasked: '430104********0001', level: '中级' }], { fontPath: found.path, fontName: found.postscriptName }));
    has(pdfText(file), 'the sticker', '第 09 考场', '测试');
  });
});

function sheet0(): SignInSheetData {
  return { planName: PLAN, siteName: SITE, roomName: '第 01 考场', sitting: THEORY, candidates: [candidate(0)] };
}
