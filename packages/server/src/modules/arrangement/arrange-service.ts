/**
 * 考场编排: run the core arrangement for one plan at one site and store it;
 * publish it. Once an arrangement has been published (published_at is set) a
 * re-run keeps every seat of a candidate still registered: new registrations
 * fill free seats and withdrawn ones free theirs. A re-run that changes
 * nothing leaves a published arrangement published; one that changes seats or
 * options makes it a draft again, to be published (and its new tickets printed).
 */
import { arrange, type SeatAssignment } from '@kaowu/core';
import type { AppContext } from '../../context.ts';
import { AppError, badRequest, conflict } from '../../http/errors.ts';
import { nowIso } from '../../ids.ts';
import { auditChange } from '../accounts/scope.ts';
import type { StaffUser } from '../accounts/staff-auth.ts';
import { arrangementView, loadArrangementData, unplacedReason } from './arrangement-view.ts';
import { chunks } from '../../db/chunks.ts';
import { isForeignKeyViolation, isUniqueViolation } from '../../db/errors.ts';
import { loadArrangement, loadTarget, parseOptions, parseProblems, type ArrangementOptions, type Registrant, type Target } from './load.ts';
import type { ArrangementView } from './schemas.ts';

export const entityIdOf = (planId: string, siteId: string) => `${planId}:${siteId}`;

/** Core messages name candidates by id: name them by name and ticket number instead. */
export function readableProblems(problems: readonly string[], byId: ReadonlyMap<string, Registrant>): string[] {
  return problems.map((p) =>
    p.replace(/考生 ([A-Za-z0-9_-]+)/g, (whole, id: string) => {
      const r = byId.get(id);
      return r ? `考生 ${r.name}（准考证号 ${r.ticketNo}）` : whole;
    }),
  );
}

export interface RunSummary {
  kept: number;
  moved: number;
  added: number;
  freed: number;
  unplaced: number;
  message: string;
}

function assertArrangeable(target: Target): void {
  const { site } = target;
  if (site.status !== 'enabled') {
    throw conflict('SITE_NOT_ENABLED', `考核站点“${site.name}”${site.status === 'pending' ? '尚在审核中' : site.status === 'disabled' ? '已停用' : '未通过审核'}，不能编排考场`);
  }
}

const busy = () => conflict('ARRANGEMENT_CHANGED', '编排期间报考或编排数据有变化（可能有其他人同时操作），请刷新后重新编排');

export async function runArrangement(
  ctx: AppContext, staff: StaffUser, input: { planId: string; siteId: string; everyOtherSeat?: boolean },
): Promise<ArrangementView & { run: RunSummary }> {
  const db = ctx.db;
  // Everything is read before the transaction (SQLite: one connection).
  const target = await loadTarget(db, staff, input.planId, input.siteId);
  assertArrangeable(target);
  const { plan, site } = target;
  const [data, current] = await Promise.all([loadArrangementData(db, plan.id, site.id), loadArrangement(db, plan.id, site.id)]);
  const { registrants, rooms, seats } = data;
  if (rooms.length === 0) throw badRequest('NO_ROOMS', `考核站点“${site.name}”还没有考场，请先在“考核站点”中设置考场`);
  if (registrants.length === 0) throw badRequest('NO_REGISTRATIONS', `考核站点“${site.name}”在“${plan.name}”中还没有报考的考生`);

  const before = parseOptions(current?.options);
  const options: ArrangementOptions = { ...before, everyOtherSeat: input.everyOtherSeat ?? before.everyOtherSeat };
  const byId = new Map(registrants.map((r) => [r.registrationId, r]));
  const everPublished = Boolean(current?.published_at);
  const old = new Map(seats.map((s) => [s.registrationId, s]));
  const existing: SeatAssignment[] = everPublished
    ? seats.filter((s) => byId.has(s.registrationId)).map((s) => ({ candidateId: s.registrationId, roomId: s.roomId, seatNo: s.seatNo }))
    : [];

  const result = arrange({
    candidates: registrants.map((r) => ({ id: r.registrationId, level: r.level, classId: r.classId, institutionId: r.institutionId ?? undefined })),
    rooms: rooms.map((r) => ({ id: r.id, name: r.name, seats: Number(r.seats), seatsPerRow: Number(r.seats_per_row) })),
    everyOtherSeat: options.everyOtherSeat,
    existing,
    seed: `${plan.id}/${site.id}`,
  });
  const problems = readableProblems(result.problems, byId);

  // What changes: seats to drop (moved, freed, or no longer registered) and seats to write.
  const next = new Map(result.seats.map((s) => [s.candidateId, s]));
  const toDelete: string[] = [];
  const toInsert: { registrationId: string; roomId: string; seatNo: number }[] = [];
  let kept = 0;
  let moved = 0;
  let added = 0;
  let freed = 0;
  for (const s of seats) {
    const n = next.get(s.registrationId);
    if (n && n.roomId === s.roomId && n.seatNo === s.seatNo) kept++;
    else {
      toDelete.push(s.registrationId);
      if (!n) freed++;
    }
  }
  for (const s of result.seats) {
    const o = old.get(s.candidateId);
    if (o && o.roomId === s.roomId && o.seatNo === s.seatNo) continue;
    if (o) moved++;
    else added++;
    toInsert.push({ registrationId: s.candidateId, roomId: s.roomId, seatNo: s.seatNo });
  }
  const optionsChanged = JSON.stringify(options) !== JSON.stringify(before);
  const changed = toDelete.length > 0 || toInsert.length > 0 || optionsChanged;
  const state = current?.state === 'published' && !changed ? 'published' : 'draft';
  const now = nowIso(ctx.clock.now());

  const parts = [
    `已编排 ${result.seats.length} 名考生`,
    everPublished ? `保留原座位 ${kept} 人` : null,
    added && everPublished ? `新安排 ${added} 人` : null,
    moved && everPublished ? `调整座位 ${moved} 人` : null,
    freed ? `释放座位 ${freed} 个` : null,
    result.unplaced.length ? `${result.unplaced.length} 人未能安排座位` : null,
  ].filter(Boolean);
  const message = `${parts.join('，')}。${
    state === 'published' ? '编排没有变化，仍为已发布。' : current?.state === 'published' ? '编排有变化，已转为草稿，请核对后重新发布。' : '请核对后发布。'
  }`;

  try {
    await db.transaction().execute(async (trx) => {
      // The arrangement row first: on PostgreSQL it serialises concurrent runs of one plan and site.
      await trx
        .insertInto('arrangements')
        .values({
          plan_id: plan.id, site_id: site.id, state, options: JSON.stringify(options), problems: JSON.stringify(problems),
          published_at: null, published_by: null, updated_at: now,
        })
        .onConflict((oc) => oc.columns(['plan_id', 'site_id']).doUpdateSet({ state, options: JSON.stringify(options), problems: JSON.stringify(problems), updated_at: now }))
        .execute();
      for (const part of chunks(toDelete, 500)) {
        await trx.deleteFrom('seat_assignments').where('plan_id', '=', plan.id).where('registration_id', 'in', part).execute();
      }
      for (const part of chunks(toInsert, 500)) {
        await trx
          .insertInto('seat_assignments')
          .values(part.map((s) => ({ registration_id: s.registrationId, plan_id: plan.id, site_id: site.id, room_id: s.roomId, seat_no: s.seatNo, created_at: now })))
          .execute();
      }
      await auditChange(trx, staff, {
        action: 'arrangement.run',
        entity: 'arrangement',
        entityId: entityIdOf(plan.id, site.id),
        before: current ? { state: current.state, options: before, seats: seats.length } : null,
        after: {
          planId: plan.id, siteId: site.id, state, options, registered: registrants.length, placed: result.seats.length,
          unplaced: result.unplaced.length, kept, moved, added, freed, problems: problems.length,
        },
        institutionId: site.institution_id,
      });
    });
  } catch (err) {
    if (isUniqueViolation(err) || isForeignKeyViolation(err)) throw busy();
    throw err;
  }
  const view = await arrangementView(db, target);
  return { ...view, run: { kept, moved, added, freed, unplaced: result.unplaced.length, message } };
}

