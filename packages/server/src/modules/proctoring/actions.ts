/**
 * What proctors do in the room (docs/proctoring.md, "Actions"). Each action
 * reads what it needs first (on SQLite a query on the main handle inside a
 * transaction would wait for itself), then in one transaction checks its rule
 * again on locked rows, changes what it changes, writes a proctor_actions row
 * and an audit line; after the commit it publishes a live event.
 */
import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { AppContext } from '../../context.ts';
import type { DB } from '../../db/schema.ts';
import type { ProctorActionKind } from '../../db/tables/exam-day.ts';
import { conflict, forbidden, notFound } from '../../http/errors.ts';
import { newId, nowIso } from '../../ids.ts';
import { auditChange } from '../accounts/scope.ts';
import type { StaffUser } from '../accounts/staff-auth.ts';
import { finalizeAttempt, scoringPlan, type ScoringPlan } from '../delivery/finalize.ts';
import type { DeliveryService } from '../delivery/service.ts';
import type { LiveBus, LiveEvent } from '../live/bus.ts';
import { entryOf, WAITING_WINDOW_MS } from './room-view.ts';
import type { RoomAccess, SiteAccess } from './scope.ts';

const MIN = 60_000;

export interface SeatRow {
  registrationId: string;
  seatNo: number;
  name: string;
  ticketNo: string;
  lastLoginAt: string | null;
}

const notAnswering = () => conflict('NOT_ANSWERING', '该考生不在作答中（尚未入场或已交卷）');

export class ProctorActions {
  constructor(
    private readonly ctx: AppContext,
    private readonly delivery: DeliveryService,
    private readonly live: LiveBus,
  ) {}

  /** Locks the attempt row for the rest of the transaction (SQLite: the one connection already does). */
  private forUpdate<O>(q: SelectQueryBuilder<DB, 'attempts', O>) {
    return this.ctx.dialect === 'postgres' ? q.forUpdate() : q;
  }

  private lockAttempt(trx: Kysely<DB>, sittingId: string, registrationId: string) {
    return this.forUpdate(
      trx
        .selectFrom('attempts')
        .select(['id', 'state', 'submit_reason', 'deadline_at', 'finalize_at', 'extension_sec', 'client_id'])
        .where('sitting_id', '=', sittingId)
        .where('registration_id', '=', registrationId),
    ).executeTakeFirst();
  }

  /** The seats of the room for the sitting (its level), by registration. */
  private async seatsOf(access: RoomAccess, registrationIds?: readonly string[]): Promise<Map<string, SeatRow>> {
    let q = this.ctx.db
      .selectFrom('seat_assignments as sa')
      .innerJoin('registrations as r', 'r.id', 'sa.registration_id')
      .innerJoin('candidates as c', 'c.id', 'r.candidate_id')
      .select(['sa.registration_id', 'sa.seat_no', 'c.name', 'r.ticket_no', 'r.last_login_at'])
      .where('sa.plan_id', '=', access.sitting.planId)
      .where('sa.room_id', '=', access.room.id)
      .where('r.level', '=', access.sitting.level);
    if (registrationIds) q = q.where('sa.registration_id', 'in', registrationIds);
    const rows = await q.execute();
    return new Map(rows.map((r) => [r.registration_id, { registrationId: r.registration_id, seatNo: r.seat_no, name: r.name, ticketNo: r.ticket_no, lastLoginAt: r.last_login_at }]));
  }

  /** One seat of the room, or 404 (a candidate of another room looks like a missing one). */
  private async seat(access: RoomAccess, registrationId: string): Promise<SeatRow> {
    const seat = (await this.seatsOf(access, [registrationId])).get(registrationId);
    if (!seat) throw notFound('SEAT_NOT_FOUND', '本考场本场次没有该考生');
    return seat;
  }

