/**
 * The settlement sheet (结算) of one site for one plan: one line per paying
 * institution and a totals row, amounts in yuan formatted as ¥. The numbers
 * come from `settle` in @kaowu/core.
 */
import { OPERATOR_SHARE, SETTLEMENT_RULE, SITE_SHARE, type SettlementMode } from '@kaowu/core';
import { newWorkbook, workbookBuffer, writeTable, type TableColumn } from './core.ts';

export const SETTLEMENT_SHEET = '结算';
export const YUAN_FORMAT = '"¥"#,##0.00';

export interface SettlementSheetLine {
  institutionName: string;
  registrations: number;
  payable: number;
  refund: number;
  net: number;
  mode: SettlementMode;
}

export interface SettlementSheetData {
  planName: string;
  siteName: string;
  siteInstitutionName: string;
  lines: readonly SettlementSheetLine[];
  totals: { registrations: number; payable: number; refund: number; net: number };
}

/**
 * The settlement as .xlsx. The totals row holds SUM formulas with their values
 * cached, so it reads right with or without recalculation; totals that
 * disagree with the lines are refused.
 */
export async function exportSettlement(data: SettlementSheetData): Promise<Buffer> {
  const sum = (f: (l: SettlementSheetLine) => number) => data.lines.reduce((s, l) => s + f(l), 0);
  const computed = { registrations: sum((l) => l.registrations), payable: sum((l) => l.payable), refund: sum((l) => l.refund), net: sum((l) => l.net) };
  for (const k of ['registrations', 'payable', 'refund', 'net'] as const) {
    if (computed[k] !== data.totals[k]) throw new Error(`结算合计与明细不符（${k}：合计 ${data.totals[k]}，明细之和 ${computed[k]}）`);
  }

  const wb = newWorkbook();
  const ws = wb.addWorksheet(SETTLEMENT_SHEET, { pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  const cols: TableColumn[] = [
    { header: '序号', width: 6 },
    { header: '院校', width: 30 },
    { header: '报考人次', width: 10, numFmt: '0' },
    { header: '应缴金额', width: 14, numFmt: YUAN_FORMAT },
    { header: '返还金额', width: 14, numFmt: YUAN_FORMAT },
    { header: '实缴金额', width: 14, numFmt: YUAN_FORMAT },
    { header: '结算方式', width: 28 },
  ];
  const width = cols.length;
  const line = (r: number, value: string, opts: { bold?: boolean; size?: number } = {}) => {
    ws.mergeCells(r, 1, r, width);
    const cell = ws.getCell(r, 1);
    cell.value = value;
    cell.font = { bold: opts.bold ?? false, size: opts.size ?? 11 };
  };
  line(1, `${data.planName} 考务费结算单`, { bold: true, size: 14 });
  ws.getRow(1).height = 24;
  line(2, `考核站点：${data.siteName}（${data.siteInstitutionName}）`);
  line(3, SETTLEMENT_RULE);
  line(4, `站点所在院校直缴 ${OPERATOR_SHARE} 元/人，不返还；其他院校缴 ${OPERATOR_SHARE + SITE_SHARE} 元/人，由培训评价组织返还 ${SITE_SHARE} 元/人`);

  const headerRow = 6;
  const rows = data.lines.map((l, i) => [i + 1, l.institutionName, l.registrations, l.payable, l.refund, l.net, l.mode]);
  const totalsRow = writeTable(ws, cols, rows, { startRow: headerRow, filter: false });
  const first = headerRow + 1;
  const last = totalsRow - 1;
  const total = ws.getRow(totalsRow);
  total.getCell(2).value = '合计';
  const formula = (col: string, result: number) => (data.lines.length > 0 ? { formula: `SUM(${col}${first}:${col}${last})`, result } : result);
  total.getCell(3).value = formula('C', data.totals.registrations);
  total.getCell(4).value = formula('D', data.totals.payable);
  total.getCell(5).value = formula('E', data.totals.refund);
  total.getCell(6).value = formula('F', data.totals.net);
  for (let c = 1; c <= width; c++) {
    const cell = total.getCell(c);
    cell.font = { bold: true };
    cell.border = { top: { style: 'thin' } };
  }
  for (let r = first; r <= totalsRow; r++) {
    for (const c of [4, 5, 6]) ws.getCell(r, c).numFmt = YUAN_FORMAT;
  }

  const n = data.totals.registrations;
  const notes = totalsRow + 2;
  const money = (v: number) => `¥${v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  line(notes, `培训评价组织应收：${money(n * OPERATOR_SHARE)}（${OPERATOR_SHARE} 元/人 × ${n} 人次）`);
  line(notes + 1, `考核站点应得：${money(n * SITE_SHARE)}（${SITE_SHARE} 元/人 × ${n} 人次）`);
  ws.views = [{ state: 'frozen', xSplit: 0, ySplit: headerRow }];
  return workbookBuffer(wb);
}
