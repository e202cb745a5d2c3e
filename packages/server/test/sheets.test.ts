import { test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import type { CellValue, Workbook, Worksheet } from 'exceljs';
import { makeIdNumber, settle } from '@kaowu/core';
import {
  candidateTemplate,
  codeColumn,
  columns,
  exportCandidates,
  exportSettlement,
  formatSheetError,
  parseCandidateSheet,
  parseStudentSheet,
  readSheet,
  studentTemplate,
  textColumn,
  type CandidateSheetContext,
  type SheetError,
} from '../src/modules/sheets/index.ts';

type LoadInput = Parameters<Workbook['xlsx']['load']>[0];

async function load(buffer: Buffer): Promise<Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as LoadInput);
  return wb;
}

async function save(wb: Workbook): Promise<Buffer> {
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function headerRowOf(ws: Worksheet, header: string): number {
  for (let r = 1; r <= 10; r++) {
    const values = ws.getRow(r).values as unknown[];
    if (values.includes(header)) return r;
  }
  throw new Error(`no header ${header}`);
}

/** Fills a template the way a user would: values by header, from the first row under the header. */
async function fill(template: Buffer, sheet: string, rows: Record<string, CellValue>[], startAt?: number): Promise<Buffer> {
  const wb = await load(template);
  const ws = wb.getWorksheet(sheet)!;
  const headerRow = headerRowOf(ws, Object.keys(rows[0] ?? {})[0] ?? '姓名');
  const cols = new Map<string, number>();
  ws.getRow(headerRow).eachCell((cell, col) => cols.set(String(cell.value), col));
  rows.forEach((r, i) => {
    for (const [header, value] of Object.entries(r)) {
      const col = cols.get(header);
      assert.ok(col, `template has no column ${header}`);
      ws.getCell((startAt ?? headerRow + 1) + i, col).value = value;
    }
  });
  return save(wb);
}

function errorsOf(result: { rows: unknown[] } | { errors: SheetError[] }): SheetError[] {
  assert.ok('errors' in result, `expected errors, got ${JSON.stringify(result).slice(0, 300)}`);
  assert.ok(!('rows' in result));
  return result.errors;
}

function rowsOf<T>(result: { rows: T[] } | { errors: SheetError[] }): T[] {
  assert.ok('rows' in result, `expected rows, got ${'errors' in result ? result.errors.map(formatSheetError).join('\n') : ''}`);
  return result.rows;
}

const male = (seq: number, y = 2004) => makeIdNumber('110105', { y, m: 3, d: 14 }, seq * 2 + 1); // odd 17th digit
const female = (seq: number, y = 2004) => makeIdNumber('310104', { y, m: 7, d: 2 }, seq * 2);

const ctx: CandidateSheetContext = {
  institutions: [
    { id: 'i1', code: '10001', name: '甲职业技术学院' },
    { id: 'i2', code: '10002', name: '乙职业学院' },
  ],
  majors: [
    { id: 'm1', name: '软件技术', institutionId: 'i1' },
    { id: 'm2', name: '大数据技术', institutionId: 'i1' },
    { id: 'm3', name: '软件技术', institutionId: 'i2' },
  ],
  classes: [
    { id: 'c1', name: '软件2301', majorId: 'm1', institutionId: 'i1' },
    { id: 'c2', name: '大数据2301', majorId: 'm2', institutionId: 'i1' },
    { id: 'c3', name: '软件2301', majorId: 'm3', institutionId: 'i2' },
  ],
  today: new Date('2026-06-01T00:00:00Z'),
};

const good = (over: Record<string, CellValue> = {}): Record<string, CellValue> => ({
  姓名: '张三',
  证件类型: '居民身份证',
  证件号码: male(1),
  性别: '男',
  院校: '甲职业技术学院',
  专业: '软件技术',
  班级: '软件2301',
  手机号: '13800138000',
  ...over,
});

test('candidate template: header styled and frozen, drop-downs, text columns, 填写说明', async () => {
  const wb = await load(await candidateTemplate({ institutions: ctx.institutions }));
  assert.deepEqual(
    wb.worksheets.map((w) => w.name),
    ['考生信息', '填写说明'],
  );
  const ws = wb.getWorksheet('考生信息')!;
  assert.deepEqual((ws.getRow(1).values as unknown[]).slice(1), ['姓名', '证件类型', '证件号码', '性别', '院校', '专业', '班级', '手机号', '照片文件名']);
  assert.equal(ws.getCell('A1').font?.bold, true);
  assert.equal(ws.views[0]?.state, 'frozen');
  assert.equal((ws.views[0] as { ySplit?: number }).ySplit, 1);
  assert.deepEqual(ws.getCell('D2').dataValidation?.formulae, ['"男,女"']);
  assert.deepEqual(ws.getCell('B500').dataValidation?.formulae, ['"居民身份证,护照,港澳居民来往内地通行证,台湾居民来往大陆通行证"']);
  assert.match(String(ws.getCell('E2').dataValidation?.formulae?.[0]), /甲职业技术学院/);
  assert.equal(ws.getColumn(3).numFmt, '@');
  assert.equal(ws.getColumn(8).numFmt, '@');
  const notes = wb.getWorksheet('填写说明')!;
  const text: string[] = [];
  notes.eachRow((row) => row.eachCell((c) => text.push(String(c.value))));
  assert.ok(text.some((t) => t.includes('整批导入')));
  assert.ok(text.includes('证件号码') && text.includes('必填') && text.includes('选填'));
});

test('candidates: template → filled with exceljs → parsed and resolved', async () => {
  const template = await candidateTemplate();
  const buffer = await fill(template, '考生信息', [
    good({ 姓名: { richText: [{ text: ' 张' }, { text: '三 ', font: { bold: true } }] }, 手机号: 13800138000 }),
    good({
      姓名: '李四',
      证件类型: null, // defaults to 居民身份证
      证件号码: ` ${female(2).toLowerCase().slice(0, 9)} ${female(2).toLowerCase().slice(9)} `,
      性别: '女',
      院校: '10001', // by 院校代码
      专业: null,
      班级: '大数据2301', // the major comes from the class
      手机号: { text: '139-0013-9000', hyperlink: 'tel:13900139000' },
      照片文件名: 'lisi.JPG',
    }),
    good({ 姓名: 'John Smith', 证件类型: '护照', 证件号码: 'e12345678', 性别: '男', 院校: '乙职业学院', 专业: '软件技术', 班级: '软件2301' }),
    good({ 姓名: '陈五', 证件类型: '台胞证', 证件号码: 12345678, 性别: '男', 院校: '乙职业学院', 专业: null, 班级: null }),
  ]);
  const rows = rowsOf(await parseCandidateSheet(buffer, ctx));
  assert.deepEqual(rows, [
    {
      row: 2, name: '张三', idType: 'resident', idNumber: male(1), gender: '男', phone: '13800138000',
      institutionName: '甲职业技术学院', institutionId: 'i1', institutionCode: '10001', majorName: '软件技术', majorId: 'm1', className: '软件2301', classId: 'c1',
    },
    {
      row: 3, name: '李四', idType: 'resident', idNumber: female(2), gender: '女', phone: '13900139000', photoFileName: 'lisi.JPG',
      institutionName: '甲职业技术学院', institutionId: 'i1', institutionCode: '10001', className: '大数据2301', classId: 'c2', majorId: 'm2', majorName: '大数据技术',
    },
    {
      row: 4, name: 'John Smith', idType: 'passport', idNumber: 'E12345678', gender: '男', phone: '13800138000',
      institutionName: '乙职业学院', institutionId: 'i2', institutionCode: '10002', majorName: '软件技术', majorId: 'm3', className: '软件2301', classId: 'c3',
    },
    {
      row: 5, name: '陈五', idType: 'taiwan', idNumber: '12345678', gender: '男', phone: '13800138000',
      institutionName: '乙职业学院', institutionId: 'i2', institutionCode: '10002',
    },
  ]);
  // Without reference lists the names are taken as written.
  const loose = rowsOf(await parseCandidateSheet(buffer, { today: ctx.today }));
  assert.equal(loose[1]!.institutionName, '10001');
  assert.equal(loose[1]!.institutionId, undefined);
});

test('candidates: every bad row is listed with row, column and reason; no rows come back', async () => {
  const template = await candidateTemplate();
  const wrongCheck = male(3).slice(0, 17) + (male(3)[17] === '0' ? '1' : '0');
  const badBirth = '11010520040231' + '0015'; // 31 February
  const buffer = await fill(template, '考生信息', [
    good(), // row 2: fine
    good({ 姓名: '王五', 证件号码: wrongCheck }), // row 3
    good({ 姓名: '赵六', 证件号码: badBirth }), // row 4
    good({ 姓名: '孙七', 证件号码: female(4), 性别: '男' }), // row 5: gender mismatch
    good({ 姓名: '周八', 证件号码: male(5) }), // row 6: duplicate of row 8
    good({ 姓名: '吴九', 证件号码: male(6) }), // row 7: exists already
    good({ 姓名: '郑十', 证件号码: male(5) }), // row 8: duplicate of row 6
    good({ 姓名: '钱一', 证件号码: male(7), 班级: '软件9999' }), // row 9: unknown class
    good({ 姓名: '冯二', 证件号码: 110105200403140151 }), // row 10: ID typed as a number
    good({ 姓名: null, 证件号码: male(8), 性别: '未知', 手机号: '2380013800', 院校: '丙学院' }), // row 11: several at once
    good({ 姓名: '陈三', 证件号码: male(9), 专业: '大数据技术', 班级: '软件2301' }), // row 12: class of another major
    good({ 姓名: '褚四', 证件号码: '1.10105E+17' }), // row 13: scientific notation text
  ]);
  const errors = errorsOf(
    await parseCandidateSheet(buffer, { ...ctx, existingIdNumbers: new Map([[`resident|${male(6)}`, '吴九九']]) }),
  );
  const at = (row: number) => errors.filter((e) => e.row === row).map((e) => `${e.column}：${e.reason}`);
  assert.deepEqual(at(2), []);
  assert.deepEqual(at(3), ['证件号码：身份证号校验位不正确']);
  assert.deepEqual(at(4), ['证件号码：身份证号中的出生日期不正确']);
  assert.deepEqual(at(5), ['性别：性别与身份证号不符：身份证号第 17 位表示女']);
  assert.deepEqual(at(6), ['证件号码：与第 8 行证件号码重复']);
  assert.deepEqual(at(7), ['证件号码：证件号码已存在（吴九九）']);
  assert.deepEqual(at(8), ['证件号码：与第 6 行证件号码重复']);
  assert.deepEqual(at(9), ['班级：班级“软件9999”不存在']);
  assert.equal(at(10).length, 1);
  assert.match(at(10)[0]!, /^证件号码：.*存成了数字.*“文本”格式/);
  assert.deepEqual(at(11), ['姓名：姓名不能为空', '性别：应为以下之一：男、女', '院校：院校“丙学院”不存在', '手机号：手机号应为 11 位数字，以 1 开头']);
  assert.deepEqual(at(12), ['班级：班级“软件2301”不属于专业“大数据技术”']);
  assert.match(at(13)[0]!, /“文本”格式/);
  // Sorted by row, all in Chinese, readable as one line each.
  assert.deepEqual(errors.map((e) => e.row), [...errors.map((e) => e.row)].sort((a, b) => a - b));
  assert.equal(formatSheetError(errors[0]!), '第 3 行「证件号码」：身份证号校验位不正确');
});

test('candidates: missing columns, not an xlsx, empty, too many rows', async () => {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  ws.addRow(['姓名', '证件类型', '院校', '手机号']);
  ws.addRow(['张三', '居民身份证', '甲职业技术学院', '13800138000']);
  assert.deepEqual(errorsOf(await parseCandidateSheet(await save(wb))), [{ row: 1, column: '', reason: '缺少列：证件号码、性别' }]);

  for (const bytes of [Buffer.from('姓名,证件号码\n张三,1\n'), Buffer.alloc(0), Buffer.from('PK\u0003\u0004 broken zip')]) {
    assert.deepEqual(errorsOf(await parseCandidateSheet(bytes)), [{ row: 0, column: '', reason: '文件不是有效的 Excel (.xlsx) 文件' }]);
  }
  const xls = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
  assert.match(errorsOf(await parseCandidateSheet(xls))[0]!.reason, /^文件不是有效的 Excel \(\.xlsx\) 文件：旧版 \.xls/);

  assert.deepEqual(errorsOf(await parseCandidateSheet(await candidateTemplate())), [{ row: 0, column: '', reason: '文件中没有数据行' }]);
  // Rows with only blanks (or spaces) do not count.
  const blanks = await fill(await candidateTemplate(), '考生信息', [{ 姓名: '   ', 手机号: '' }]);
  assert.deepEqual(errorsOf(await parseCandidateSheet(blanks)), [{ row: 0, column: '', reason: '文件中没有数据行' }]);

  const three = await fill(await candidateTemplate(), '考生信息', [good(), good({ 证件号码: male(2) }), good({ 证件号码: male(3) })]);
  assert.deepEqual(errorsOf(await parseCandidateSheet(three, { ...ctx, maxRows: 2 })), [
    { row: 0, column: '', reason: '数据行太多：共 3 行，每次最多导入 2 行，请分批导入' },
  ]);
  assert.equal(rowsOf(await parseCandidateSheet(three, ctx)).length, 3);
});

test('candidates export: the upload columns plus ticket, level, site, room and seat; can be uploaded again', async () => {
  const buffer = await exportCandidates([
    { name: '张三', idType: 'resident', idNumber: male(1), gender: '男', institutionName: '甲职业技术学院', majorName: '软件技术', className: '软件2301', phone: '13800138000', ticketNo: '2026110001000101', level: 'junior', siteName: '甲职业技术学院考核站点', roomName: '第01考场', seatNo: 1 },
    { name: '李四', idNumber: female(2), gender: '女', institutionName: '甲职业技术学院', phone: '13900139000', ticketNo: '2026110001000102', level: 'junior', siteName: '甲职业技术学院考核站点', roomName: '第01考场', seatNo: 2 },
  ]);
  const ws = (await load(buffer)).getWorksheet('考生信息')!;
  assert.deepEqual((ws.getRow(1).values as unknown[]).slice(1), ['姓名', '证件类型', '证件号码', '性别', '院校', '专业', '班级', '手机号', '照片文件名', '准考证号', '报考等级', '考核站点', '考场', '座位']);
  assert.deepEqual((ws.getRow(2).values as unknown[]).slice(1, 5), ['张三', '居民身份证', male(1), '男']);
  assert.equal(ws.getCell('J2').value, '2026110001000101');
  assert.equal(ws.getCell('K2').value, '初级');
  assert.equal(ws.getCell('N3').value, 2);
  assert.equal(ws.getColumn(3).numFmt, '@');
  const again = rowsOf(await parseCandidateSheet(buffer, ctx));
  assert.deepEqual(again.map((r) => [r.name, r.idNumber, r.classId]), [['张三', male(1), 'c1'], ['李四', female(2), undefined]]);

  const plain = await exportCandidates([{ name: '王五', idNumber: male(3) }]);
  assert.equal((await load(plain)).getWorksheet('考生信息')!.getRow(1).cellCount, 9);
});

test('students: template of 30 numbered rows; filled rows parsed, empty ones ignored; duplicate 学号 on every row', async () => {
  const template = await studentTemplate();
  const ws = (await load(template)).getWorksheet('学生账号')!;
  assert.deepEqual((ws.getRow(1).values as unknown[]).slice(1), ['序号', '学号', '姓名', '手机号']);
  const numbers: unknown[] = [];
  for (let r = 2; r <= ws.rowCount; r++) {
    if (ws.getCell(r, 1).value !== null) numbers.push(ws.getCell(r, 1).value);
    assert.equal(ws.getCell(r, 2).value, null);
  }
  assert.deepEqual(numbers, Array.from({ length: 30 }, (_, i) => i + 1));
  assert.equal(ws.getColumn(2).numFmt, '@');
  assert.equal(ws.views[0]?.state, 'frozen');
  assert.deepEqual(errorsOf(await parseStudentSheet(template)), [{ row: 0, column: '', reason: '文件中没有数据行' }]);

  const titled = (await load(await studentTemplate({ rows: 5, className: '软件2301' }))).getWorksheet('学生账号')!;
  assert.match(String(titled.getCell('A1').value), /软件2301/);
  assert.equal(titled.getCell('B2').value, '学号');
  assert.equal(titled.getCell('A7').value, 5);
  assert.throws(() => studentTemplate({ rows: 0 }), RangeError);

  const filled = await fill(template, '学生账号', [
    { 学号: '2023010101', 姓名: '张三', 手机号: '13800138000' },
    { 学号: 2023010102, 姓名: '李四' }, // a number cell: exact, taken as its digits
    { 学号: null, 姓名: null },
    { 学号: 's-03', 姓名: { text: '王五', hyperlink: 'mailto:wangwu@example.com' } },
  ]);
  assert.deepEqual(rowsOf(await parseStudentSheet(filled)), [
    { row: 2, studentNo: '2023010101', name: '张三', phone: '13800138000' },
    { row: 3, studentNo: '2023010102', name: '李四' },
    { row: 5, studentNo: 'S-03', name: '王五' },
  ]);

  const bad = await fill(template, '学生账号', [
    { 学号: '2023010101', 姓名: '张三' },
    { 学号: '2023010102', 姓名: null },
    { 学号: '2023010101', 姓名: '王五', 手机号: '123' },
    { 学号: '学号一', 姓名: '赵六' },
    { 学号: '2023010101', 姓名: '孙七' },
  ]);
  assert.deepEqual(errorsOf(await parseStudentSheet(bad)), [
    { row: 2, column: '学号', reason: '与第 4、6 行学号重复' },
    { row: 3, column: '姓名', reason: '姓名不能为空' },
    { row: 4, column: '学号', reason: '与第 2、6 行学号重复' },
    { row: 4, column: '手机号', reason: '手机号应为 11 位数字，以 1 开头' },
    { row: 5, column: '学号', reason: '学号只能包含字母、数字、下划线和短横线' },
    { row: 6, column: '学号', reason: '与第 2、4 行学号重复' },
  ]);
});

test('readSheet: a generic spec; header markers, formulas, dates in text columns', async () => {
  const spec = columns(
    codeColumn({ key: 'code', header: '编号', required: true, what: '编号' }),
    textColumn({ key: 'room', header: '考场', required: false }),
  );
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('任意');
  ws.addRow(['导入考场']);
  ws.addRow(['编号*', '考场（选填）', '备注']);
  ws.addRow([{ formula: '"A"&"1"', result: 'A1' }, '101', 'x']);
  ws.addRow(['A2', new Date(Date.UTC(2026, 0, 2)), 'y']);
  ws.addRow([12345678901234567890, 'ok']);
  const errors = errorsOf(await readSheet(await save(wb), spec));
  assert.deepEqual(errors.map((e) => [e.row, e.column]), [[4, '考场'], [5, '编号']]);
  assert.match(errors[0]!.reason, /日期.*“文本”格式/);
  const ok = new ExcelJS.Workbook();
  ok.addWorksheet('任意').addRows([['编号 *', '备注'], [{ formula: '"A"&"1"', result: 'A1' }, 'x'], [], [' b-2 ', 'y']]);
  const rows = rowsOf(await readSheet(await save(ok), spec));
  assert.deepEqual(rows, [{ row: 2, code: 'A1', room: undefined }, { row: 4, code: 'B-2', room: undefined }]);
});

test('settlement: 20 at the site institution, 15 from another; exported and read back', async () => {
  const s = settle(
    [
      { institutionId: 'i2', institutionName: '乙职业学院', count: 15 },
      { institutionId: 'i1', institutionName: '甲职业技术学院', count: 20 },
    ],
    'i1',
  );
  assert.deepEqual(
    s.lines.map((l) => [l.institutionName, l.registrations, l.payable, l.refund, l.net]),
    [
      ['甲职业技术学院', 20, 20 * 240, 0, 4800],
      ['乙职业学院', 15, 15 * 300, 15 * 60, 15 * 300 - 15 * 60],
    ],
  );
  assert.deepEqual(s.totals, { registrations: 35, payable: 9300, refund: 900, net: 8400, operatorShare: 8400, siteShare: 2100 });

  const buffer = await exportSettlement({ planName: '2026 年第二批', siteName: '甲职业技术学院考核站点', siteInstitutionName: '甲职业技术学院', ...s });
  const ws = (await load(buffer)).getWorksheet('结算')!;
  const texts: string[] = [];
  ws.eachRow((row) => row.eachCell((c) => texts.push(typeof c.value === 'string' ? c.value : '')));
  assert.ok(texts.includes('每人每次 300 元：培训评价组织 240 元，考核站点 60 元'));
  assert.ok(texts.some((t) => t.includes('甲职业技术学院考核站点')));
  const header = headerRowOf(ws, '院校');
  assert.deepEqual((ws.getRow(header).values as unknown[]).slice(1), ['序号', '院校', '报考人次', '应缴金额', '返还金额', '实缴金额', '结算方式']);
  assert.deepEqual((ws.getRow(header + 1).values as unknown[]).slice(1), [1, '甲职业技术学院', 20, 4800, 0, 4800, '站点院校直缴 240 元/人']);
  assert.deepEqual((ws.getRow(header + 2).values as unknown[]).slice(1), [2, '乙职业学院', 15, 4500, 900, 3600, '缴 300 元/人，返还 60 元/人']);
  const totals = ws.getRow(header + 3);
  assert.equal(totals.getCell(2).value, '合计');
  assert.deepEqual(totals.getCell(4).value, { formula: `SUM(D${header + 1}:D${header + 2})`, result: 9300 });
  assert.deepEqual([3, 4, 5, 6].map((c) => totals.getCell(c).result), [35, 9300, 900, 8400]);
  for (const c of [4, 5, 6]) {
    assert.match(ws.getCell(header + 1, c).numFmt, /¥/);
    assert.match(totals.getCell(c).numFmt, /¥/);
  }
  await assert.rejects(exportSettlement({ planName: 'p', siteName: 's', siteInstitutionName: 'i', lines: s.lines, totals: { ...s.totals, net: 1 } }), /合计与明细不符/);
});