  /** The proctor_actions row and the audit line of an action, inside its transaction (never the system's auto-warning). */
  private async record(
    trx: Kysely<DB>, staff: StaffUser, access: { sitting: { id: string }; institutionId: string },
    a: { kind: Exclude<ProctorActionKind, 'auto-warning'>; roomId: string | null; registrationId: string | null; minutes?: number; reason: string; at: string; before?: unknown; after?: unknown },
  ): Promise<string> {
    const id = newId();
    await trx
      .insertInto('proctor_actions')
      .values({
        id, sitting_id: access.sitting.id, room_id: a.roomId, registration_id: a.registrationId, kind: a.kind, minutes: a.minutes ?? null,
        reason: a.reason, by_user: staff.id, at: a.at,
      })
      .execute();
    await auditChange(trx, staff, {
      action: `proctor.${a.kind}`,
      entity: a.registrationId ? 'registration' : 'room',
      entityId: a.registrationId ?? a.roomId ?? access.sitting.id,
      before: a.before ?? null,
      after: { sittingId: access.sitting.id, roomId: a.roomId, reason: a.reason, ...(a.minutes !== undefined ? { minutes: a.minutes } : {}), ...(a.after as object | undefined) },
      institutionId: access.institutionId,
    });
    return id;
  }

  private publish(event: LiveEvent): void {
    this.live.publish(event);
  }

  private scope(access: RoomAccess) {
    return { sitting: access.sitting, institutionId: access.room.institutionId };
  }

  /** The scoring plan of an attempt's paper, read before the transaction. */
  private async planOf(registrationId: string, attemptId: string, sittingId: string): Promise<ScoringPlan> {
    const paper = await this.delivery.paperOf(registrationId, attemptId);
    return scoringPlan(this.ctx, sittingId, [...paper.entries.values()]);
  }

  /** 缺考登记: after entry closes, seats of this room without an attempt; all or nothing. */
  async registerAbsences(access: RoomAccess, staff: StaffUser, registrationIds: readonly string[], reason: string) {
    const { sitting, room } = access;
    const now = this.ctx.clock.now();
    const entry = entryOf(sitting, now);
    if (!entry.closed) {
      throw conflict('ENTRY_NOT_CLOSED', `开考 ${sitting.rules.lateEntryMin} 分钟后（入场截止后）才能登记缺考`, { entryClosesAt: nowIso(entry.closesAt) });
    }
    const ids = [...new Set(registrationIds)];
    const seats = await this.seatsOf(access, ids);
    const at = nowIso(now);
    const problemsOf = (present: { attempts: Set<string>; absent: Set<string> }) =>
      ids.flatMap((id) => {
        if (!seats.has(id)) return [{ registrationId: id, reason: '不是本考场本场次的考生' }];
        if (present.attempts.has(id)) return [{ registrationId: id, reason: '已入场作答' }];
        if (present.absent.has(id)) return [{ registrationId: id, reason: '已登记缺考' }];
        return [];
      });
    const refuse = (problems: { registrationId: string; reason: string }[]) =>
      conflict('ABSENCE_NOT_ALLOWED', `${problems.length} 名考生不能登记缺考，本次未登记任何考生：${problems.map((p) => `${seats.get(p.registrationId)?.name ?? p.registrationId}（${p.reason}）`).join('、')}`, { problems });

    await this.ctx.db.transaction().execute(async (trx) => {
      const known = ids.filter((id) => seats.has(id));
      const [attempts, absent] = known.length
        ? await Promise.all([
            trx.selectFrom('attempts').select('registration_id').where('sitting_id', '=', sitting.id).where('registration_id', 'in', known).execute(),
            trx.selectFrom('absences').select('registration_id').where('sitting_id', '=', sitting.id).where('registration_id', 'in', known).execute(),
          ])
        : [[], []];
      const problems = problemsOf({ attempts: new Set(attempts.map((a) => a.registration_id)), absent: new Set(absent.map((a) => a.registration_id)) });
      if (problems.length) throw refuse(problems);
      await trx.insertInto('absences').values(ids.map((id) => ({ sitting_id: sitting.id, registration_id: id, reason, by_user: staff.id, at }))).execute();
      for (const id of ids) {
        await trx
          .insertInto('sign_in_marks')
          .values({ sitting_id: sitting.id, registration_id: id, state: 'absent', by_user: staff.id, at })
          .onConflict((oc) => oc.columns(['sitting_id', 'registration_id']).doUpdateSet({ state: 'absent', by_user: staff.id, at }))
          .execute();
        const seat = seats.get(id)!;
        await this.record(trx, staff, this.scope(access), {
          kind: 'absence', roomId: room.id, registrationId: id, reason, at, after: { seatNo: seat.seatNo, ticketNo: seat.ticketNo, name: seat.name },
        });
      }
    });
    this.publish({ sittingId: sitting.id, roomId: room.id, registrationId: ids.length === 1 ? ids[0]! : null, kind: 'absence' });
    return { registered: ids.length };
  }

