/**
 * Candidate information (考生管理): the upload template, the all-or-nothing
 * import check, and the export (with tickets and seats when known).
 */
import { idNumberProblem, LEVEL_NAMES, type Level } from '@kaowu/core';
import {
  buildTemplate,
  choiceColumn,
  codeColumn,
  columns,
  duplicateErrors,
  finishSheet,
  newWorkbook,
  phoneColumn,
  scanSheet,
  textColumn,
  workbookBuffer,
  writeTable,
  type SheetError,
  type SheetResult,
  type TableColumn,
} from './core.ts';

/** Identity documents, as stored in candidates.id_type. */
export const ID_TYPES = ['resident', 'passport', 'hk_macau', 'taiwan'] as const;
export type IdType = (typeof ID_TYPES)[number];

export const ID_TYPE_NAMES: Record<IdType, string> = {
  resident: '居民身份证',
  passport: '护照',
  hk_macau: '港澳居民来往内地通行证',
  taiwan: '台湾居民来往大陆通行证',
};

const ID_TYPE_BY_NAME = new Map<string, IdType>(ID_TYPES.map((t) => [ID_TYPE_NAMES[t], t]));

export const GENDERS = ['男', '女'] as const;
export type Gender = (typeof GENDERS)[number];

export const CANDIDATE_SHEET = '考生信息';
/** Candidates at most in one upload. */
export const CANDIDATE_MAX_ROWS = 5000;

export const candidateColumns = columns(
  textColumn({ key: 'name', header: '姓名', required: true, width: 12, maxLength: 50, example: '张三', note: '与证件上的姓名一致' }),
  choiceColumn({
    key: 'idType',
    header: '证件类型',
    required: false,
    width: 26,
    choices: ['居民身份证', '护照', '港澳居民来往内地通行证', '台湾居民来往大陆通行证'],
    valueAliases: { 身份证: '居民身份证', 二代身份证: '居民身份证', 港澳通行证: '港澳居民来往内地通行证', 回乡证: '港澳居民来往内地通行证', 台胞证: '台湾居民来往大陆通行证', 台湾通行证: '台湾居民来往大陆通行证' },
    defaultValue: '居民身份证',
  }),
  codeColumn({
    key: 'idNumber',
    header: '证件号码',
    required: true,
    width: 22,
    what: '证件号码',
    example: '11010519491231002X',
    note: '居民身份证为 18 位，最后一位可以是 X；该列须为“文本”格式',
  }),
  choiceColumn({ key: 'gender', header: '性别', required: true, width: 8, choices: GENDERS, valueAliases: { 男性: '男', 女性: '女' }, note: '男或女；居民身份证须与证件号码第 17 位一致（奇数为男）' }),
  textColumn({ key: 'institution', header: '院校', required: true, width: 24, maxLength: 100, aliases: ['院校名称', '院校代码'], example: '某某职业技术学院', note: '院校名称或院校代码' }),
  textColumn({ key: 'major', header: '专业', required: false, width: 20, maxLength: 100, example: '软件技术', note: '本院校已建的专业名称' }),
  textColumn({ key: 'className', header: '班级', required: false, width: 16, maxLength: 100, example: '软件2301', note: '本院校已建的班级名称' }),
  phoneColumn({ key: 'phone', header: '手机号', required: true }),
  textColumn({ key: 'photoFileName', header: '照片文件名', required: false, width: 22, maxLength: 120, example: '11010519491231002X.jpg', note: '导入考生后，在考生管理中上传照片压缩包（.zip）；压缩包内的文件名与此列一致（如 11010519491231002X.jpg），或以证件号码命名时可不填' }),
);

export interface Institution {
  id: string;
  /** 院校代码 */
  code: string;
  name: string;
}
export interface Major {
  id: string;
  name: string;
  institutionId: string;
}
export interface SchoolClass {
  id: string;
  name: string;
  majorId?: string | null;
  institutionId: string;
}

export interface CandidateSheetContext {
  /** People already on file: `idType|idNumber` → name. idType may be the code (resident) or its Chinese name (居民身份证). */
  existingIdNumbers?: ReadonlyMap<string, string>;
  /** When given, 院校 must be one of them (by name or 院校代码). */
  institutions?: readonly Institution[];
  /** When given, 专业 must be one of the institution's. */
  majors?: readonly Major[];
  /** When given, 班级 must be one of the institution's (and the major's, when both are given). */
  classes?: readonly SchoolClass[];
  /** For birth dates in ID numbers (default now). */
  today?: Date;
  maxRows?: number;
}

export interface CandidateRow {
  /** Excel row number. */
  row: number;
  name: string;
  idType: IdType;
  /** Upper-case, without spaces. */
  idNumber: string;
  gender: Gender;
  /** The institution's name (its canonical name once resolved). */
  institutionName: string;
  institutionId?: string;
  institutionCode?: string;
  majorName?: string;
  majorId?: string;
  className?: string;
  classId?: string;
  phone: string;
  photoFileName?: string;
}

