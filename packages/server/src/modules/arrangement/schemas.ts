import { z } from 'zod';
import { LEVELS } from '@kaowu/core';
import { idParam, isoTime } from '../../http/schemas.ts';

const level = z.enum(LEVELS);
const planId = idParam.describe('考试计划');
const siteId = idParam.describe('考核站点');

export const targetQuery = z.object({ planId, siteId });

export const runBody = z.object({
  planId,
  siteId,
  everyOtherSeat: z.boolean({ error: '隔位就座应为 true 或 false' }).optional().describe('隔位就座；不填时沿用上次的设置'),
});
export const targetBody = z.object({ planId, siteId });

const seatView = z.object({
  seatNo: z.number().int(),
  row: z.number().int(),
  column: z.number().int(),
  registrationId: z.string(),
  ticketNo: z.string(),
  name: z.string(),
  className: z.string().nullable(),
  level,
  /** A same-class candidate sits left/right or in front/behind. */
  sameClassNeighbour: z.boolean(),
});

const roomView = z.object({
  id: z.string(),
  name: z.string(),
  location: z.string(),
  /** Physical seats of the room. */
  totalSeats: z.number().int(),
  /** Candidates it can take (half the seats with 隔位就座). */
  capacity: z.number().int(),
  /** The room's 每排座位数: seats are numbered row by row from the front. */
  seatsPerRow: z.number().int(),
  level: level.nullable(),
  levelName: z.string().nullable(),
  used: z.number().int(),
  /** Pairs of same-class neighbours. */
  adjacentSameClass: z.number().int(),
  seats: z.array(seatView),
});

const unplacedView = z.object({
  registrationId: z.string(),
  ticketNo: z.string(),
  name: z.string(),
  level,
  levelName: z.string(),
  className: z.string().nullable(),
  /** Registered after the last 编排: a re-run places them. */
  registeredSinceRun: z.boolean(),
});

export const arrangementView = z.object({
  plan: z.object({ id: z.string(), name: z.string(), examDate: z.string() }),
  site: z.object({ id: z.string(), code: z.string(), name: z.string() }),
  /** none: never arranged. */
  state: z.enum(['none', 'draft', 'published']),
  options: z.object({ everyOtherSeat: z.boolean() }),
  /** Once published, a re-run keeps every seat. */
  everPublished: z.boolean(),
  publishedAt: isoTime.nullable(),
  publishedBy: z.string().nullable(),
  updatedAt: isoTime.nullable(),
  problems: z.array(z.string()),
  totals: z.object({
    registered: z.number().int(),
    placed: z.number().int(),
    unplaced: z.number().int(),
    capacity: z.number().int(),
    byLevel: z.array(z.object({ level, levelName: z.string(), registered: z.number().int(), placed: z.number().int(), rooms: z.number().int() })),
  }),
  rooms: z.array(roomView),
  unplaced: z.array(unplacedView),
  canPublish: z.boolean(),
  /** Why 发布 is not possible now (null when it is). */
  publishBlocker: z.string().nullable(),
});
export type ArrangementView = z.infer<typeof arrangementView>;

export const runResponse = arrangementView.extend({
  run: z.object({
    kept: z.number().int(),
    moved: z.number().int(),
    added: z.number().int(),
    freed: z.number().int(),
    unplaced: z.number().int(),
    message: z.string(),
  }),
});

// ---------------------------------------------------------------- 监考安排

export const proctorRunBody = z.object({ planId, siteId });
export const proctorSetBody = z.object({
  planId,
  roomId: idParam.describe('考场'),
  userIds: z.array(idParam, { error: '监考员应为列表' }).max(12, '一个考场最多安排 12 名监考员'),
});
export const chiefBody = z.object({
  planId,
  siteId,
  userId: idParam.nullable().describe('主考；null 表示取消'),
});

const person = z.object({ userId: z.string(), name: z.string(), username: z.string(), roleName: z.string() });

export const proctorView = z.object({
  plan: z.object({ id: z.string(), name: z.string(), examDate: z.string() }),
  site: z.object({ id: z.string(), code: z.string(), name: z.string() }),
  arrangementState: z.enum(['none', 'draft', 'published']),
  rooms: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      location: z.string(),
      level: level.nullable(),
      levelName: z.string().nullable(),
      candidates: z.number().int(),
      needed: z.number().int(),
      proctors: z.array(person.extend({ avoid: z.array(z.string()) })),
      /** Pool members who must not proctor this room, and why. */
      avoiders: z.array(z.object({ userId: z.string(), reasons: z.array(z.string()) })),
    }),
  ),
  /** Teachers and proctors of the site's institution. */
  pool: z.array(
    person.extend({
      majors: z.array(z.string()),
      headTeacherOf: z.array(z.string()),
      counsellorOf: z.array(z.string()),
      roomId: z.string().nullable(),
      chief: z.boolean(),
    }),
  ),
  chief: person.nullable(),
  /** Who may be 主考: the institution's coordinators, admins, teachers and proctors. */
  chiefOptions: z.array(person),
  problems: z.array(z.object({ roomId: z.string().nullable(), message: z.string() })),
  totals: z.object({ needed: z.number().int(), assigned: z.number().int(), pool: z.number().int() }),
});
export type ProctorView = z.infer<typeof proctorView>;

export const targetsResponse = z.object({
  plans: z.array(z.object({ id: z.string(), name: z.string(), code: z.string().nullable(), examDate: z.string() })),
  sites: z.array(z.object({ id: z.string(), code: z.string(), name: z.string(), institutionName: z.string(), status: z.string() })),
});
