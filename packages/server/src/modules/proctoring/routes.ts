import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses, isoTime } from '../../http/schemas.ts';
import { nowIso } from '../../ids.ts';
import { requireStaff } from '../accounts/staff-auth.ts';
import type { DeliveryService } from '../delivery/service.ts';
import type { LiveBus } from '../live/bus.ts';
import { contentDisposition } from '../printing/print-service.ts';
import { seatLabel } from '../printing/print-data.ts';
import { renderSignInSheets, type SignInMark } from '../printing/index.ts';
import { ProctorActions } from './actions.ts';
import { registerProctorLive } from './live-socket.ts';
import { recordView, saveRecord, signRecord } from './record.ts';
import { renderRoomRecord } from './record-pdf.ts';
import { roomProctors, roomView, seatPhoto, siteOverview } from './room-view.ts';
import {
  absencesBody, broadcastBody, compensationBody, reasonBody, recordBody, recordView as recordSchema, roomParams, roomsList, roomView as roomSchema,
  seatParams, signInBody, siteParams, siteView,
} from './schemas.ts';
import { listRooms, PROCTOR_GATE, roomAccess, siteAccess, type RoomAccess } from './scope.ts';

const tags = ['proctor'];
const security = [{ bearer: [] }];
const ROOM = '/proctor/sittings/:sittingId/rooms/:roomId';
const SEAT = `${ROOM}/seats/:registrationId`;

/**
 * 监考 (manual part 6; docs/proctoring.md): the rooms a user proctors, the
 * seat map, the proctors' actions, the room record and the sign-in sheet, the
 * chief's overview of a site, and the live socket. Roles at the gate: those
 * that can be assigned (teacher, proctor; institution admin and coordinator
 * as 主考) and the operator; then the assignment decides, and a room or
 * sitting outside it answers 404.
 */