/** The upload template: 考生信息 with drop-downs (院校/专业/班级 too when given), and 填写说明. */
export function candidateTemplate(opts: { institutions?: readonly Institution[]; majors?: readonly Major[]; classes?: readonly SchoolClass[] } = {}): Promise<Buffer> {
  const unique = (names: string[]) => [...new Set(names)].sort((a, b) => a.localeCompare(b, 'zh-CN'));
  const suggest = (key: string, names: string[] | undefined) => (c: (typeof candidateColumns)[number]) =>
    c.key === key && names && names.length > 0 ? { ...c, list: unique(names), listStrict: false } : c;
  const spec = candidateColumns
    .map(suggest('institution', opts.institutions?.map((i) => i.name)))
    .map(suggest('major', opts.majors?.map((m) => m.name)))
    .map(suggest('className', opts.classes?.map((c) => c.name)));
  return buildTemplate(spec, {
    sheetName: CANDIDATE_SHEET,
    maxRows: CANDIDATE_MAX_ROWS,
    instructions: [
      '6. 同一文件中证件类型和证件号码相同的考生只能出现一次；系统中已有的考生不能重复导入。',
      '7. 院校、专业、班级须是系统中已建的名称（院校也可以填院校代码）；专业、班级可以不填。',
    ],
  });
}

const PHOTO_EXT = /\.(jpe?g|png)$/i;

function idFormatProblem(idType: IdType, idNumber: string, today: Date): string | null {
  if (idType === 'resident') return idNumberProblem(idNumber, today);
  if (!/^[A-Z0-9]+$/.test(idNumber)) return '证件号码只能包含字母和数字';
  if (idNumber.length < 5 || idNumber.length > 20) return '证件号码应为 5 到 20 位';
  return null;
}

const sameName = (a: string, b: string) => a.replace(/\s+/g, '') === b.replace(/\s+/g, '');

/**
 * Checks an upload of candidates, all or nothing: every row, each ID number
 * (resident IDs by GB 11643 and gender against the 17th digit), duplicates
 * within the file and against people already on file, and institution,
 * major and class by name. Either every row is good and comes back resolved,
 * or every problem comes back and no rows.
 */
export async function parseCandidateSheet(buffer: Uint8Array, ctx: CandidateSheetContext = {}): Promise<SheetResult<CandidateRow>> {
  const today = ctx.today ?? new Date();
  const scanned = await scanSheet(buffer, candidateColumns, { maxRows: ctx.maxRows ?? CANDIDATE_MAX_ROWS });
  if ('errors' in scanned) return scanned;
  const extra: SheetError[] = [];
  const resolved = new Map<number, Partial<CandidateRow>>();
  const idKeys: { row: number; key: string | undefined }[] = [];
  const photoKeys: { row: number; key: string | undefined }[] = [];

  for (const r of scanned.rows) {
    const v = r.values;
    const err = (column: string, reason: string) => extra.push({ row: r.row, column, reason });
    const idType = v.idType === undefined ? undefined : ID_TYPE_BY_NAME.get(v.idType);
    const out: Partial<CandidateRow> = { row: r.row, name: v.name, idType, gender: v.gender, phone: v.phone };

    // The ID number: its format, gender, duplicates.
    if (idType && v.idNumber !== undefined) {
      const problem = idFormatProblem(idType, v.idNumber, today);
      if (problem) err('证件号码', problem);
      else {
        out.idNumber = v.idNumber;
        idKeys.push({ row: r.row, key: `${idType}|${v.idNumber}` });
        if (idType === 'resident' && v.gender) {
          const fromId: Gender = Number(v.idNumber[16]) % 2 === 1 ? '男' : '女';
          if (fromId !== v.gender) err('性别', `性别与身份证号不符：身份证号第 17 位表示${fromId}`);
        }
        const existing = ctx.existingIdNumbers?.get(`${idType}|${v.idNumber}`) ?? ctx.existingIdNumbers?.get(`${ID_TYPE_NAMES[idType]}|${v.idNumber}`);
        if (existing !== undefined) err('证件号码', `证件号码已存在（${existing}）`);
      }
    }

    // Institution, major, class.
    if (v.institution !== undefined) resolveSchool(v.institution, v.major, v.className, ctx, out, err);

    if (v.photoFileName !== undefined) {
      if (/[\\/]/.test(v.photoFileName)) err('照片文件名', '照片文件名只填文件名，不能包含路径');
      else if (!PHOTO_EXT.test(v.photoFileName)) err('照片文件名', '照片文件名应以 .jpg、.jpeg 或 .png 结尾');
      else {
        out.photoFileName = v.photoFileName;
        photoKeys.push({ row: r.row, key: v.photoFileName.toLowerCase() });
      }
    }
    resolved.set(r.row, out);
  }
  extra.push(...duplicateErrors(idKeys, '证件号码', '证件号码'), ...duplicateErrors(photoKeys, '照片文件名', '照片文件名'));

  const result = finishSheet(scanned.rows, candidateColumns, extra);
  if ('errors' in result) return result;
  return { rows: result.rows.map((r) => resolved.get(r.row) as CandidateRow) };
}

