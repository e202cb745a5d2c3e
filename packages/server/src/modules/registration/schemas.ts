import { z } from 'zod';
import { LEVELS, SETTLEMENT_MODES } from '@kaowu/core';
import { idParam, isoTime } from '../../http/schemas.ts';
import { ID_TYPES } from '../sheets/index.ts';

const optionalId = z.string().min(1).max(64).optional();
const page = z.coerce.number({ error: '页码应为数字' }).int().min(1, '页码至少为 1').max(100_000).default(1);
const pageSize = z.coerce.number({ error: '每页条数应为数字' }).int().min(1).max(500, '每页最多 500 条').default(20);
const query = z.string().trim().max(50, '搜索内容不能超过 50 个字').optional();

export const candidateFilterQuery = z.object({
  institutionId: optionalId,
  majorId: optionalId,
  classId: optionalId,
  planId: optionalId,
  q: query,
});
export const candidateListQuery = candidateFilterQuery.extend({ page, pageSize });

export const candidateParams = z.object({ id: idParam });

/** What every view of a registration starts with. */
const registrationBase = z.object({
  id: z.string(),
  planId: z.string(),
  planName: z.string(),
  level: z.enum(LEVELS),
  ticketNo: z.string(),
  siteId: z.string().nullable(),
  siteName: z.string().nullable(),
});

const registrationView = registrationBase.extend({
  roomName: z.string().nullable(),
  seatNo: z.number().int().nullable(),
});

export const candidateView = z.object({
  id: z.string(),
  name: z.string(),
  idType: z.string(),
  idNumber: z.string(),
  gender: z.string().nullable(),
  institutionId: z.string().nullable(),
  institutionName: z.string().nullable(),
  majorId: z.string().nullable(),
  majorName: z.string().nullable(),
  classId: z.string().nullable(),
  className: z.string().nullable(),
  phone: z.string().nullable(),
  photoName: z.string().nullable(),
  hasPhoto: z.boolean(),
  createdAt: isoTime,
  registration: registrationView.nullable(),
});

export const candidateList = z.object({ total: z.number().int(), page: z.number().int(), pageSize: z.number().int(), rows: z.array(candidateView) });

export const candidatePatch = z
  .object({
    name: z.string().trim().min(1, '姓名不能为空').max(50, '姓名不能超过 50 个字').optional(),
    phone: z.string().trim().regex(/^1\d{10}$/, '手机号应为 11 位数字，以 1 开头').nullable().optional(),
    gender: z.enum(['男', '女'], { error: '性别应为男或女' }).optional(),
    majorId: z.string().min(1).max(64).nullable().optional(),
    classId: z.string().min(1).max(64).nullable().optional(),
    idType: z.enum(ID_TYPES, { error: '证件类型不正确' }).optional(),
    idNumber: z.string().trim().min(1, '证件号码不能为空').max(32, '证件号码不能超过 32 个字符').optional(),
  })
  .strict()
  .refine((p) => Object.keys(p).length > 0, '请至少修改一项');

export const scopeOptions = z.object({
  institutions: z.array(z.object({ id: z.string(), code: z.string(), name: z.string() })),
  majors: z.array(z.object({ id: z.string(), name: z.string(), institutionId: z.string() })),
  classes: z.array(z.object({ id: z.string(), name: z.string(), majorId: z.string().nullable().optional(), institutionId: z.string() })),
});

export const importReport = z.object({
  imported: z.number().int(),
  institutions: z.array(z.object({ institutionId: z.string(), institutionName: z.string(), count: z.number().int() })),
});

export const photoReport = z.object({ mime: z.string(), size: z.number().int(), photoName: z.string() });

export const photoBatchReport = z.object({
  stored: z.number().int().describe('保存的照片数'),
  replaced: z.number().int().describe('其中替换原有照片的张数'),
  missing: z.number().int().describe('权限范围内仍没有照片的考生数'),
});

// ---------------------------------------------------------------------------
// 报考

export const registerBody = z.object({
  planId: idParam,
  siteId: idParam,
  level: z.enum(LEVELS, { error: '等级应为初级、中级或高级' }),
  candidateIds: z.array(idParam).min(1, '请选择要报考的考生').max(5000, '一次最多报考 5000 名考生'),
});

export const registerResult = z.object({
  registered: z.number().int(),
  registrations: z.array(z.object({ id: z.string(), candidateId: z.string(), name: z.string(), ticketNo: z.string() })),
});

export const registrationListQuery = z.object({
  planId: optionalId,
  siteId: optionalId,
  level: z.enum(LEVELS).optional(),
  institutionId: optionalId,
  q: query,
  page,
  pageSize,
});

export const registrationList = z.object({
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  rows: z.array(registrationBase.extend({
    institutionId: z.string().nullable(),
    institutionName: z.string().nullable(),
    candidateId: z.string(),
    name: z.string(),
    idNumber: z.string(),
    gender: z.string().nullable(),
    className: z.string().nullable(),
    majorName: z.string().nullable(),
    createdAt: isoTime,
    mine: z.boolean(),
  })),
});

export const registrationOptions = z.object({
  now: isoTime,
  plans: z.array(z.object({
    id: z.string(), name: z.string(), code: z.string().nullable(), examDate: z.string(), deadline: isoTime.nullable(), levels: z.array(z.enum(LEVELS)), open: z.boolean(),
  })),
  sites: z.array(z.object({ id: z.string(), code: z.string(), name: z.string(), institutionId: z.string(), institutionName: z.string(), own: z.boolean() })),
  institutions: z.array(z.object({ id: z.string(), code: z.string(), name: z.string() })),
});

export const registrationParams = z.object({ id: idParam });

// ---------------------------------------------------------------------------
// 结算

export const settlementQuery = z.object({ planId: idParam, siteId: optionalId });
export const settlementExportQuery = z.object({ planId: idParam, siteId: idParam });

const money = z.number().int();
const totals = z.object({ registrations: z.number().int(), payable: money, refund: money, net: money, operatorShare: money, siteShare: money });
const modes = Object.values(SETTLEMENT_MODES) as [string, ...string[]];

export const settlementResult = z.object({
  plan: z.object({ id: z.string(), name: z.string(), examDate: z.string() }),
  rule: z.string(),
  sites: z.array(z.object({
    siteId: z.string(),
    siteCode: z.string(),
    siteName: z.string(),
    siteInstitutionId: z.string(),
    siteInstitutionName: z.string(),
    partial: z.boolean(),
    lines: z.array(z.object({
      institutionId: z.string(), institutionName: z.string(), registrations: z.number().int(), payable: money, refund: money, net: money, mode: z.enum(modes),
    })),
    totals,
  })),
  totals,
});
