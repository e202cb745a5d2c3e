/**
 * The generic spreadsheet layer: a list of column specs gives an import
 * template (.xlsx) and an all-or-nothing reader. Pure: Buffer in, Buffer or
 * rows/errors out; no database. Every text a user sees is Simplified Chinese.
 */
import ExcelJS from 'exceljs';
import type { CellValue, DataValidation, Workbook, Worksheet } from 'exceljs';

// ---------------------------------------------------------------------------
// Cells

/** One cell as a column's parser sees it: rich text, hyperlinks and formulas are reduced to their text or result. */
export type RawCell =
  | { kind: 'empty'; text: '' }
  /** Trimmed; never empty. */
  | { kind: 'text'; text: string }
  /** `text` is the number written out in full (no exponent below 1e21). */
  | { kind: 'number'; text: string; number: number }
  | { kind: 'date'; text: string; date: Date }
  | { kind: 'boolean'; text: string; value: boolean }
  /** An Excel error value such as #N/A. */
  | { kind: 'error'; text: string };

/** What a parser returns for a bad cell: the reason, in Chinese. */
export interface CellError {
  error: string;
}

export const cellError = (error: string): CellError => ({ error });

export function isCellError(v: unknown): v is CellError {
  return typeof v === 'object' && v !== null && !(v instanceof Date) && typeof (v as CellError).error === 'string' && Object.keys(v).length === 1;
}

const INVISIBLE = /[\u200b-\u200d\u2060\ufeff]/g;

function cleanText(s: string): string {
  return s.replace(INVISIBLE, '').replace(/\r\n?/g, '\n').trim();
}

function numberText(n: number): string {
  if (Number.isInteger(n)) return String(n);
  return String(Number(n.toPrecision(15)));
}

function dateText(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function textOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return numberText(v);
  if (v && typeof v === 'object' && 'richText' in v && Array.isArray((v as { richText: unknown }).richText)) {
    return (v as { richText: { text?: unknown }[] }).richText.map((r) => (typeof r.text === 'string' ? r.text : '')).join('');
  }
  return '';
}

/** Reduces an exceljs cell value to a RawCell. */
export function rawCell(value: CellValue | unknown): RawCell {
  if (value === null || value === undefined) return { kind: 'empty', text: '' };
  if (typeof value === 'string') {
    const text = cleanText(value);
    return text ? { kind: 'text', text } : { kind: 'empty', text: '' };
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { kind: 'error', text: String(value) };
    return { kind: 'number', text: numberText(value), number: value };
  }
  if (typeof value === 'boolean') return { kind: 'boolean', text: value ? 'TRUE' : 'FALSE', value };
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? { kind: 'error', text: '无效日期' } : { kind: 'date', text: dateText(value), date: value };
  }
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if ('error' in v && typeof v.error === 'string') return { kind: 'error', text: v.error };
    if ('formula' in v || 'sharedFormula' in v) return rawCell(v.result);
    if ('richText' in v) return rawCell(textOf(v));
    if ('hyperlink' in v) {
      const text = textOf(v.text);
      return rawCell(text || (typeof v.hyperlink === 'string' ? v.hyperlink.replace(/^mailto:/i, '') : ''));
    }
    if ('text' in v) return rawCell(textOf(v.text));
  }
  return { kind: 'error', text: '无法识别的内容' };
}

// ---------------------------------------------------------------------------
// Columns

export interface ColumnSpec<K extends string = string, V = unknown> {
  key: K;
  /** The header cell, in Chinese; matched ignoring spaces, “*” and “（必填）”. */
  header: string;
  /** An empty cell is reported as “不能为空” without calling `parse`. */
  required: boolean;
  /** Column width in characters. */
  width: number;
  /** Shown in the 填写说明 sheet. */
  example?: string;
  /** What to fill in; shown in 填写说明 and as the header cell's note. */
  note?: string;
  /** Offered as a drop-down list in the template. */
  list?: readonly string[];
  /** When false, values outside `list` are allowed after a warning (e.g. a code instead of a name). Default true. */
  listStrict?: boolean;
  /** Format the column as text (@) in the template so Excel keeps long numbers and leading zeros. */
  text?: boolean;
  /** Other header texts accepted for this column. */
  aliases?: readonly string[];
  /** The cell's value, or `{ error }` with the reason. Optional columns get empty cells too. */
  parse(cell: RawCell): V | CellError;
}

