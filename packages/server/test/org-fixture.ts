// Test helpers for institutions and their people: API calls as a given token,
// and filled-in student import files.

import ExcelJS from 'exceljs';
import type { TestApp } from './helpers.ts';
import { studentTemplate } from '../src/modules/sheets/index.ts';

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface Reply {
  status: number;
  body: any;
  raw: string;
  headers: Record<string, unknown>;
  rawPayload: Buffer;
}

export function caller(t: () => TestApp) {
  return async (method: string, url: string, opts: { token?: string; body?: unknown; xlsx?: Buffer } = {}): Promise<Reply> => {
    const headers: Record<string, string> = {};
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.xlsx) headers['content-type'] = XLSX;
    const res = await t().app.inject({
      method: method as 'GET',
      url,
      headers,
      ...(opts.xlsx ? { payload: opts.xlsx } : opts.body !== undefined ? { payload: opts.body as object } : {}),
    });
    let body: any = null;
    try {
      body = res.json();
    } catch {
      body = null;
    }
    return { status: res.statusCode, body, raw: res.body, headers: res.headers, rawPayload: res.rawPayload };
  };
}

/** The student template of a class, filled in: each row [学号, 姓名, 手机号?] from the first data row on. */
export async function studentFile(rows: (string | number)[][], opts: { className?: string } = {}): Promise<Buffer> {
  const template = await studentTemplate({ className: opts.className ?? '测试班', rows: 30 });
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(template as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  let headerRow = 1;
  ws.eachRow((row, n) => {
    if (row.getCell(2).value === '学号') headerRow = n;
  });
  rows.forEach((values, i) => {
    values.forEach((v, j) => (ws.getCell(headerRow + 1 + i, 2 + j).value = v));
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The rows of the first sheet of an .xlsx, as text. */
export async function sheetRows(buffer: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  const out: string[][] = [];
  wb.worksheets[0]!.eachRow((row) => {
    const vals = (row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)));
    out.push(vals);
  });
  return out;
}
