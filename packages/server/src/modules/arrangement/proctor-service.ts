/**
 * 监考安排: automatic assignment (core assignProctors, 2 per 40, 回避), a
 * room's proctors set by hand (checked against 回避 and one duty per person
 * per plan), and the site's 主考. Reads first, then one transaction each.
 */
import { assignProctors } from '@kaowu/core';
import type { AppContext } from '../../context.ts';
import { badRequest, conflict, notFound } from '../../http/errors.ts';
import { newId, nowIso } from '../../ids.ts';
import { auditChange, siteInScope } from '../accounts/scope.ts';
import type { StaffUser } from '../accounts/staff-auth.ts';
import { avoidanceReasons } from './avoidance.ts';
import { chunks } from '../../db/chunks.ts';
import { isForeignKeyViolation, isUniqueViolation } from '../../db/errors.ts';
import { loadPlan, loadTarget, type Target } from './load.ts';
import { loadProctorData } from './proctor-data.ts';
import { proctorView } from './proctor-view.ts';
import type { ProctorView } from './schemas.ts';

const changedMeanwhile = () => conflict('PROCTORS_CHANGED', '监考安排刚刚被其他人修改，请刷新后再试');

export async function viewProctors(ctx: AppContext, staff: StaffUser, planId: string, siteId: string): Promise<ProctorView> {
  const target = await loadTarget(ctx.db, staff, planId, siteId);
  return proctorView(ctx.db, await loadProctorData(ctx.db, target));
}

export async function runProctors(ctx: AppContext, staff: StaffUser, input: { planId: string; siteId: string }): Promise<ProctorView> {
  const db = ctx.db;
  const target = await loadTarget(db, staff, input.planId, input.siteId);
  const { plan, site } = target;
  const data = await loadProctorData(db, target);
  const rooms = data.rooms.filter((r) => (data.candidatesByRoom.get(r.id)?.length ?? 0) > 0);
  if (rooms.length === 0) throw conflict('NOT_ARRANGED', '本考核站点尚未编排考场（没有已安排座位的考生），请先完成考场编排再安排监考');

  const chief = data.assignments.find((a) => a.duty === 'chief')?.userId;
  const proctors = data.pool.filter((p) => p.userId !== chief);
  const candidates = rooms.flatMap((r) => data.candidatesByRoom.get(r.id)!);
  const current = data.assignments.filter((a) => a.duty === 'proctor' && a.roomId);
  const result = assignProctors({
    rooms: rooms.map((r) => ({ roomId: r.id, name: r.name, candidateIds: data.candidatesByRoom.get(r.id)!.map((c) => c.registrationId) })),
    candidates: candidates.map((c) => ({ id: c.registrationId, majorId: c.majorId, classId: c.classId })),
    proctors: proctors.map((p) => ({ id: p.userId, name: p.name, majorIds: p.majorIds, headTeacherOfClassIds: p.headTeacherOf, counsellorOfClassIds: p.counsellorOf })),
    existing: current.map((a) => ({ roomId: a.roomId!, proctorId: a.userId })),
  });

  const key = (userId: string, roomId: string) => `${userId}\u0000${roomId}`;
  const next = new Set(result.assignments.map((a) => key(a.proctorId, a.roomId)));
  const had = new Set(current.map((a) => key(a.userId, a.roomId!)));
  const toDelete = current.filter((a) => !next.has(key(a.userId, a.roomId!))).map((a) => a.id);
  const toInsert = result.assignments.filter((a) => !had.has(key(a.proctorId, a.roomId)));
  const now = nowIso(ctx.clock.now());
  try {
    await db.transaction().execute(async (trx) => {
      for (const part of chunks(toDelete, 500)) await trx.deleteFrom('proctor_assignments').where('id', 'in', part).execute();
      for (const part of chunks(toInsert, 500)) {
        await trx
          .insertInto('proctor_assignments')
          .values(part.map((a) => ({ id: newId(), plan_id: plan.id, site_id: site.id, room_id: a.roomId, user_id: a.proctorId, duty: 'proctor' as const, created_at: now })))
          .execute();
      }
      await auditChange(trx, staff, {
        action: 'proctors.run',
        entity: 'proctor_assignments',
        entityId: `${plan.id}:${site.id}`,
        before: { assigned: current.length },
        after: {
          planId: plan.id, siteId: site.id, rooms: rooms.length, pool: proctors.length, assigned: result.assignments.length,
          kept: current.length - toDelete.length, added: toInsert.length, removed: toDelete.length, problems: result.problems.length,
        },
        institutionId: site.institution_id,
      });
    });
  } catch (err) {
    if (isUniqueViolation(err) || isForeignKeyViolation(err)) throw changedMeanwhile();
    throw err;
  }
  const view = await proctorView(db, await loadProctorData(db, target));
  // The core's notices of proctors moved between rooms (the view cannot know them).
  const moves = result.problems.filter((p) => p.message.includes('调往')).map((p) => ({ roomId: p.roomId, message: p.message }));
  return { ...view, problems: [...moves, ...view.problems] };
}

async function roomTarget(ctx: AppContext, staff: StaffUser, planId: string, roomId: string) {
  const room = await ctx.db.selectFrom('rooms').select(['id', 'site_id', 'name']).where('id', '=', roomId).executeTakeFirst();
  if (!room) throw notFound('ROOM_NOT_FOUND', '考场不存在或无权访问');
  const site = await siteInScope(ctx.db, staff, room.site_id);
  const target: Target = { plan: await loadPlan(ctx.db, planId), site };
  return { room, target };
}