export type AnyColumn = ColumnSpec<string, any>;

/** The record a spec reads: one property per column. */
export type SheetRecord<S extends readonly AnyColumn[]> = {
  [C in S[number] as C['key']]: C extends ColumnSpec<string, infer V> ? V : never;
};

/** Keeps the literal keys of a spec list for `SheetRecord`. */
export function columns<const S extends readonly AnyColumn[]>(...spec: S): S {
  const keys = new Set<string>();
  for (const c of spec) {
    if (c.key === 'row') throw new Error('列的 key 不能是 row（row 留给 Excel 行号）');
    if (keys.has(c.key)) throw new Error(`列的 key 重复：${c.key}`);
    keys.add(c.key);
  }
  return spec;
}

interface ColumnBase<K extends string, R extends boolean> {
  key: K;
  header: string;
  required: R;
  width?: number;
  example?: string;
  note?: string;
  aliases?: readonly string[];
}

type Maybe<R extends boolean, V> = R extends true ? V : V | undefined;

const DATE_CELL = '该单元格被 Excel 识别成了日期，请把该列设置为“文本”格式后重新填写';
const ERROR_CELL = (t: string) => `单元格是错误值 ${t}，请填写实际内容`;

/** Plain text, trimmed. Numbers are taken as their digits; dates are refused (Excel turns “1-2” into a date). */
export function textColumn<K extends string, R extends boolean>(
  base: ColumnBase<K, R> & { maxLength?: number; pattern?: RegExp; patternMessage?: string; text?: boolean },
): ColumnSpec<NoInfer<K>, Maybe<NoInfer<R>, string>> {
  const maxLength = base.maxLength ?? 100;
  return {
    ...base,
    width: base.width ?? 14,
    parse(cell) {
      if (cell.kind === 'empty') return undefined as Maybe<R, string>;
      if (cell.kind === 'date') return cellError(DATE_CELL);
      if (cell.kind === 'error') return cellError(ERROR_CELL(cell.text));
      const text = cell.text;
      if (text.includes('\n')) return cellError('不能包含换行');
      if ([...text].length > maxLength) return cellError(`不能超过 ${maxLength} 个字`);
      if (base.pattern && !base.pattern.test(text)) return cellError(base.patternMessage ?? '格式不正确');
      return text;
    },
  };
}

const SCIENTIFIC = /^[+-]?\d+(\.\d+)?E[+-]?\d+$/i;

/**
 * A code typed as digits (ID numbers, student numbers): spaces removed,
 * upper-cased. A number cell is accepted only when Excel kept it exactly
 * (a safe integer); longer numbers have lost their last digits, so the user
 * is asked to format the column as text. Text in scientific notation
 * (1.10105E+17) is refused the same way.
 */
export function codeColumn<K extends string, R extends boolean>(
  base: ColumnBase<K, R> & { maxLength?: number; pattern?: RegExp; patternMessage?: string; what?: string },
): ColumnSpec<NoInfer<K>, Maybe<NoInfer<R>, string>> {
  const maxLength = base.maxLength ?? 32;
  const what = base.what ?? base.header;
  const asText = `${what}被 Excel 存成了数字，长号码的末几位可能已经丢失：请把该列设置为“文本”格式，重新填写${what}后再上传`;
  return {
    ...base,
    text: true,
    width: base.width ?? 20,
    parse(cell) {
      if (cell.kind === 'empty') return undefined as Maybe<R, string>;
      if (cell.kind === 'date') return cellError(DATE_CELL);
      if (cell.kind === 'error') return cellError(ERROR_CELL(cell.text));
      if (cell.kind === 'number') {
        if (!Number.isSafeInteger(cell.number) || cell.number < 0) return cellError(asText);
        return String(cell.number);
      }
      const text = cell.text.replace(/\s+/g, '').toUpperCase();
      if (SCIENTIFIC.test(text)) return cellError(asText);
      if (text.length > maxLength) return cellError(`不能超过 ${maxLength} 个字符`);
      if (base.pattern && !base.pattern.test(text)) return cellError(base.patternMessage ?? '格式不正确');
      return text;
    },
  };
}