export const proctoringRoutes: FastifyPluginAsyncZod<{ delivery: DeliveryService; live: LiveBus }> = async (app, { delivery, live }) => {
  const { ctx } = app;
  const gate = requireStaff(...PROCTOR_GATE);
  const actions = new ProctorActions(ctx, delivery, live);
  const room = (req: { staff: Parameters<typeof roomAccess>[1]; params: { sittingId: string; roomId: string } }) =>
    roomAccess(ctx, req.staff, req.params.sittingId, req.params.roomId);

  app.get('/proctor/rooms', {
    onRequest: gate,
    schema: { tags, security, summary: '我的监考考场（监考员：所监考的考场；主考：整个考核站点；运营管理员：全部，最多 500 条）', response: { 200: roomsList, ...errorResponses } },
    handler: async (req) => ({ items: await listRooms(ctx, req.staff) }),
  });

  app.get(ROOM, {
    onRequest: gate,
    schema: { tags, security, summary: '考场座位图：每个座位的状态、作答与异常情况、监考操作记录', params: roomParams, response: { 200: roomSchema, ...errorResponses } },
    handler: async (req) => roomView(ctx, await room(req)),
  });

  app.get(`${SEAT}/photo`, {
    onRequest: gate,
    schema: {
      tags, security, summary: '考生照片（入场核对身份；同考场座位图的范围，无照片时 404）',
      params: seatParams, response: { 200: z.any().describe('image/jpeg 或 image/png'), ...errorResponses },
    },
    handler: async (req, reply) => {
      const photo = await seatPhoto(ctx, await room(req), req.params.registrationId);
      return reply.type(photo.mime).header('Cache-Control', 'private, max-age=300').header('X-Content-Type-Options', 'nosniff').send(photo.content);
    },
  });

  app.get('/proctor/sittings/:sittingId/sites/:siteId', {
    onRequest: gate,
    schema: { tags, security, summary: '主考总览：本考核站点各考场的人数与待处理情况（主考、运营管理员）', params: siteParams, response: { 200: siteView, ...errorResponses } },
    handler: async (req) => siteOverview(ctx, await siteAccess(ctx, req.staff, req.params.sittingId, req.params.siteId)),
  });

  // Actions: each with a reason, one transaction, a live event after the commit.
  app.post(`${ROOM}/absences`, {
    onRequest: gate,
    schema: {
      tags, security, summary: '缺考登记（入场截止后；仅限本考场未入场的考生；全部成功或全部不登记）',
      params: roomParams, body: absencesBody, response: { 200: z.object({ registered: z.number().int() }), ...errorResponses },
    },
    handler: async (req) => actions.registerAbsences(await room(req), req.staff, req.body.registrationIds, req.body.reason),
  });

  app.post(`${ROOM}/absences/:registrationId/cancel`, {
    onRequest: gate,
    schema: { tags, security, summary: '撤销缺考登记', params: seatParams, body: reasonBody, response: { 200: z.object({ registrationId: z.string() }), ...errorResponses } },
    handler: async (req) => actions.cancelAbsence(await room(req), req.staff, req.params.registrationId, req.body.reason),
  });

  app.post(`${SEAT}/warning`, {
    onRequest: gate,
    schema: { tags, security, summary: '违纪：警告（考生端可见）', params: seatParams, body: reasonBody, response: { 200: z.object({ id: z.string() }), ...errorResponses } },
    handler: async (req) => actions.warn(await room(req), req.staff, req.params.registrationId, req.body.reason),
  });

  app.post(`${SEAT}/disqualify`, {
    onRequest: gate,
    schema: {
      tags, security, summary: '违纪：取消考试资格（作答中的试卷立即交卷并锁定；已交卷的试卷改记为取消考试资格）',
      params: seatParams, body: reasonBody, response: { 200: z.object({ attemptId: z.string(), handedIn: z.boolean() }), ...errorResponses },
    },
    handler: async (req) => actions.disqualify(await room(req), req.staff, req.params.registrationId, req.body.reason),
  });

  app.post(`${SEAT}/compensation`, {
    onRequest: gate,
    schema: {
      tags, security, summary: '补时（1–60 分钟；仅限作答中且未到截止时间的考生；截止与自动交卷时间同时顺延）',
      params: seatParams, body: compensationBody, response: { 200: z.object({ deadline: isoTime }), ...errorResponses },
    },
    handler: async (req) => actions.compensate(await room(req), req.staff, req.params.registrationId, req.body.minutes, req.body.reason),
  });

  app.post(`${SEAT}/force-submit`, {
    onRequest: gate,
    schema: { tags, security, summary: '强制交卷（作答中的考生）', params: seatParams, body: reasonBody, response: { 200: z.object({ submittedAt: isoTime }), ...errorResponses } },
    handler: async (req) => actions.forceSubmit(await room(req), req.staff, req.params.registrationId, req.body.reason),
  });

  for (const [path, approve, summary] of [['approve', true, '批准换机：考生改在新计算机上继续作答'], ['reject', false, '不批准换机']] as const) {
    app.post(`${SEAT}/switch/${path}`, {
      onRequest: gate,
      schema: {
        tags, security, summary, params: seatParams, body: reasonBody,
        response: { 200: z.object({ switchId: z.string(), state: z.enum(['approved', 'rejected']) }), ...errorResponses },
      },
      handler: async (req) => actions.decideSwitch(await room(req), req.staff, req.params.registrationId, approve, req.body.reason),
    });
  }

  app.post(`${ROOM}/broadcast`, {
    onRequest: gate,
    schema: { tags, security, summary: '向本考场考生广播（最多 200 字）', params: roomParams, body: broadcastBody, response: { 200: z.object({ rooms: z.number().int() }), ...errorResponses } },
    handler: async (req) => {
      const { rooms } = await actions.broadcastRoom(await room(req), req.staff, req.body.message);
      return { rooms };
    },
  });

  app.post('/proctor/sittings/:sittingId/sites/:siteId/broadcast', {
    onRequest: gate,
    schema: {
      tags, security, summary: '向本考核站点各考场广播（主考、运营管理员；最多 200 字）',
      params: siteParams, body: broadcastBody, response: { 200: z.object({ rooms: z.number().int() }), ...errorResponses },
    },
    handler: async (req) => actions.broadcastSite(await siteAccess(ctx, req.staff, req.params.sittingId, req.params.siteId), req.staff, req.body.message),
  });

  app.put(`${ROOM}/sign-in/:registrationId`, {
    onRequest: gate,
    schema: {
      tags, security, summary: '签到表标记：已签到、缺考，或清除', params: seatParams, body: signInBody,
      response: { 200: z.object({ registrationId: z.string(), state: z.enum(['signed', 'absent']).nullable() }), ...errorResponses },
    },
    handler: async (req) => actions.markSignIn(await room(req), req.staff, req.params.registrationId, req.body.state),
  });

  // 考场情况记录表
  app.get(`${ROOM}/record`, {
    onRequest: gate,
    schema: { tags, security, summary: '考场情况记录表（人数与名单取自系统数据）', params: roomParams, response: { 200: recordSchema, ...errorResponses } },
    handler: async (req) => recordView(ctx, await room(req)),
  });

  app.put(`${ROOM}/record`, {
    onRequest: gate,
    schema: {
      tags, security, summary: '填写考场其他情况与备注（内容改动后已有签名作废；全部签名后不能修改）',
      params: roomParams, body: recordBody, response: { 200: recordSchema, ...errorResponses },
    },
    handler: async (req) => saveRecord(ctx, live, await room(req), req.staff, req.body),
  });

  app.post(`${ROOM}/record/sign`, {
    onRequest: gate,
    schema: { tags, security, summary: '在考场情况记录表上签名（本考场监考员、主考）', params: roomParams, response: { 200: recordSchema, ...errorResponses } },
    handler: async (req) => signRecord(ctx, live, await room(req), req.staff),
  });

  const pdfHeaders = (name: string, ascii: string) => ({
    'Content-Disposition': contentDisposition(name, ascii),
    'Cache-Control': 'no-store',
  });
  const safe = (s: string) => s.replace(/[\\/:*?"<>|\s]+/g, '');
  const planName = async (planId: string) =>
    (await ctx.db.selectFrom('plans').select('name').where('id', '=', planId).executeTakeFirstOrThrow()).name;

  app.get(`${ROOM}/record.pdf`, {
    onRequest: gate,
    schema: { tags, security, summary: '打印考场情况记录表（PDF，A4）', params: roomParams, response: { 200: z.any().describe('application/pdf'), ...errorResponses } },
    handler: async (req, reply) => {
      const access = await room(req);
      const { sitting, room: r } = access;
      const [record, plan, location] = await Promise.all([
        recordView(ctx, access),
        planName(sitting.planId),
        ctx.db.selectFrom('rooms').select('location').where('id', '=', r.id).executeTakeFirstOrThrow(),
      ]);
      const pdf = await renderRoomRecord({
        planName: plan, siteName: r.siteName, roomName: r.name, roomLocation: location.location, sittingName: sitting.name,
        startsAt: sitting.startsAt, endsAt: sitting.endsAt,
        record, printedAt: ctx.clock.now(),
      });
      return reply.type('application/pdf').headers(pdfHeaders(`考场情况记录表-${safe(r.siteName)}-${safe(r.name)}-${safe(sitting.name)}.pdf`, `room-record-${sitting.id}-${r.id}.pdf`)).send(pdf);
    },
  });

  app.get(`${ROOM}/sign-in.pdf`, {
    onRequest: gate,
    schema: { tags, security, summary: '打印签到表（PDF，A4，含已签到、缺考标记）', params: roomParams, response: { 200: z.any().describe('application/pdf'), ...errorResponses } },
    handler: async (req, reply) => {
      const access: RoomAccess = await room(req);
      const { sitting, room: r } = access;
      const [plan, seats, marks, absences, proctors] = await Promise.all([
        planName(sitting.planId),
        ctx.db
          .selectFrom('seat_assignments as sa')
          .innerJoin('registrations as g', 'g.id', 'sa.registration_id')
          .innerJoin('candidates as c', 'c.id', 'g.candidate_id')
          .select(['sa.registration_id', 'sa.seat_no', 'g.ticket_no', 'c.name', 'c.id_number'])
          .where('sa.plan_id', '=', sitting.planId)
          .where('sa.room_id', '=', r.id)
          .where('g.level', '=', sitting.level)
          .orderBy('sa.seat_no')
          .execute(),
        ctx.db
          .selectFrom('sign_in_marks as m')
          .innerJoin('seat_assignments as sa', 'sa.registration_id', 'm.registration_id')
          .select(['m.registration_id', 'm.state'])
          .where('m.sitting_id', '=', sitting.id)
          .where('sa.room_id', '=', r.id)
          .execute(),
        ctx.db
          .selectFrom('absences as ab')
          .innerJoin('seat_assignments as sa', 'sa.registration_id', 'ab.registration_id')
          .select('ab.registration_id')
          .where('ab.sitting_id', '=', sitting.id)
          .where('sa.room_id', '=', r.id)
          .execute(),
        roomProctors(ctx, sitting.planId, r.siteId, r.id),
      ]);
      const markOf = new Map(marks.map((m) => [m.registration_id, m.state]));
      const absent = new Set(absences.map((a) => a.registration_id));
      const mark = (id: string): SignInMark | null =>
        absent.has(id) || markOf.get(id) === 'absent' ? '缺考' : markOf.get(id) === 'signed' ? '已签到' : null;
      const pdf = await renderSignInSheets([{
        planName: plan,
        siteName: r.siteName,
        roomName: r.name,
        sitting: { name: sitting.name, startsAt: nowIso(sitting.startsAt), endsAt: nowIso(sitting.endsAt) },
        candidates: seats.map((s) => ({ seatNo: seatLabel(s.seat_no), ticketNo: s.ticket_no, name: s.name, idNumber: s.id_number, mark: mark(s.registration_id) })),
        proctors: proctors.filter((p) => p.duty === 'proctor').map((p) => p.name),
        marked: true,
      }]);
      return reply.type('application/pdf').headers(pdfHeaders(`签到表-${safe(r.siteName)}-${safe(r.name)}-${safe(sitting.name)}.pdf`, `sign-in-${sitting.id}-${r.id}.pdf`)).send(pdf);
    },
  });

  registerProctorLive(app, live);
};
