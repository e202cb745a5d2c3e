/**
 * The seat map of a room (and the chief's overview of a site) for one sitting,
 * read with a fixed number of queries whatever the number of seats: seats,
 * attempts, last saves, client events, refusals, sign-in marks, pending
 * machine switches, absences and warnings, each one grouped query over the
 * room's (or site's) seats.
 */
import { windows } from '@kaowu/core';
import type { AppContext } from '../../context.ts';
import { notFound } from '../../http/errors.ts';
import { nowIso } from '../../ids.ts';
import type { Sitting } from '../plans/sitting-catalog.ts';
import type { RoomAccess, SiteAccess } from './scope.ts';
import type { ActionView, RoomView, SeatCounts, SeatState, SeatView, SiteView } from './schemas.ts';

/** A candidate who logged in this long before the start (or later) and has not entered is waiting (候考). */
export const WAITING_WINDOW_MS = 3 * 3600_000;

/** attempt_events types counted on the seat map, by the seat's field. */
const EVENT_FIELDS = {
  'fullscreen-exit': 'fullscreenExit',
  'focus-loss': 'focusLoss',
  reconnect: 'reconnect',
  reload: 'reload',
  offline: 'offline',
  'second-client': 'secondClient',
} as const satisfies Record<string, keyof SeatView['events']>;
const EVENT_TYPES = Object.keys(EVENT_FIELDS) as (keyof typeof EVENT_FIELDS)[];

export type SeatScope = { roomId: string } | { siteId: string };

export interface SeatData extends SeatView {
  roomId: string;
}

/** When entry closes (开考 lateEntryMin 分钟后) and whether it has. */
export function entryOf(sitting: Sitting, now: number) {
  const closesAt = windows(sitting, sitting.rules).entryClosesAt;
  return { closesAt, closed: now > closesAt };
}

export function sittingView(sitting: Sitting, now: number): RoomView['sitting'] {
  const entry = entryOf(sitting, now);
  return {
    id: sitting.id,
    name: sitting.name,
    paper: sitting.paper,
    level: sitting.level,
    startsAt: nowIso(sitting.startsAt),
    endsAt: nowIso(sitting.endsAt),
    entryClosesAt: nowIso(entry.closesAt),
    entryClosed: entry.closed,
  };
}

