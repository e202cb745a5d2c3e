/**
 * Student accounts for mock practice (模拟练习账号): a teacher downloads a
 * template of numbered rows (30 by default, manual part 1), fills in 学号 and
 * 姓名, and uploads it; all or nothing.
 */
import {
  buildTemplate,
  codeColumn,
  columns,
  duplicateErrors,
  finishSheet,
  phoneColumn,
  scanSheet,
  textColumn,
  type SheetResult,
} from './core.ts';

export const STUDENT_SHEET = '学生账号';
export const STUDENT_TEMPLATE_ROWS = 30;
export const STUDENT_MAX_ROWS = 1000;

export const studentColumns = columns(
  codeColumn({
    key: 'studentNo',
    header: '学号',
    required: true,
    width: 18,
    what: '学号',
    maxLength: 32,
    pattern: /^[A-Z0-9_-]+$/,
    patternMessage: '学号只能包含字母、数字、下划线和短横线',
    example: '2023010101',
    note: '学生登录模拟练习平台的账号；该列须为“文本”格式',
  }),
  textColumn({ key: 'name', header: '姓名', required: true, width: 12, maxLength: 50, example: '李四' }),
  phoneColumn({ key: 'phone', header: '手机号', required: false }),
);

export interface StudentRow {
  /** Excel row number. */
  row: number;
  /** Upper-case, without spaces. */
  studentNo: string;
  name: string;
  phone?: string;
}

/** The template: a 序号 column and `rows` numbered rows (default 30) to fill in; the class name in the title when given. */
export function studentTemplate(opts: { rows?: number; className?: string } = {}): Promise<Buffer> {
  const rows = opts.rows ?? STUDENT_TEMPLATE_ROWS;
  if (!Number.isSafeInteger(rows) || rows < 1 || rows > STUDENT_MAX_ROWS) {
    throw new RangeError(`行数应为 1 到 ${STUDENT_MAX_ROWS} 之间的整数：${rows}`);
  }
  return buildTemplate(studentColumns, {
    sheetName: STUDENT_SHEET,
    title: opts.className ? `学生账号导入 — 班级：${opts.className}` : undefined,
    numberedRows: rows,
    formattedRows: Math.max(rows, 200),
    maxRows: STUDENT_MAX_ROWS,
    instructions: [
      `6. 模板默认 ${STUDENT_TEMPLATE_ROWS} 行，按报考人数填写即可；没有填写学号和姓名的行会被忽略，行数不够可以继续往下填。`,
      '7. 同一文件中学号不能重复。',
    ],
  });
}

/** Reads a filled template, all or nothing; rows with nothing but their 序号 are ignored. */
export async function parseStudentSheet(buffer: Uint8Array, opts: { maxRows?: number } = {}): Promise<SheetResult<StudentRow>> {
  const scanned = await scanSheet(buffer, studentColumns, { maxRows: opts.maxRows ?? STUDENT_MAX_ROWS });
  if ('errors' in scanned) return scanned;
  const dups = duplicateErrors(
    scanned.rows.map((r) => ({ row: r.row, key: r.values.studentNo })),
    '学号',
    '学号',
  );
  const result = finishSheet(scanned.rows, studentColumns, dups);
  if ('errors' in result) return result;
  return {
    rows: result.rows.map((r) => ({ row: r.row, studentNo: r.studentNo, name: r.name, ...(r.phone !== undefined ? { phone: r.phone } : {}) })),
  };
}