/** A mainland mobile number: 11 digits starting with 1. A number cell is fine; spaces, dashes and +86 are dropped. */
export function phoneColumn<K extends string, R extends boolean>(base: ColumnBase<K, R>): ColumnSpec<NoInfer<K>, Maybe<NoInfer<R>, string>> {
  const wrong = '手机号应为 11 位数字，以 1 开头';
  return {
    note: '11 位手机号码',
    example: '13800138000',
    ...base,
    text: true,
    width: base.width ?? 16,
    parse(cell) {
      if (cell.kind === 'empty') return undefined as Maybe<R, string>;
      if (cell.kind === 'date') return cellError(wrong);
      if (cell.kind === 'error') return cellError(ERROR_CELL(cell.text));
      if (cell.kind === 'number') {
        return Number.isSafeInteger(cell.number) && /^1\d{10}$/.test(String(cell.number)) ? String(cell.number) : cellError(wrong);
      }
      let digits = cell.text.replace(/[\s\-()（）]/g, '');
      if (SCIENTIFIC.test(digits)) return cellError(`${wrong}（该单元格是科学计数法，请把该列设置为“文本”格式后重新填写）`);
      digits = digits.replace(/^(\+86|0086)/, '');
      return /^1\d{10}$/.test(digits) ? digits : cellError(wrong);
    },
  };
}

/** One of a fixed list; `aliases` maps other spellings (身份证 → 居民身份证). Empty gives `defaultValue` when there is one. */
export function choiceColumn<K extends string, R extends boolean, const C extends string, D extends C | undefined = undefined>(
  base: ColumnBase<K, R> & { choices: readonly C[]; valueAliases?: Readonly<Record<string, NoInfer<C>>>; defaultValue?: D },
): ColumnSpec<NoInfer<K>, NoInfer<D> extends C ? C : Maybe<NoInfer<R>, C>> {
  const { choices, valueAliases = {}, defaultValue } = base;
  const lookup = new Map<string, C>();
  for (const c of choices) lookup.set(c, c);
  for (const [alias, c] of Object.entries(valueAliases)) lookup.set(alias.replace(/\s+/g, ''), c);
  return {
    key: base.key,
    header: base.header,
    required: base.required,
    width: base.width ?? Math.max(10, ...choices.map((c) => c.length * 2 + 2)),
    example: base.example ?? defaultValue ?? choices[0],
    note: base.note ?? `从下拉列表中选择：${choices.join('、')}${defaultValue ? `；不填时为${defaultValue}` : ''}`,
    aliases: base.aliases,
    list: choices,
    parse(cell) {
      if (cell.kind === 'empty') return defaultValue as D extends C ? C : Maybe<R, C>;
      if (cell.kind === 'error') return cellError(ERROR_CELL(cell.text));
      const found = lookup.get(cell.text.replace(/\s+/g, ''));
      return (found as D extends C ? C : Maybe<R, C>) ?? cellError(`应为以下之一：${choices.join('、')}`);
    },
  };
}

// ---------------------------------------------------------------------------
// Templates

export const NOTES_SHEET = '填写说明';
const LISTS_SHEET = '选项';
const HEADER_FILL = 'FFDDEBF7';

export interface TemplateOptions {
  /** The data sheet's name (default “数据”). */
  sheetName?: string;
  /** A title row above the header (e.g. the class name). */
  title?: string;
  /** Adds a 序号 column and this many numbered rows to fill in. */
  numberedRows?: number;
  /** How many rows below the header get drop-downs and text format (default 1000). */
  formattedRows?: number;
  /** Extra lines for 填写说明, after the general ones. */
  instructions?: readonly string[];
  /** Rows at most in one import, as told in 填写说明. */
  maxRows?: number;
}

export function columnLetter(n: number): string {
  let s = '';
  for (let i = n; i > 0; i = Math.floor((i - 1) / 26)) s = String.fromCharCode(65 + ((i - 1) % 26)) + s;
  return s;
}

type WithValidations = Worksheet & { dataValidations: { add(range: string, validation: DataValidation): void } };

function styleHeaderRow(ws: Worksheet, rowNumber: number, count: number, requiredCols: ReadonlySet<number> = new Set()): void {
  const row = ws.getRow(rowNumber);
  row.height = 22;
  for (let c = 1; c <= count; c++) {
    const cell = row.getCell(c);
    cell.font = { bold: true, color: { argb: requiredCols.has(c) ? 'FFC00000' : 'FF000000' } };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: HEADER_FILL } };
    cell.alignment = { vertical: 'middle', horizontal: 'center' };
    cell.border = { bottom: { style: 'thin', color: { argb: 'FF8EA9DB' } } };
    cell.numFmt = 'General';
  }
  ws.views = [{ state: 'frozen', xSplit: 0, ySplit: rowNumber, activeCell: `A${rowNumber + 1}` }];
}