/** Every seat of the room (or site) for the sitting, with its state; `saves`: also the last save of each attempt. */
export async function loadSeats(ctx: AppContext, sitting: Sitting, scope: SeatScope, opts: { saves: boolean }): Promise<SeatData[]> {
  const db = ctx.db;
  const col = 'roomId' in scope ? ('sa.room_id' as const) : ('sa.site_id' as const);
  const val = 'roomId' in scope ? scope.roomId : scope.siteId;
  const sid = sitting.id;
  const planId = sitting.planId;
  const refusalsFrom = nowIso(sitting.startsAt - WAITING_WINDOW_MS);
  const refusalsTo = nowIso(sitting.endsAt);

  const [seats, attempts, saves, events, refusals, marks, switches, absences, warnings] = await Promise.all([
    db
      .selectFrom('seat_assignments as sa')
      .innerJoin('registrations as r', 'r.id', 'sa.registration_id')
      .innerJoin('candidates as c', 'c.id', 'r.candidate_id')
      .select((eb) => [
        'sa.room_id', 'sa.seat_no', 'sa.registration_id', 'r.ticket_no', 'r.last_login_at', 'c.name',
        eb.exists(eb.selectFrom('candidate_photos as cp').select('cp.candidate_id').whereRef('cp.candidate_id', '=', 'c.id')).as('has_photo'),
      ])
      .where('sa.plan_id', '=', planId)
      .where('r.level', '=', sitting.level)
      .where('sa.plan_id', '=', planId) // the room's seats first: the plan starts there, not at every attempt of the sitting
      .where(col, '=', val)
      .orderBy('sa.room_id')
      .orderBy('sa.seat_no')
      .execute(),
    db
      .selectFrom('attempts as a')
      .innerJoin('seat_assignments as sa', 'sa.registration_id', 'a.registration_id')
      .select(['a.id', 'a.registration_id', 'a.state', 'a.deadline_at', 'a.extension_sec', 'a.submitted_at', 'a.submit_reason'])
      .where('a.sitting_id', '=', sid)
      .where('sa.plan_id', '=', planId)
      .where(col, '=', val)
      .execute(),
    opts.saves
      ? db
          .selectFrom('answers as an')
          .innerJoin('attempts as a', 'a.id', 'an.attempt_id')
          .innerJoin('seat_assignments as sa', 'sa.registration_id', 'a.registration_id')
          .select((eb) => ['an.attempt_id', eb.fn.max('an.saved_at').as('last')])
          .where('a.sitting_id', '=', sid)
          .where('sa.plan_id', '=', planId)
          .where(col, '=', val)
          .groupBy('an.attempt_id')
          .execute()
      : [],
    db
      .selectFrom('attempt_events as e')
      .innerJoin('attempts as a', 'a.id', 'e.attempt_id')
      .innerJoin('seat_assignments as sa', 'sa.registration_id', 'a.registration_id')
      .select((eb) => ['e.attempt_id', 'e.type', eb.fn.countAll<number>().as('n')])
      .where('a.sitting_id', '=', sid)
      .where('sa.plan_id', '=', planId)
      .where(col, '=', val)
      .where('e.type', 'in', EVENT_TYPES)
      .groupBy(['e.attempt_id', 'e.type'])
      .execute(),
    // Refusals while entering this sitting, and at log-in around it (log-ins name no sitting).
    db
      .selectFrom('sign_in_refusals as f')
      .innerJoin('seat_assignments as sa', 'sa.registration_id', 'f.registration_id')
      .select(['f.registration_id', 'f.ip', 'f.at'])
      .where('sa.plan_id', '=', planId)
      .where(col, '=', val)
      .where((eb) => eb.or([
        eb('f.sitting_id', '=', sid),
        eb.and([eb('f.sitting_id', 'is', null), eb('f.at', '>=', refusalsFrom), eb('f.at', '<=', refusalsTo)]),
      ]))
      .orderBy('f.at', 'desc')
      .execute(),
    db
      .selectFrom('sign_in_marks as m')
      .innerJoin('seat_assignments as sa', 'sa.registration_id', 'm.registration_id')
      .select(['m.registration_id', 'm.state'])
      .where('m.sitting_id', '=', sid)
      .where('sa.plan_id', '=', planId)
      .where(col, '=', val)
      .execute(),
    db
      .selectFrom('machine_switches as ms')
      .innerJoin('attempts as a', 'a.id', 'ms.attempt_id')
      .innerJoin('seat_assignments as sa', 'sa.registration_id', 'a.registration_id')
      .select(['ms.id', 'ms.attempt_id', 'ms.requested_at', 'ms.ip'])
      .where('a.sitting_id', '=', sid)
      .where('ms.state', '=', 'pending')
      .where('sa.plan_id', '=', planId)
      .where(col, '=', val)
      .orderBy('ms.requested_at')
      .execute(),
    db
      .selectFrom('absences as ab')
      .innerJoin('seat_assignments as sa', 'sa.registration_id', 'ab.registration_id')
      .select(['ab.registration_id', 'ab.reason'])
      .where('ab.sitting_id', '=', sid)
      .where('sa.plan_id', '=', planId)
      .where(col, '=', val)
      .execute(),
    db
      .selectFrom('proctor_actions as pa')
      .innerJoin('seat_assignments as sa', 'sa.registration_id', 'pa.registration_id')
      .select((eb) => ['pa.registration_id', eb.fn.countAll<number>().as('n')])
      .where('pa.sitting_id', '=', sid)
      .where('pa.kind', '=', 'warning')
      .where('sa.plan_id', '=', planId)
      .where(col, '=', val)
      .groupBy('pa.registration_id')
      .execute(),
  ]);

  const waitingFrom = sitting.startsAt - WAITING_WINDOW_MS;
  const attemptOf = new Map(attempts.map((a) => [a.registration_id, a]));
  const lastSave = new Map(saves.map((s) => [s.attempt_id, s.last === null ? null : String(s.last)]));
  const eventCounts = new Map<string, SeatView['events']>();
  for (const e of events) {
    let c = eventCounts.get(e.attempt_id);
    if (!c) eventCounts.set(e.attempt_id, (c = { fullscreenExit: 0, focusLoss: 0, reconnect: 0, reload: 0, offline: 0, secondClient: 0 }));
    c[EVENT_FIELDS[e.type as keyof typeof EVENT_FIELDS]] += Number(e.n);
  }
  const refusalsOf = new Map<string, { ip: string; at: string }[]>();
  for (const f of refusals) {
    const list = refusalsOf.get(f.registration_id) ?? [];
    // The latest ten per seat are enough to see what is going on.
    if (list.length < 10) list.push({ ip: f.ip, at: f.at });
    refusalsOf.set(f.registration_id, list);
  }
  const markOf = new Map(marks.map((m) => [m.registration_id, m.state]));
  const switchOf = new Map(switches.map((s) => [s.attempt_id, s])); // ordered by time: the latest wins
  const absenceOf = new Map(absences.map((a) => [a.registration_id, a.reason]));
  const warningsOf = new Map(warnings.map((w) => [w.registration_id!, Number(w.n)]));

  return seats.map((s): SeatData => {
    const a = attemptOf.get(s.registration_id);
    const sw = a ? switchOf.get(a.id) : undefined;
    const absent = absenceOf.get(s.registration_id);
    let state: SeatState;
    if (absent !== undefined) state = 'absent';
    else if (a?.state === 'submitted') state = a.submit_reason === 'disqualified' ? 'disqualified' : 'submitted';
    else if (a && sw) state = 'switch-pending';
    else if (a) state = 'answering';
    else if (s.last_login_at && Date.parse(s.last_login_at) >= waitingFrom) state = 'waiting';
    else state = 'not-signed-in';
    return {
      roomId: s.room_id,
      seatNo: s.seat_no,
      registrationId: s.registration_id,
      name: s.name,
      ticketNo: s.ticket_no,
      hasPhoto: s.has_photo === true || Number(s.has_photo) === 1,
      state,
      attemptId: a?.id ?? null,
      lastSaveAt: a ? (lastSave.get(a.id) ?? null) : null,
      deadline: a?.deadline_at ?? null,
      extensionMin: a ? Number(a.extension_sec) / 60 : 0,
      submittedAt: a?.submitted_at ?? null,
      submitReason: a?.submit_reason ?? null,
      events: (a && eventCounts.get(a.id)) || { fullscreenExit: 0, focusLoss: 0, reconnect: 0, reload: 0, offline: 0, secondClient: 0 },
      warnings: warningsOf.get(s.registration_id) ?? 0,
      refusals: refusalsOf.get(s.registration_id) ?? [],
      signIn: markOf.get(s.registration_id) ?? null,
      switchRequest: sw && a?.state === 'in_progress' ? { id: sw.id, requestedAt: sw.requested_at, ip: sw.ip } : null,
      absentReason: absent ?? null,
    };
  });
}

