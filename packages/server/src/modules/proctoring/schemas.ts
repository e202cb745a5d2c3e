import { z } from 'zod';
import { LEVELS, PAPERS } from '@kaowu/core';
import { idParam, isoTime } from '../../http/schemas.ts';

export const SEAT_STATES = ['not-signed-in', 'waiting', 'answering', 'switch-pending', 'submitted', 'absent', 'disqualified'] as const;
export type SeatState = (typeof SEAT_STATES)[number];

/** The reason every action takes (the broadcast's message is its reason). */
export const reason = z
  .string({ error: '请填写原因' })
  .trim()
  .min(1, { error: '请填写原因' })
  .max(500, { error: '原因最多 500 个字' })
  .describe('原因（1–500 字）');
export const reasonBody = z.object({ reason });

export const message = z
  .string({ error: '请填写广播内容' })
  .trim()
  .min(1, { error: '请填写广播内容' })
  .max(200, { error: '广播内容最多 200 个字' })
  .describe('广播内容（1–200 字）');

export const roomParams = z.object({ sittingId: idParam.describe('场次'), roomId: idParam.describe('考场') });
export const seatParams = roomParams.extend({ registrationId: idParam.describe('考生（报考记录）') });
export const siteParams = z.object({ sittingId: idParam.describe('场次'), siteId: idParam.describe('考核站点') });

export const absencesBody = z.object({
  registrationIds: z.array(idParam, { error: '请选择考生' }).min(1, { error: '请至少选择一名考生' }).max(200, { error: '一次最多登记 200 名考生' }),
  reason,
});
export const compensationBody = z.object({
  minutes: z.number({ error: '补时分钟数应为 1–60 的整数' }).int({ error: '补时分钟数应为整数' }).min(1, { error: '补时至少 1 分钟' }).max(60, { error: '补时最多 60 分钟' }),
  reason,
});
export const broadcastBody = z.object({ message });
export const signInBody = z.object({ state: z.enum(['signed', 'absent']).nullable().describe('已签到、缺考，或 null 清除标记') });
export const recordBody = z.object({
  incidents: z.string({ error: '其他情况应为文字' }).max(2000, { error: '其他情况最多 2000 字' }).describe('考场其他情况'),
  remarks: z.string({ error: '备注应为文字' }).max(2000, { error: '备注最多 2000 字' }).describe('备注'),
});

const counts = z.object({
  total: z.number().int(),
  notSignedIn: z.number().int(),
  waiting: z.number().int(),
  answering: z.number().int(),
  switchPending: z.number().int(),
  submitted: z.number().int(),
  absent: z.number().int(),
  disqualified: z.number().int(),
});
export type SeatCounts = z.infer<typeof counts>;

const sittingView = z.object({
  id: z.string(),
  name: z.string(),
  paper: z.enum(PAPERS),
  level: z.enum(LEVELS),
  startsAt: isoTime,
  endsAt: isoTime,
  entryClosesAt: isoTime,
  entryClosed: z.boolean(),
});

export const roomsList = z.object({
  items: z.array(z.object({
    sittingId: z.string(),
    sittingName: z.string(),
    paper: z.enum(PAPERS),
    level: z.enum(LEVELS),
    startsAt: isoTime,
    endsAt: isoTime,
    planId: z.string(),
    siteId: z.string(),
    siteName: z.string(),
    roomId: z.string().nullable().describe('null：主考的整个考核站点'),
    roomName: z.string().nullable(),
    duty: z.enum(['proctor', 'chief']),
    seats: z.number().int(),
  })),
});

const seat = z.object({
  seatNo: z.number().int(),
  registrationId: z.string(),
  name: z.string(),
  ticketNo: z.string(),
  /** Whether the candidate has a photo (GET …/seats/:registrationId/photo). */
  hasPhoto: z.boolean(),
  state: z.enum(SEAT_STATES),
  attemptId: z.string().nullable(),
  lastSaveAt: isoTime.nullable(),
  deadline: isoTime.nullable(),
  extensionMin: z.number(),
  submittedAt: isoTime.nullable(),
  submitReason: z.string().nullable(),
  events: z.object({
    fullscreenExit: z.number().int(),
    focusLoss: z.number().int(),
    reconnect: z.number().int(),
    reload: z.number().int(),
    offline: z.number().int(),
    secondClient: z.number().int(),
  }),
  warnings: z.number().int(),
  refusals: z.array(z.object({ ip: z.string(), at: isoTime })),
  signIn: z.enum(['signed', 'absent']).nullable(),
  switchRequest: z.object({ id: z.string(), requestedAt: isoTime, ip: z.string().nullable() }).nullable(),
  absentReason: z.string().nullable(),
});
export type SeatView = z.infer<typeof seat>;