  /** 撤销缺考: removes the absence and the 缺考 mark it made. */
  async cancelAbsence(access: RoomAccess, staff: StaffUser, registrationId: string, reason: string) {
    const { sitting, room } = access;
    const seat = await this.seat(access, registrationId);
    const at = nowIso(this.ctx.clock.now());
    await this.ctx.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('absences').selectAll().where('sitting_id', '=', sitting.id).where('registration_id', '=', registrationId).executeTakeFirst();
      if (!row) throw conflict('NOT_ABSENT', '该考生未登记缺考');
      await trx.deleteFrom('absences').where('sitting_id', '=', sitting.id).where('registration_id', '=', registrationId).execute();
      await trx.deleteFrom('sign_in_marks').where('sitting_id', '=', sitting.id).where('registration_id', '=', registrationId).where('state', '=', 'absent').execute();
      await this.record(trx, staff, this.scope(access), {
        kind: 'absence-cancel', roomId: room.id, registrationId, reason, at, before: { reason: row.reason, at: row.at }, after: { seatNo: seat.seatNo },
      });
    });
    this.publish({ sittingId: sitting.id, roomId: room.id, registrationId, kind: 'absence-cancel' });
    return { registrationId };
  }

  /** 违纪：警告 — a seat that entered, or signed in, or is waiting; shown to the candidate. */
  async warn(access: RoomAccess, staff: StaffUser, registrationId: string, reason: string) {
    const { sitting, room } = access;
    const seat = await this.seat(access, registrationId);
    const now = this.ctx.clock.now();
    const at = nowIso(now);
    const id = await this.ctx.db.transaction().execute(async (trx) => {
      const [attempt, mark, absent] = await Promise.all([
        trx.selectFrom('attempts').select('id').where('sitting_id', '=', sitting.id).where('registration_id', '=', registrationId).executeTakeFirst(),
        trx.selectFrom('sign_in_marks').select('state').where('sitting_id', '=', sitting.id).where('registration_id', '=', registrationId).executeTakeFirst(),
        trx.selectFrom('absences').select('reason').where('sitting_id', '=', sitting.id).where('registration_id', '=', registrationId).executeTakeFirst(),
      ]);
      const waiting = seat.lastLoginAt !== null && Date.parse(seat.lastLoginAt) >= sitting.startsAt - WAITING_WINDOW_MS;
      if (absent || (!attempt && mark?.state !== 'signed' && !waiting)) {
        throw conflict('WARNING_NOT_ALLOWED', absent ? '该考生已登记缺考，不能给予警告' : '该考生尚未登录或签到，不能给予警告');
      }
      return this.record(trx, staff, this.scope(access), { kind: 'warning', roomId: room.id, registrationId, reason, at, after: { seatNo: seat.seatNo } });
    });
    this.publish({ sittingId: sitting.id, roomId: room.id, registrationId, kind: 'warning' });
    return { id };
  }

  /**
   * 违纪：取消考试资格. An attempt in progress is handed in now with reason
   * `disqualified` (no save lands after it); one already handed in keeps its
   * time and score but its reason becomes `disqualified`: the result shows
   * 取消考试资格 and never passes.
   */
  async disqualify(access: RoomAccess, staff: StaffUser, registrationId: string, reason: string) {
    const { sitting, room } = access;
    const seat = await this.seat(access, registrationId);
    const pre = await this.ctx.db
      .selectFrom('attempts')
      .select(['id', 'state', 'submit_reason'])
      .where('sitting_id', '=', sitting.id)
      .where('registration_id', '=', registrationId)
      .executeTakeFirst();
    if (!pre) throw conflict('NO_ATTEMPT', '该考生尚未入场作答，不能取消考试资格（未入场的考生请登记缺考）');
    if (pre.submit_reason === 'disqualified') throw conflict('ALREADY_DISQUALIFIED', '该考生已被取消考试资格');
    const plan = pre.state === 'in_progress' ? await this.planOf(registrationId, pre.id, sitting.id) : null;
    const now = this.ctx.clock.now();
    const at = nowIso(now);
    const result = await this.ctx.db.transaction().execute(async (trx) => {
      const a = await this.lockAttempt(trx, sitting.id, registrationId);
      if (!a) throw conflict('NO_ATTEMPT', '该考生尚未入场作答');
      if (a.submit_reason === 'disqualified') throw conflict('ALREADY_DISQUALIFIED', '该考生已被取消考试资格');
      let handedIn = false;
      if (a.state === 'in_progress' && plan) {
        handedIn = await finalizeAttempt(trx, a.id, plan, Math.min(now, Date.parse(a.deadline_at)), 'disqualified');
      }
      const before = { state: a.state, submitReason: a.submit_reason };
      if (!handedIn) await trx.updateTable('attempts').set({ submit_reason: 'disqualified' }).where('id', '=', a.id).where('state', '=', 'submitted').execute();
      await this.record(trx, staff, this.scope(access), {
        kind: 'disqualify', roomId: room.id, registrationId, reason, at, before, after: { seatNo: seat.seatNo, attemptId: a.id, handedIn },
      });
      return { attemptId: a.id, handedIn };
    });
    this.publish({ sittingId: sitting.id, roomId: room.id, registrationId, kind: 'disqualify' });
    return result;
  }

  /** 补时: deadline, hand-in time and extension move by exactly `minutes`, for an attempt in progress before its deadline. */
  async compensate(access: RoomAccess, staff: StaffUser, registrationId: string, minutes: number, reason: string) {
    const { sitting, room } = access;
    const seat = await this.seat(access, registrationId);
    const now = this.ctx.clock.now();
    const at = nowIso(now);
    const ms = minutes * MIN;
    const deadline = await this.ctx.db.transaction().execute(async (trx) => {
      const a = await this.lockAttempt(trx, sitting.id, registrationId);
      if (!a || a.state !== 'in_progress') throw conflict('COMPENSATION_NOT_ALLOWED', '只能为作答中的考生补时（该考生尚未入场或已交卷）');
      if (now >= Date.parse(a.deadline_at)) throw conflict('COMPENSATION_NOT_ALLOWED', '该考生的作答时间已到，不能再补时');
      const next = {
        deadline_at: nowIso(Date.parse(a.deadline_at) + ms),
        finalize_at: nowIso(Date.parse(a.finalize_at) + ms),
        extension_sec: Number(a.extension_sec) + minutes * 60,
      };
      await trx.updateTable('attempts').set(next).where('id', '=', a.id).execute();
      await this.record(trx, staff, this.scope(access), {
        kind: 'compensation', roomId: room.id, registrationId, minutes, reason, at,
        before: { deadline: a.deadline_at, extensionSec: Number(a.extension_sec) }, after: { seatNo: seat.seatNo, deadline: next.deadline_at },
      });
      return next.deadline_at;
    });
    this.publish({ sittingId: sitting.id, roomId: room.id, registrationId, kind: 'compensation' });
    return { deadline };
  }

  /** 强制交卷: hands an attempt in progress in now (at its deadline if that has passed), reason `proctor`. */
  async forceSubmit(access: RoomAccess, staff: StaffUser, registrationId: string, reason: string) {
    const { sitting, room } = access;
    const seat = await this.seat(access, registrationId);
    const pre = await this.ctx.db
      .selectFrom('attempts')
      .select(['id', 'state'])
      .where('sitting_id', '=', sitting.id)
      .where('registration_id', '=', registrationId)
      .executeTakeFirst();
    if (!pre || pre.state !== 'in_progress') throw notAnswering();
    const plan = await this.planOf(registrationId, pre.id, sitting.id);
    const now = this.ctx.clock.now();
    const at = nowIso(now);
    const submittedAt = await this.ctx.db.transaction().execute(async (trx) => {
      const a = await this.lockAttempt(trx, sitting.id, registrationId);
      if (!a || a.state !== 'in_progress') throw notAnswering();
      const when = Math.min(now, Date.parse(a.deadline_at));
      if (!(await finalizeAttempt(trx, a.id, plan, when, 'proctor'))) throw notAnswering();
      await this.record(trx, staff, this.scope(access), { kind: 'force-submit', roomId: room.id, registrationId, reason, at, after: { seatNo: seat.seatNo, attemptId: a.id } });
      return nowIso(when);
    });
    this.publish({ sittingId: sitting.id, roomId: room.id, registrationId, kind: 'force-submit' });
    return { submittedAt };
  }

  /** 换机: the pending request of the seat's attempt is approved (the attempt's client becomes the new machine) or rejected. */
  async decideSwitch(access: RoomAccess, staff: StaffUser, registrationId: string, approve: boolean, reason: string) {
    const { sitting, room } = access;
    const seat = await this.seat(access, registrationId);
    const at = nowIso(this.ctx.clock.now());
    const kind = approve ? 'switch-approve' : 'switch-reject';
    const result = await this.ctx.db.transaction().execute(async (trx) => {
      const a = await this.lockAttempt(trx, sitting.id, registrationId);
      const pending = a
        ? await trx
            .selectFrom('machine_switches')
            .select(['id', 'client_id', 'ip', 'requested_at'])
            .where('attempt_id', '=', a.id)
            .where('state', '=', 'pending')
            .orderBy('requested_at', 'desc')
            .executeTakeFirst()
        : undefined;
      if (!a || !pending) throw conflict('NO_SWITCH_PENDING', '该考生没有待处理的换机申请');
      if (approve && a.state !== 'in_progress') throw conflict('NOT_ANSWERING', '该考生已交卷，不能再换机');
      const decided = await trx
        .updateTable('machine_switches')
        .set({ state: approve ? 'approved' : 'rejected', decided_by: staff.id, decided_at: at, reason })
        .where('id', '=', pending.id)
        .where('state', '=', 'pending')
        .executeTakeFirst();
      if (Number(decided.numUpdatedRows) !== 1) throw conflict('NO_SWITCH_PENDING', '该换机申请已被处理');
      if (approve) await trx.updateTable('attempts').set({ client_id: pending.client_id }).where('id', '=', a.id).execute();
      await this.record(trx, staff, this.scope(access), {
        kind, roomId: room.id, registrationId, reason, at,
        before: { clientId: a.client_id }, after: { seatNo: seat.seatNo, switchId: pending.id, ip: pending.ip, ...(approve ? { clientId: pending.client_id } : {}) },
      });
      return { switchId: pending.id, state: approve ? ('approved' as const) : ('rejected' as const) };
    });
    this.publish({ sittingId: sitting.id, roomId: room.id, registrationId, kind });
    return result;
  }

  /** 广播 to one room. */
  async broadcastRoom(access: RoomAccess, staff: StaffUser, message: string) {
    const { sitting, room } = access;
    const at = nowIso(this.ctx.clock.now());
    const id = await this.ctx.db.transaction().execute((trx) =>
      this.record(trx, staff, this.scope(access), { kind: 'broadcast', roomId: room.id, registrationId: null, reason: message, at }));
    this.publish({ sittingId: sitting.id, roomId: room.id, registrationId: null, kind: 'broadcast' });
    return { id, rooms: 1 };
  }

  /** 广播 to every room of the site that seats the sitting (a chief, or the operator): one row per room. */
  async broadcastSite(access: SiteAccess, staff: StaffUser, message: string) {
    const { sitting, site } = access;
    const rooms = await this.ctx.db
      .selectFrom('seat_assignments as sa')
      .innerJoin('registrations as r', 'r.id', 'sa.registration_id')
      .select('sa.room_id')
      .distinct()
      .where('sa.plan_id', '=', sitting.planId)
      .where('sa.site_id', '=', site.id)
      .where('r.level', '=', sitting.level)
      .execute();
    const at = nowIso(this.ctx.clock.now());
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('proctor_actions')
        .values(rooms.map((r) => ({
          id: newId(), sitting_id: sitting.id, room_id: r.room_id, registration_id: null, kind: 'broadcast' as const, minutes: null, reason: message, by_user: staff.id, at,
        })))
        .execute();
      await auditChange(trx, staff, {
        action: 'proctor.broadcast', entity: 'site', entityId: site.id,
        after: { sittingId: sitting.id, siteId: site.id, rooms: rooms.length, reason: message }, institutionId: site.institutionId,
      });
    });
    for (const r of rooms) this.publish({ sittingId: sitting.id, roomId: r.room_id, registrationId: null, kind: 'broadcast' });
    return { rooms: rooms.length };
  }

  /** 签到表: marks a seat 已签到 or 缺考, or clears the mark. */
  async markSignIn(access: RoomAccess, staff: StaffUser, registrationId: string, state: 'signed' | 'absent' | null) {
    const { sitting, room } = access;
    const seat = await this.seat(access, registrationId);
    const at = nowIso(this.ctx.clock.now());
    await this.ctx.db.transaction().execute(async (trx) => {
      const [absent, before] = await Promise.all([
        trx.selectFrom('absences').select('reason').where('sitting_id', '=', sitting.id).where('registration_id', '=', registrationId).executeTakeFirst(),
        trx.selectFrom('sign_in_marks').select('state').where('sitting_id', '=', sitting.id).where('registration_id', '=', registrationId).executeTakeFirst(),
      ]);
      if (absent && state !== 'absent') throw conflict('ABSENT', '该考生已登记缺考，请先撤销缺考登记');
      if (state === null) {
        await trx.deleteFrom('sign_in_marks').where('sitting_id', '=', sitting.id).where('registration_id', '=', registrationId).execute();
      } else {
        await trx
          .insertInto('sign_in_marks')
          .values({ sitting_id: sitting.id, registration_id: registrationId, state, by_user: staff.id, at })
          .onConflict((oc) => oc.columns(['sitting_id', 'registration_id']).doUpdateSet({ state, by_user: staff.id, at }))
          .execute();
      }
      await auditChange(trx, staff, {
        action: 'proctor.sign-in', entity: 'registration', entityId: registrationId,
        before: { state: before?.state ?? null }, after: { sittingId: sitting.id, roomId: room.id, seatNo: seat.seatNo, state }, institutionId: room.institutionId,
      });
    });
    this.publish({ sittingId: sitting.id, roomId: room.id, registrationId, kind: 'sign-in' });
    return { registrationId, state };
  }
}

/** Only a room's proctor or the site's chief signs, in their own name. */
export function assertMaySign(access: RoomAccess, staff: StaffUser): asserts access is RoomAccess & { as: 'proctor' | 'chief' } {
  if (access.as === 'operator') throw forbidden('运营管理员不能在考场情况记录表上签名，请由本考场监考员或主考签名');
  if (staff.actingFor) throw forbidden('代登录状态下不能签名，请由本人登录后签名');
}