function resolveSchool(
  institution: string,
  major: string | undefined,
  className: string | undefined,
  ctx: CandidateSheetContext,
  out: Partial<CandidateRow>,
  err: (column: string, reason: string) => void,
): void {
  out.institutionName = institution;
  if (major !== undefined) out.majorName = major;
  if (className !== undefined) out.className = className;
  if (!ctx.institutions) return;
  const inst =
    ctx.institutions.find((i) => sameName(i.name, institution)) ??
    ctx.institutions.find((i) => i.code.toUpperCase() === institution.replace(/\s+/g, '').toUpperCase());
  if (!inst) {
    err('院校', `院校“${institution}”不存在`);
    return;
  }
  Object.assign(out, { institutionId: inst.id, institutionCode: inst.code, institutionName: inst.name });

  let majorId: string | undefined;
  if (major !== undefined && ctx.majors) {
    const m = ctx.majors.find((x) => x.institutionId === inst.id && sameName(x.name, major));
    if (!m) {
      err('专业', ctx.majors.some((x) => sameName(x.name, major)) ? `专业“${major}”不属于院校“${inst.name}”` : `专业“${major}”不存在`);
      return;
    }
    majorId = m.id;
    Object.assign(out, { majorId: m.id, majorName: m.name });
  }

  if (className !== undefined && ctx.classes) {
    const inInstitution = ctx.classes.filter((c) => c.institutionId === inst.id && sameName(c.name, className));
    const matching = majorId ? inInstitution.filter((c) => !c.majorId || c.majorId === majorId) : inInstitution;
    if (matching.length === 0) {
      if (inInstitution.length > 0) err('班级', `班级“${className}”不属于专业“${major}”`);
      else if (ctx.classes.some((c) => sameName(c.name, className))) err('班级', `班级“${className}”不属于院校“${inst.name}”`);
      else err('班级', `班级“${className}”不存在`);
      return;
    }
    if (matching.length > 1) {
      err('班级', `院校中有 ${matching.length} 个名为“${className}”的班级，请同时填写专业以区分`);
      return;
    }
    const c = matching[0]!;
    Object.assign(out, { classId: c.id, className: c.name });
    if (!majorId && c.majorId) {
      out.majorId = c.majorId;
      const m = ctx.majors?.find((x) => x.id === c.majorId);
      if (m) out.majorName = m.name;
    }
  }
}

export interface CandidateExportRow {
  name: string;
  /** A code (resident) or its Chinese name; default 居民身份证. */
  idType?: IdType | string | null;
  idNumber: string;
  gender?: string | null;
  institutionName?: string | null;
  majorName?: string | null;
  className?: string | null;
  phone?: string | null;
  photoFileName?: string | null;
  ticketNo?: string | null;
  /** A level code (junior) or its Chinese name. */
  level?: Level | string | null;
  siteName?: string | null;
  roomName?: string | null;
  seatNo?: number | string | null;
}

/**
 * Candidates as an .xlsx with the upload's columns (so it can be edited and
 * uploaded again), plus 准考证号/报考等级/考核站点/考场/座位 for the ones any row has.
 */
export async function exportCandidates(rows: readonly CandidateExportRow[]): Promise<Buffer> {
  const base: TableColumn[] = candidateColumns.map((c) => ({ header: c.header, width: c.width, text: c.text }));
  const extras: { header: string; width: number; text?: boolean; get: (r: CandidateExportRow) => string | number | null | undefined }[] = [
    { header: '准考证号', width: 20, text: true, get: (r) => r.ticketNo },
    { header: '报考等级', width: 10, get: (r) => (r.level ? (LEVEL_NAMES[r.level as Level] ?? r.level) : r.level) },
    { header: '考核站点', width: 24, get: (r) => r.siteName },
    { header: '考场', width: 14, get: (r) => r.roomName },
    { header: '座位', width: 8, get: (r) => r.seatNo },
  ];
  const present = extras.filter((e) => rows.some((r) => e.get(r) !== undefined && e.get(r) !== null && e.get(r) !== ''));
  const idTypeName = (t: CandidateExportRow['idType']) => (t ? (ID_TYPE_NAMES[t as IdType] ?? t) : ID_TYPE_NAMES.resident);
  const values = rows.map((r) => [
    r.name,
    idTypeName(r.idType),
    r.idNumber,
    r.gender ?? null,
    r.institutionName ?? null,
    r.majorName ?? null,
    r.className ?? null,
    r.phone ?? null,
    r.photoFileName ?? null,
    ...present.map((e) => e.get(r) ?? null),
  ]);
  const wb = newWorkbook();
  const ws = wb.addWorksheet(CANDIDATE_SHEET);
  writeTable(ws, [...base, ...present.map(({ header, width, text }) => ({ header, width, text }))], values);
  return workbookBuffer(wb);
}
