import { z } from 'zod';
import { DEFAULT_SEATS_PER_ROW, MAX_SEATS_PER_ROW } from '@kaowu/core';
import { isoTime } from '../../http/schemas.ts';
import { ROOM_TYPES } from './labels.ts';

const SITE_STATUSES = ['pending', 'enabled', 'rejected', 'disabled'] as const;
const AGREEMENT_STATUSES = ['none', 'sent', 'signed'] as const;

const text = (what: string, max: number) =>
  z.string({ error: `请填写${what}` }).trim().min(1, `请填写${what}`).max(max, `${what}不能超过 ${max} 个字`);

/** 手机 (1 + 10 digits) or a landline with an area code and optional extension. */
const phone = z
  .string({ error: '请填写联系电话' })
  .trim()
  .regex(/^(1\d{10}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$/, '联系电话应为 11 位手机号或带区号的固定电话（如 010-12345678）');

export const siteApplicationBody = z.object({
  name: text('站点名称', 60),
  address: text('站点地址', 200),
  contactName: text('联系人', 30),
  contactPhone: phone,
});

export const rejectBody = z.object({ reason: text('不通过的原因', 200) });
export const disableBody = z.object({ reason: z.string().trim().max(200, '原因不能超过 200 个字').optional() });
export const agreementBody = z.object({ status: z.enum(AGREEMENT_STATUSES, { error: '协议状态应为 none、sent 或 signed' }) });

const seats = z
  .number({ error: '考位数应为整数' })
  .int('考位数应为整数')
  .min(1, '考位数至少为 1')
  .max(300, '考位数不能超过 300');
const seatsPerRow = z
  .number({ error: '每排座位数应为整数' })
  .int('每排座位数应为整数')
  .min(1, '每排座位数至少为 1')
  .max(MAX_SEATS_PER_ROW, `每排座位数不能超过 ${MAX_SEATS_PER_ROW}`);
const spares = z.number({ error: '备用机数应为整数' }).int('备用机数应为整数').min(0, '备用机数不能为负数').max(100, '备用机数不能超过 100');
const ipRanges = z
  .array(z.string().max(64, 'IP 地址或网段过长'), { error: 'IP 范围应为列表' })
  .max(50, '每个考场最多 50 个 IP 地址或网段');

export const roomBody = z.object({
  name: text('考场名称', 40),
  location: text('考场位置', 100),
  seats,
  /** 每排座位数: seats are numbered row by row from the front. */
  seatsPerRow: seatsPerRow.default(DEFAULT_SEATS_PER_ROW),
  roomType: z.enum(ROOM_TYPES, { error: '考场类型只能选择“机考”' }).default('机考'),
  spareMachines: spares,
  ipRanges: ipRanges.default([]),
  /** 仅允许本考场 IP 登录: candidates seated here log in only from ipRanges. */
  restrictSignIn: z.boolean().default(false),
});

export const roomPatchBody = z
  .object({
    name: text('考场名称', 40),
    location: text('考场位置', 100),
    seats,
    seatsPerRow,
    roomType: z.enum(ROOM_TYPES, { error: '考场类型只能选择“机考”' }),
    spareMachines: spares,
    ipRanges,
    restrictSignIn: z.boolean(),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, '没有要修改的内容');

const warning = z.object({ code: z.string(), message: z.string() });

export const siteSummary = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  address: z.string(),
  contactName: z.string(),
  contactPhone: z.string(),
  status: z.enum(SITE_STATUSES),
  statusName: z.string(),
  agreementStatus: z.enum(AGREEMENT_STATUSES),
  agreementName: z.string(),
  reviewNote: z.string().nullable(),
  reviewedAt: isoTime.nullable(),
  institution: z.object({ id: z.string(), code: z.string(), name: z.string() }),
  createdAt: isoTime,
  createdBy: z.string(),
  rooms: z.number().int(),
  seats: z.number().int(),
});

export const roomView = z.object({
  id: z.string(),
  name: z.string(),
  location: z.string(),
  seats: z.number().int(),
  seatsPerRow: z.number().int(),
  roomType: z.string(),
  spareMachines: z.number().int(),
  ipRanges: z.array(z.string()),
  restrictSignIn: z.boolean(),
  createdAt: isoTime,
  /** For the plan the warnings are about. */
  placed: z.number().int(),
  proctors: z.number().int().nullable(),
  warnings: z.array(warning),
});

export const siteDetail = z.object({
  site: siteSummary,
  rooms: z.array(roomView),
  warnings: z.array(warning),
  /** The plan whose arrangement the room figures and warnings use (null: none yet). */
  plan: z.object({ id: z.string(), name: z.string(), examDate: z.string() }).nullable(),
  permissions: z.object({ editRooms: z.boolean(), review: z.boolean() }),
});

export type SiteSummary = z.infer<typeof siteSummary>;
export type SiteDetail = z.infer<typeof siteDetail>;
export type RoomView = z.infer<typeof roomView>;