const action = z.object({
  id: z.string(),
  kind: z.string(),
  registrationId: z.string().nullable(),
  seatNo: z.number().int().nullable(),
  name: z.string().nullable(),
  minutes: z.number().int().nullable(),
  reason: z.string(),
  by: z.string().describe('操作人姓名；系统为“系统”'),
  at: isoTime,
});
export type ActionView = z.infer<typeof action>;

export const roomView = z.object({
  serverNow: isoTime,
  sitting: sittingView,
  room: z.object({
    id: z.string(), name: z.string(), location: z.string(), seats: z.number().int().describe('考场座位数'), seatsPerRow: z.number().int().describe('每排座位数：座位图每行的列数'), siteId: z.string(), siteName: z.string(),
  }),
  proctors: z.array(z.object({ userId: z.string(), name: z.string(), duty: z.enum(['proctor', 'chief']) })),
  seats: z.array(seat),
  counts,
  suggestedAbsent: z.array(z.string()).describe('入场截止后仍未入场的考生（报考记录 id），建议登记缺考'),
  actions: z.array(action),
});
export type RoomView = z.infer<typeof roomView>;

export const siteView = z.object({
  serverNow: isoTime,
  sitting: sittingView,
  site: z.object({ id: z.string(), name: z.string() }),
  rooms: z.array(z.object({
    roomId: z.string(),
    name: z.string(),
    location: z.string(),
    proctors: z.array(z.object({ userId: z.string(), name: z.string() })),
    counts,
    alerts: z.number().int().describe('待处理的换机申请 + 退出全屏次数 + 登录被拒次数'),
  })),
});
export type SiteView = z.infer<typeof siteView>;

const signature = z.object({ userId: z.string(), name: z.string(), duty: z.enum(['proctor', 'chief']), at: isoTime });
export type Signature = z.infer<typeof signature>;

const factPerson = { registrationId: z.string(), seatNo: z.number().int().nullable(), name: z.string().nullable(), ticketNo: z.string().nullable() };
export const recordView = z.object({
  record: z.object({ incidents: z.string(), remarks: z.string() }),
  signatures: z.array(signature),
  /** Who still has to sign: the room's proctors and the site's chief. */
  signers: z.array(z.object({ userId: z.string(), name: z.string(), duty: z.enum(['proctor', 'chief']), signed: z.boolean() })),
  complete: z.boolean().describe('全部监考员和主考已签名（此后不能修改）'),
  facts: z.object({
    seats: z.number().int(),
    present: z.number().int().describe('实到：已入场作答的考生'),
    absent: z.number().int(),
    submitted: z.number().int().describe('已交卷（含取消考试资格）'),
    disqualified: z.number().int(),
    absences: z.array(z.object({ ...factPerson, reason: z.string(), by: z.string(), at: isoTime })),
    violations: z.array(z.object({ ...factPerson, kind: z.enum(['warning', 'disqualify']), reason: z.string(), by: z.string(), at: isoTime })),
    switches: z.array(z.object({ ...factPerson, kind: z.enum(['switch-approve', 'switch-reject']), reason: z.string(), by: z.string(), at: isoTime })),
    compensations: z.array(z.object({ ...factPerson, minutes: z.number().int(), reason: z.string(), by: z.string(), at: isoTime })),
  }),
  updatedAt: isoTime.nullable(),
});
export type RecordView = z.infer<typeof recordView>;

export const liveHello = z.object({
  token: z.string().min(1).max(4096),
  sittingId: idParam,
  roomId: idParam.nullable(),
  /** A chief's or the operator's whole-site socket: which site (a chief's own site by default). */
  siteId: idParam.optional(),
});