/** Builds an import template: the data sheet (styled, frozen header, drop-downs, text columns) and 填写说明. */
export async function buildTemplate(spec: readonly AnyColumn[], opts: TemplateOptions = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '考务';
  const sheetName = opts.sheetName ?? '数据';
  const ws = wb.addWorksheet(sheetName) as WithValidations;
  const numbered = opts.numberedRows !== undefined;
  if (numbered && (!Number.isSafeInteger(opts.numberedRows) || opts.numberedRows! < 0 || opts.numberedRows! > 10000)) {
    throw new RangeError(`行数应为 0 到 10000 之间的整数：${opts.numberedRows}`);
  }
  const offset = numbered ? 1 : 0;
  const headerRow = opts.title ? 2 : 1;
  const formatted = Math.max(opts.formattedRows ?? 1000, opts.numberedRows ?? 0);
  const lastRow = headerRow + formatted;

  if (numbered) ws.getColumn(1).width = 6;
  spec.forEach((c, i) => {
    const col = ws.getColumn(i + 1 + offset);
    col.width = c.width;
    if (c.text) col.numFmt = '@';
  });
  if (opts.title) {
    const t = ws.getCell(1, 1);
    t.value = opts.title;
    t.font = { bold: true, size: 14 };
    ws.mergeCells(1, 1, 1, spec.length + offset);
    ws.getRow(1).height = 26;
  }
  const header = ws.getRow(headerRow);
  if (numbered) header.getCell(1).value = '序号';
  const required = new Set<number>();
  spec.forEach((c, i) => {
    const cell = header.getCell(i + 1 + offset);
    cell.value = c.header;
    if (c.required) required.add(i + 1 + offset);
    if (c.note) cell.note = `${c.required ? '必填。' : '选填。'}${c.note}`;
  });
  styleHeaderRow(ws, headerRow, spec.length + offset, required);
  for (let i = 1; i <= (opts.numberedRows ?? 0); i++) ws.getCell(headerRow + i, 1).value = i;

  let lists: Worksheet | undefined;
  spec.forEach((c, i) => {
    if (!c.list || c.list.length === 0) return;
    const letter = columnLetter(i + 1 + offset);
    const inline = c.list.every((v) => !/[,"]/.test(v)) && c.list.join(',').length <= 250;
    let formula: string;
    if (inline) formula = `"${c.list.join(',')}"`;
    else {
      lists ??= wb.addWorksheet(LISTS_SHEET, { state: 'hidden' });
      const listCol = lists.columnCount + 1;
      lists.getCell(1, listCol).value = c.header;
      c.list.forEach((v, j) => (lists!.getCell(j + 2, listCol).value = v));
      const l = columnLetter(listCol);
      formula = `'${LISTS_SHEET}'!$${l}$2:$${l}$${c.list.length + 1}`;
    }
    const strict = c.listStrict ?? true;
    ws.dataValidations.add(`${letter}${headerRow + 1}:${letter}${lastRow}`, {
      type: 'list',
      allowBlank: true,
      formulae: [formula],
      showErrorMessage: true,
      errorStyle: strict ? 'stop' : 'warning',
      errorTitle: c.header,
      error: strict ? `请从下拉列表中选择${c.header}` : `${c.header}不在列表中，确定要填写吗？`,
    });
  });

  addNotesSheet(wb, spec, sheetName, headerRow, opts);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function addNotesSheet(wb: Workbook, spec: readonly AnyColumn[], sheetName: string, headerRow: number, opts: TemplateOptions): void {
  const ns = wb.addWorksheet(NOTES_SHEET);
  ns.columns = [{ width: 18 }, { width: 10 }, { width: 60 }, { width: 26 }];
  const general = [
    `1. 请在“${sheetName}”工作表中从第 ${headerRow + 1} 行起填写，每行一条记录；不要修改、删除或移动表头（第 ${headerRow} 行）。`,
    '2. 红色表头的列必须填写，其余列可以不填。',
    '3. 证件号码、学号、手机号等列已设置为“文本”格式，请勿改成数字格式，否则 Excel 会把 18 位号码的末几位变成 0。',
    '4. 整批导入：只要有一行有错误，整批都不会导入；系统会列出每个错误所在的行号、列名和原因，改正后重新上传即可。',
    ...(opts.maxRows ? [`5. 每个文件最多 ${opts.maxRows} 行数据，超过请分批导入。`] : []),
    ...(opts.instructions ?? []),
  ];
  let r = 1;
  ns.getCell(r, 1).value = '填写说明';
  ns.getCell(r, 1).font = { bold: true, size: 14 };
  r += 1;
  for (const line of general) {
    ns.mergeCells(r, 1, r, 4);
    const cell = ns.getCell(r, 1);
    cell.value = line;
    cell.alignment = { wrapText: true, vertical: 'top' };
    ns.getRow(r).height = 30;
    r += 1;
  }
  r += 1;
  ['列名', '是否必填', '说明', '示例'].forEach((h, i) => (ns.getCell(r, i + 1).value = h));
  styleHeaderRow(ns, r, 4);
  ns.views = [];
  for (const c of spec) {
    r += 1;
    const row = ns.getRow(r);
    row.getCell(1).value = c.header;
    row.getCell(2).value = c.required ? '必填' : '选填';
    row.getCell(3).value = c.note ?? '';
    row.getCell(4).value = c.example ?? '';
    row.getCell(4).numFmt = '@';
    row.getCell(3).alignment = { wrapText: true, vertical: 'top' };
    if (c.required) row.getCell(2).font = { color: { argb: 'FFC00000' } };
  }
}

// ---------------------------------------------------------------------------
// Reading

/** One problem of an upload. `row` is the Excel row number the user sees (0 for the file as a whole); `column` the Chinese header ('' for none). */
export interface SheetError {
  row: number;
  column: string;
  reason: string;
}

export interface ReadOptions {
  /** Data rows at most (default 2000). */
  maxRows?: number;
  /** File size at most, in bytes (default 10 MB). */
  maxBytes?: number;
  /** Read this worksheet; by default the first one whose header matches. */
  sheetName?: string;
}

export const NOT_XLSX = '文件不是有效的 Excel (.xlsx) 文件';
export const NO_DATA = '文件中没有数据行';

/** A row that was read: the values of the cells that parsed, and the problems of the others. */
export interface ScannedRow<T> {
  row: number;
  values: Partial<T>;
  errors: SheetError[];
}

export type ScanResult<T> = { rows: ScannedRow<T>[] } | { errors: SheetError[] };
export type SheetResult<T> = { rows: T[] } | { errors: SheetError[] };

const fileError = (reason: string): { errors: SheetError[] } => ({ errors: [{ row: 0, column: '', reason }] });

function normalizeHeader(s: string): string {
  return s
    .replace(INVISIBLE, '')
    .replace(/\s+/g, '')
    .replace(/[（(](必填|选填|可选|可不填)[）)]/g, '')
    .replace(/[*＊:：]/g, '');
}

async function loadWorkbook(buffer: Uint8Array): Promise<Workbook | string> {
  if (!(buffer instanceof Uint8Array) || buffer.length < 4) return NOT_XLSX;
  const ole = buffer[0] === 0xd0 && buffer[1] === 0xcf && buffer[2] === 0x11 && buffer[3] === 0xe0;
  if (ole) return `${NOT_XLSX}：旧版 .xls 或加密的文件请先在 Excel 中另存为不加密的 .xlsx`;
  if (buffer[0] !== 0x50 || buffer[1] !== 0x4b) return NOT_XLSX;
  try {
    const wb = new ExcelJS.Workbook();
    // exceljs types its input as its own ArrayBuffer-like `Buffer`; a Node Buffer is what it reads.
    type LoadInput = Parameters<Workbook['xlsx']['load']>[0];
    await wb.xlsx.load((Buffer.isBuffer(buffer) ? buffer : Buffer.from(buffer)) as unknown as LoadInput);
    return wb.worksheets.length > 0 ? wb : NOT_XLSX;
  } catch {
    return NOT_XLSX;
  }
}

interface HeaderMatch {
  row: number;
  /** spec index → worksheet column numbers with that header */
  columns: number[][];
  found: number;
}

function findHeader(ws: Worksheet, spec: readonly AnyColumn[]): HeaderMatch | null {
  const names = spec.map((c) => new Set([c.header, ...(c.aliases ?? [])].map(normalizeHeader)));
  let best: HeaderMatch | null = null;
  const last = Math.min(ws.rowCount, 10);
  for (let r = 1; r <= last; r++) {
    const row = ws.getRow(r);
    const cols: number[][] = spec.map(() => []);
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      const text = normalizeHeader(rawCell(cell.value).text);
      if (!text) return;
      const i = names.findIndex((n) => n.has(text));
      if (i >= 0) cols[i]!.push(col);
    });
    const found = cols.filter((c) => c.length > 0).length;
    if (found > 0 && (!best || found > best.found)) best = { row: r, columns: cols, found };
    if (best && best.found === spec.length) break;
  }
  return best;
}

/**
 * Reads every data row of an upload with a spec, without deciding yet: the
 * file-level problems (not an xlsx, missing columns, no rows, too many rows)
 * come back as `errors`, else each row with its values and cell problems.
 * Rows whose spec columns are all empty are skipped.
 */
export async function scanSheet<S extends readonly AnyColumn[]>(
  buffer: Uint8Array,
  spec: S,
  opts: ReadOptions = {},
): Promise<ScanResult<SheetRecord<S>>> {
  const maxRows = opts.maxRows ?? 2000;
  const maxBytes = opts.maxBytes ?? 10 * 1024 * 1024;
  if (buffer instanceof Uint8Array && buffer.length > maxBytes) {
    return fileError(`文件太大（${(buffer.length / 1024 / 1024).toFixed(1)} MB），不能超过 ${Math.floor(maxBytes / 1024 / 1024)} MB`);
  }
  const wb = await loadWorkbook(buffer);
  if (typeof wb === 'string') return fileError(wb);

  let ws: Worksheet | undefined;
  let header: HeaderMatch | null = null;
  if (opts.sheetName) {
    ws = wb.getWorksheet(opts.sheetName);
    if (!ws) return fileError(`文件中没有名为“${opts.sheetName}”的工作表`);
    header = findHeader(ws, spec);
  } else {
    const candidates = wb.worksheets.filter((w) => w.state !== 'hidden' && w.state !== 'veryHidden' && w.name !== NOTES_SHEET);
    for (const w of candidates) {
      const h = findHeader(w, spec);
      if (h && (!header || h.found > header.found)) [ws, header] = [w, h];
    }
    ws ??= candidates[0] ?? wb.worksheets[0]!;
  }

  const headerErrors: SheetError[] = [];
  const missing = header
    ? spec.filter((c, i) => c.required && header.columns[i]!.length === 0).map((c) => c.header)
    : (spec.some((c) => c.required) ? spec.filter((c) => c.required) : spec).map((c) => c.header);
  if (missing.length > 0) headerErrors.push({ row: header?.row ?? 1, column: '', reason: `缺少列：${missing.join('、')}` });
  spec.forEach((c, i) => {
    const cols = header?.columns[i] ?? [];
    if (cols.length > 1) {
      headerErrors.push({ row: header!.row, column: c.header, reason: `列“${c.header}”出现了 ${cols.length} 次（第 ${cols.map(columnLetter).join('、')} 列），只能有一列` });
    }
  });
  if (headerErrors.length > 0 || !header) return { errors: headerErrors };
  const h = header;

  const rows: ScannedRow<SheetRecord<S>>[] = [];
  let tooMany = false;
  let total = 0;
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (rowNumber <= h.row) return;
    const cells = spec.map((_, i) => {
      const col = h.columns[i]![0];
      return col === undefined ? ({ kind: 'empty', text: '' } as RawCell) : rawCell(row.getCell(col).value);
    });
    if (cells.every((c) => c.kind === 'empty')) return;
    total += 1;
    if (total > maxRows) {
      tooMany = true;
      return;
    }
    const values: Record<string, unknown> = {};
    const errors: SheetError[] = [];
    spec.forEach((c, i) => {
      const cell = cells[i]!;
      if (cell.kind === 'empty' && c.required) {
        errors.push({ row: rowNumber, column: c.header, reason: `${c.header}不能为空` });
        return;
      }
      let v: unknown;
      try {
        v = c.parse(cell);
      } catch (err) {
        v = cellError(`无法读取：${(err as Error).message}`);
      }
      if (isCellError(v)) errors.push({ row: rowNumber, column: c.header, reason: v.error });
      else values[c.key] = v;
    });
    rows.push({ row: rowNumber, values: values as Partial<SheetRecord<S>>, errors });
  });
  if (tooMany) return fileError(`数据行太多：共 ${total} 行，每次最多导入 ${maxRows} 行，请分批导入`);
  if (rows.length === 0) return fileError(NO_DATA);
  return { rows };
}