/** The photo (证件照) of a seat of the room for the sitting (its level), for checking identity at the door; else 404. */
export async function seatPhoto(ctx: AppContext, access: RoomAccess, registrationId: string): Promise<{ mime: string; content: Buffer }> {
  const row = await ctx.db
    .selectFrom('seat_assignments as sa')
    .innerJoin('registrations as r', 'r.id', 'sa.registration_id')
    .leftJoin('candidate_photos as cp', 'cp.candidate_id', 'r.candidate_id')
    .select(['cp.mime', 'cp.content'])
    .where('sa.plan_id', '=', access.sitting.planId)
    .where('sa.room_id', '=', access.room.id)
    .where('r.level', '=', access.sitting.level)
    .where('sa.registration_id', '=', registrationId)
    .executeTakeFirst();
  if (!row) throw notFound('SEAT_NOT_FOUND', '本考场本场次没有该考生');
  if (row.mime === null || row.content === null) throw notFound('PHOTO_NOT_FOUND', '该考生没有照片');
  return { mime: row.mime, content: Buffer.from(row.content) };
}

export function countSeats(seats: readonly SeatData[]): SeatCounts {
  const c: SeatCounts = { total: seats.length, notSignedIn: 0, waiting: 0, answering: 0, switchPending: 0, submitted: 0, absent: 0, disqualified: 0 };
  for (const s of seats) {
    switch (s.state) {
      case 'not-signed-in': c.notSignedIn++; break;
      case 'waiting': c.waiting++; break;
      case 'answering': c.answering++; break;
      case 'switch-pending': c.switchPending++; break;
      case 'submitted': c.submitted++; break;
      case 'absent': c.absent++; break;
      case 'disqualified': c.disqualified++; break;
    }
  }
  return c;
}

/** The room's proctors (by name) and the site's chief. */
export async function roomProctors(ctx: AppContext, planId: string, siteId: string, roomId: string) {
  const rows = await ctx.db
    .selectFrom('proctor_assignments as p')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .select(['p.user_id', 'p.duty', 'u.display_name'])
    .where('p.plan_id', '=', planId)
    .where((eb) => eb.or([
      eb.and([eb('p.duty', '=', 'proctor'), eb('p.room_id', '=', roomId)]),
      eb.and([eb('p.duty', '=', 'chief'), eb('p.site_id', '=', siteId)]),
    ]))
    .execute();
  return rows
    .map((r) => ({ userId: r.user_id, name: r.display_name, duty: r.duty }))
    .sort((a, b) => (a.duty === b.duty ? a.name.localeCompare(b.name, 'zh-CN') : a.duty === 'proctor' ? -1 : 1));
}