export async function publishArrangement(ctx: AppContext, staff: StaffUser, input: { planId: string; siteId: string }): Promise<ArrangementView> {
  const db = ctx.db;
  const target = await loadTarget(db, staff, input.planId, input.siteId);
  assertArrangeable(target);
  const { plan, site } = target;
  const [data, current] = await Promise.all([loadArrangementData(db, plan.id, site.id), loadArrangement(db, plan.id, site.id)]);
  if (!current) throw conflict('NOT_ARRANGED', '尚未编排考场，不能发布：请先点击“编排”');
  if (current.state === 'published') return arrangementView(db, target, data);
  const { registrants, seats } = data;
  if (registrants.length === 0) throw conflict('NOTHING_TO_PUBLISH', `考核站点“${site.name}”在“${plan.name}”中没有报考的考生，不能发布`);
  const seated = new Set(seats.map((s) => s.registrationId));
  const unplaced = registrants.filter((r) => !seated.has(r.registrationId));
  if (unplaced.length > 0) {
    const since = unplaced.filter((r) => Date.parse(r.registeredAt) > Date.parse(current.updated_at)).length;
    const names = unplaced.slice(0, 5).map((r) => `${r.name}（${r.ticketNo}）`).join('、');
    throw new AppError(409, 'UNPLACED_CANDIDATES', `不能发布：${unplacedReason(unplaced.length, since, parseProblems(current.problems))}。未安排座位：${names}${unplaced.length > 5 ? ` 等 ${unplaced.length} 人` : ''}`, {
      unplaced: unplaced.slice(0, 100).map((r) => ({ registrationId: r.registrationId, ticketNo: r.ticketNo, name: r.name })),
    });
  }
  const now = nowIso(ctx.clock.now());
  const done = await db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable('arrangements')
      .set({ state: 'published', published_at: now, published_by: staff.id, updated_at: now })
      .where('plan_id', '=', plan.id)
      .where('site_id', '=', site.id)
      .where('state', '=', 'draft')
      .where('updated_at', '=', current.updated_at)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return false;
    await auditChange(trx, staff, {
      action: 'arrangement.publish',
      entity: 'arrangement',
      entityId: entityIdOf(plan.id, site.id),
      before: { state: current.state, publishedAt: current.published_at },
      after: { planId: plan.id, siteId: site.id, state: 'published', placed: seated.size, rooms: new Set(seats.map((s) => s.roomId)).size, republished: Boolean(current.published_at) },
      institutionId: site.institution_id,
    });
    return true;
  });
  if (!done) throw conflict('ARRANGEMENT_CHANGED', '考场编排刚刚被其他人修改，请刷新后再发布');
  return arrangementView(db, target);
}