/** Orders problems by row, then by the column's place in the spec. */
export function sortErrors(errors: readonly SheetError[], spec: readonly AnyColumn[]): SheetError[] {
  const order = new Map(spec.map((c, i) => [c.header, i]));
  return [...errors].sort((a, b) => a.row - b.row || (order.get(a.column) ?? -1) - (order.get(b.column) ?? -1));
}

/**
 * All or nothing: the rows when no row has a problem (including `extra`
 * problems found across rows), else every problem and no rows.
 */
export function finishSheet<T>(scanned: ScannedRow<T>[], spec: readonly AnyColumn[], extra: readonly SheetError[] = []): SheetResult<T & { row: number }> {
  const errors = [...scanned.flatMap((r) => r.errors), ...extra];
  if (errors.length > 0) return { errors: sortErrors(errors, spec) };
  return { rows: scanned.map((r) => ({ ...(r.values as T), row: r.row })) };
}

/** Reads an upload all or nothing: every row parsed (with its Excel row number as `row`), or every problem. */
export async function readSheet<S extends readonly AnyColumn[]>(
  buffer: Uint8Array,
  spec: S,
  opts: ReadOptions = {},
): Promise<SheetResult<SheetRecord<S> & { row: number }>> {
  const scanned = await scanSheet(buffer, spec, opts);
  if ('errors' in scanned) return scanned;
  return finishSheet(scanned.rows, spec);
}