/** The actions of the room and those of the whole sitting (the automatic warning), newest first. */
async function roomActions(ctx: AppContext, sittingId: string, roomId: string, seats: readonly SeatData[]): Promise<ActionView[]> {
  const rows = await ctx.db
    .selectFrom('proctor_actions as pa')
    .leftJoin('users as u', 'u.id', 'pa.by_user')
    .select(['pa.id', 'pa.kind', 'pa.registration_id', 'pa.minutes', 'pa.reason', 'pa.at', 'pa.by_user', 'u.display_name'])
    .where('pa.sitting_id', '=', sittingId)
    .where((eb) => eb.or([eb('pa.room_id', '=', roomId), eb('pa.room_id', 'is', null)]))
    .orderBy('pa.at', 'desc')
    .orderBy('pa.id', 'desc')
    .limit(1000)
    .execute();
  const seatOf = new Map(seats.map((s) => [s.registrationId, s]));
  return rows.map((r) => {
    const seat = r.registration_id ? seatOf.get(r.registration_id) : undefined;
    return {
      id: r.id,
      kind: r.kind,
      registrationId: r.registration_id,
      seatNo: seat?.seatNo ?? null,
      name: seat?.name ?? null,
      minutes: r.minutes === null ? null : Number(r.minutes),
      reason: r.reason,
      by: r.by_user === null ? '系统' : (r.display_name ?? r.by_user),
      at: r.at,
    };
  });
}

export async function roomView(ctx: AppContext, access: RoomAccess): Promise<RoomView> {
  const { sitting, room } = access;
  const now = ctx.clock.now();
  const [seats, proctors] = await Promise.all([
    loadSeats(ctx, sitting, { roomId: room.id }, { saves: true }),
    roomProctors(ctx, sitting.planId, room.siteId, room.id),
  ]);
  const actions = await roomActions(ctx, sitting.id, room.id, seats);
  const entry = entryOf(sitting, now);
  return {
    serverNow: nowIso(now),
    sitting: sittingView(sitting, now),
    room: { id: room.id, name: room.name, location: room.location, seats: room.seats, seatsPerRow: room.seatsPerRow, siteId: room.siteId, siteName: room.siteName },
    proctors,
    seats: seats.map(({ roomId: _roomId, ...s }) => s),
    counts: countSeats(seats),
    suggestedAbsent: entry.closed ? seats.filter((s) => s.state === 'not-signed-in' || s.state === 'waiting').map((s) => s.registrationId) : [],
    actions,
  };
}

/** 主考: every room of the site for the sitting, with its counts and what needs attention. */
export async function siteOverview(ctx: AppContext, access: SiteAccess): Promise<SiteView> {
  const { sitting, site } = access;
  const now = ctx.clock.now();
  const seats = await loadSeats(ctx, sitting, { siteId: site.id }, { saves: false });
  const roomIds = [...new Set(seats.map((s) => s.roomId))];
  const [rooms, proctors] = await Promise.all([
    roomIds.length
      ? ctx.db.selectFrom('rooms').select(['id', 'name', 'location', 'created_at']).where('id', 'in', roomIds).execute()
      : [],
    ctx.db
      .selectFrom('proctor_assignments as p')
      .innerJoin('users as u', 'u.id', 'p.user_id')
      .select(['p.room_id', 'p.user_id', 'u.display_name'])
      .where('p.plan_id', '=', sitting.planId)
      .where('p.site_id', '=', site.id)
      .where('p.duty', '=', 'proctor')
      .orderBy('u.display_name')
      .execute(),
  ]);
  rooms.sort((a, b) => a.name.localeCompare(b.name, 'zh-CN', { numeric: true }));
  return {
    serverNow: nowIso(now),
    sitting: sittingView(sitting, now),
    site: { id: site.id, name: site.name },
    rooms: rooms.map((r) => {
      const mine = seats.filter((s) => s.roomId === r.id);
      return {
        roomId: r.id,
        name: r.name,
        location: r.location,
        proctors: proctors.filter((p) => p.room_id === r.id).map((p) => ({ userId: p.user_id, name: p.display_name })),
        counts: countSeats(mine),
        alerts: mine.reduce((n, s) => n + (s.switchRequest ? 1 : 0) + s.events.fullscreenExit + s.refusals.length, 0),
      };
    }),
  };
}