export async function setRoomProctors(
  ctx: AppContext, staff: StaffUser, input: { planId: string; roomId: string; userIds: string[] },
): Promise<ProctorView> {
  const db = ctx.db;
  const { room, target } = await roomTarget(ctx, staff, input.planId, input.roomId);
  const { plan, site } = target;
  const data = await loadProctorData(db, target);
  const userIds = [...new Set(input.userIds)];
  const pool = new Map(data.pool.map((p) => [p.userId, p]));
  const candidates = data.candidatesByRoom.get(room.id) ?? [];
  const roomName = new Map(data.rooms.map((r) => [r.id, r.name]));

  const refusals: string[] = [];
  for (const id of userIds) {
    const p = pool.get(id);
    if (!p) {
      const where = data.elsewhere.get(id);
      if (where) throw conflict('ALREADY_ASSIGNED', `所选人员已是${where}（同一考试计划中每人只能承担一项监考任务）`);
      throw badRequest('NOT_A_PROCTOR', '所选人员不是本院校在用的教师或监考员账号');
    }
    const reasons = avoidanceReasons(p, candidates, data.names);
    if (reasons.length) refusals.push(`${p.name} 须回避考场 ${room.name}：${reasons.join('；')}`);
  }
  if (refusals.length) throw badRequest('AVOIDANCE', `不能安排（回避制度）：${refusals.join('。')}`, { refusals });
  for (const id of userIds) {
    const other = data.assignments.find((a) => a.userId === id && !(a.duty === 'proctor' && a.roomId === room.id));
    if (!other) continue;
    const name = pool.get(id)!.name;
    throw conflict(
      'ALREADY_ASSIGNED',
      other.duty === 'chief'
        ? `${name} 已是本考点主考，不能同时在考场监考`
        : `${name} 已安排在考场 ${roomName.get(other.roomId!) ?? ''} 监考（同一考试计划中每人只能监考一个考场），请先从该考场移除`,
    );
  }

  const current = data.assignments.filter((a) => a.duty === 'proctor' && a.roomId === room.id);
  const keep = new Set(userIds);
  const toDelete = current.filter((a) => !keep.has(a.userId)).map((a) => a.id);
  const had = new Set(current.map((a) => a.userId));
  const toInsert = userIds.filter((id) => !had.has(id));
  const now = nowIso(ctx.clock.now());
  const nameOf = (id: string) => pool.get(id)?.name ?? id;
  try {
    await db.transaction().execute(async (trx) => {
      if (toDelete.length) await trx.deleteFrom('proctor_assignments').where('id', 'in', toDelete).execute();
      if (toInsert.length) {
        await trx
          .insertInto('proctor_assignments')
          .values(toInsert.map((id) => ({ id: newId(), plan_id: plan.id, site_id: site.id, room_id: room.id, user_id: id, duty: 'proctor' as const, created_at: now })))
          .execute();
      }
      await auditChange(trx, staff, {
        action: 'proctors.set',
        entity: 'room',
        entityId: room.id,
        before: { planId: plan.id, proctors: current.map((a) => nameOf(a.userId)) },
        after: { planId: plan.id, siteId: site.id, room: room.name, proctors: userIds.map(nameOf), candidates: candidates.length },
        institutionId: site.institution_id,
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('ALREADY_ASSIGNED', '所选人员刚刚被安排到其他考场或担任主考，请刷新后再试');
    if (isForeignKeyViolation(err)) throw changedMeanwhile();
    throw err;
  }
  return proctorView(db, await loadProctorData(db, target));
}

export async function setChief(ctx: AppContext, staff: StaffUser, input: { planId: string; siteId: string; userId: string | null }): Promise<ProctorView> {
  const db = ctx.db;
  const target = await loadTarget(db, staff, input.planId, input.siteId);
  const { plan, site } = target;
  const data = await loadProctorData(db, target);
  const current = data.assignments.find((a) => a.duty === 'chief');
  const option = input.userId ? data.chiefOptions.find((o) => o.userId === input.userId) : null;
  if (input.userId && !option) {
    const where = data.elsewhere.get(input.userId);
    if (where) throw conflict('ALREADY_ASSIGNED', `所选人员已是${where}（同一考试计划中每人只能承担一项监考任务）`);
    throw badRequest('NOT_ELIGIBLE', '主考应为本院校在用的证书负责人、院校管理员、教师或监考员');
  }
  if (input.userId && current?.userId === input.userId) return proctorView(db, data);
  if (option) {
    const room = data.assignments.find((a) => a.userId === option.userId && a.duty === 'proctor');
    if (room) {
      const roomName = data.rooms.find((r) => r.id === room.roomId)?.name ?? '';
      throw conflict('ALREADY_ASSIGNED', `${option.name} 已安排在考场 ${roomName} 监考，不能同时担任主考；请先从该考场移除`);
    }
  }
  const now = nowIso(ctx.clock.now());
  try {
    await db.transaction().execute(async (trx) => {
      if (current) await trx.deleteFrom('proctor_assignments').where('id', '=', current.id).execute();
      if (option) {
        await trx
          .insertInto('proctor_assignments')
          .values({ id: newId(), plan_id: plan.id, site_id: site.id, room_id: null, user_id: option.userId, duty: 'chief', created_at: now })
          .execute();
      }
      await auditChange(trx, staff, {
        action: 'proctors.chief',
        entity: 'site',
        entityId: site.id,
        before: current ? { planId: plan.id, chief: data.chiefOptions.find((o) => o.userId === current.userId)?.name ?? current.userId } : null,
        after: { planId: plan.id, chief: option?.name ?? null },
        institutionId: site.institution_id,
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('ALREADY_ASSIGNED', '所选人员刚刚被安排了其他监考任务，请刷新后再试');
    throw err;
  }
  return proctorView(db, await loadProctorData(db, target));
}