/** Finds values that occur on more than one row; reports each such row, naming the others. */
export function duplicateErrors<T>(
  rows: readonly { row: number; key: T | undefined }[],
  column: string,
  what: string,
): SheetError[] {
  const seen = new Map<T, number[]>();
  for (const r of rows) {
    if (r.key === undefined) continue;
    const list = seen.get(r.key);
    if (list) list.push(r.row);
    else seen.set(r.key, [r.row]);
  }
  const errors: SheetError[] = [];
  for (const list of seen.values()) {
    if (list.length < 2) continue;
    for (const row of list) {
      const others = list.filter((o) => o !== row);
      errors.push({ row, column, reason: `与第 ${others.join('、')} 行${what}重复` });
    }
  }
  return errors;
}

/** One line for a message list: “第 3 行「证件号码」：身份证号校验位不正确”. */
export function formatSheetError(e: SheetError): string {
  if (e.row === 0) return e.reason;
  return e.column ? `第 ${e.row} 行「${e.column}」：${e.reason}` : `第 ${e.row} 行：${e.reason}`;
}

// ---------------------------------------------------------------------------
// Exports

export interface TableColumn {
  header: string;
  width: number;
  /** Text format (@): for ID numbers, tickets, phones. */
  text?: boolean;
  numFmt?: string;
}

/** Writes a header (styled, frozen, with a filter unless `filter: false`) and the rows below it; returns the row after the last. */
export function writeTable(
  ws: Worksheet,
  cols: readonly TableColumn[],
  rows: readonly CellValue[][],
  opts: { startRow?: number; filter?: boolean } = {},
): number {
  const startRow = opts.startRow ?? 1;
  cols.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    col.width = c.width;
    if (c.text) col.numFmt = '@';
    else if (c.numFmt) col.numFmt = c.numFmt;
  });
  const header = ws.getRow(startRow);
  cols.forEach((c, i) => (header.getCell(i + 1).value = c.header));
  styleHeaderRow(ws, startRow, cols.length);
  rows.forEach((values, r) => {
    const row = ws.getRow(startRow + 1 + r);
    values.forEach((v, i) => {
      const cell = row.getCell(i + 1);
      const c = cols[i];
      cell.value = c?.text && typeof v === 'number' ? String(v) : v;
    });
  });
  if (opts.filter !== false && cols.length > 0) ws.autoFilter = { from: { row: startRow, column: 1 }, to: { row: startRow + rows.length, column: cols.length } };
  return startRow + 1 + rows.length;
}

export async function workbookBuffer(wb: Workbook): Promise<Buffer> {
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export function newWorkbook(): Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = '考务';
  return wb;
}
