import type { Kysely } from 'kysely';
import type { Level } from '@kaowu/core';
import type { DB } from '../../db/schema.ts';
import type { SiteRow } from '../sites/site-service.ts';
import type { ReadinessFacts } from './checklist.ts';

/** Reads what the checklist needs for one plan and site (other modules' tables are only read). */
export async function readinessFacts(db: Kysely<DB>, planId: string, examDate: string, site: SiteRow): Promise<ReadinessFacts> {
  const siteId = site.id;
  const [sittings, rooms, registered, arrangement, placed, proctors, prints, marks, started] = await Promise.all([
    db.selectFrom('sittings').select(['id', 'level', 'paper', 'starts_at']).where('plan_id', '=', planId).execute(),
    db.selectFrom('rooms').select(['id', 'name', 'seats']).where('site_id', '=', siteId).orderBy('created_at').orderBy('id').execute(), // as the site page lists them
    db
      .selectFrom('registrations')
      .select(['level', (eb) => eb.fn.countAll<number>().as('n')])
      .where('plan_id', '=', planId)
      .where('site_id', '=', siteId)
      .groupBy('level')
      .execute(),
    db.selectFrom('arrangements').select(['state', 'options', 'published_at']).where('plan_id', '=', planId).where('site_id', '=', siteId).executeTakeFirst(),
    db
      .selectFrom('seat_assignments')
      .select(['room_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('plan_id', '=', planId)
      .where('site_id', '=', siteId)
      .groupBy('room_id')
      .execute(),
    db
      .selectFrom('proctor_assignments')
      .select(['room_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('plan_id', '=', planId)
      .where('site_id', '=', siteId)
      .where('duty', '=', 'proctor')
      .groupBy('room_id')
      .execute(),
    db
      .selectFrom('print_log')
      .select(['kind', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.sum<number>('pages').as('pages'), (eb) => eb.fn.max('printed_at').as('lastAt')])
      .where('plan_id', '=', planId)
      .where('site_id', '=', siteId)
      .groupBy('kind')
      .execute(),
    db
      .selectFrom('readiness_marks')
      .leftJoin('users', 'users.id', 'readiness_marks.done_by')
      .select(['readiness_marks.item', 'readiness_marks.done_at', 'readiness_marks.note', 'users.display_name', 'readiness_marks.done_by'])
      .where('readiness_marks.plan_id', '=', planId)
      .where('readiness_marks.site_id', '=', siteId)
      .execute(),
    db
      .selectFrom('attempts')
      .innerJoin('registrations', 'registrations.id', 'attempts.registration_id')
      .select(['attempts.sitting_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('registrations.plan_id', '=', planId)
      .where('registrations.site_id', '=', siteId)
      .groupBy('attempts.sitting_id')
      .execute(),
  ]);

  let everyOtherSeat = false;
  if (arrangement) {
    try {
      everyOtherSeat = (JSON.parse(arrangement.options) as { everyOtherSeat?: unknown }).everyOtherSeat === true;
    } catch {
      everyOtherSeat = false;
    }
  }
  return {
    site: { status: site.status, agreementStatus: site.agreement_status },
    sittings: sittings.map((s) => ({ id: s.id, level: s.level, paper: s.paper, startsAt: Date.parse(s.starts_at) })),
    examDayStart: Date.parse(`${examDate}T00:00:00+08:00`),
    rooms: rooms.map((r) => ({ id: r.id, name: r.name, seats: Number(r.seats) })),
    registered: Object.fromEntries(registered.map((r) => [r.level, Number(r.n)])) as Partial<Record<Level, number>>,
    arrangement: arrangement ? { state: arrangement.state, publishedAt: arrangement.published_at, everyOtherSeat } : null,
    placed: new Map(placed.map((p) => [p.room_id, Number(p.n)])),
    proctors: new Map(proctors.filter((p) => p.room_id).map((p) => [p.room_id!, Number(p.n)])),
    prints: Object.fromEntries(
      prints.map((p) => [p.kind, { count: Number(p.n), pages: Number(p.pages ?? 0), lastAt: String(p.lastAt) }]),
    ) as ReadinessFacts['prints'],
    marks: new Map(marks.map((m) => [m.item, { by: m.display_name ?? m.done_by, at: m.done_at, note: m.note }])),
    started: new Map(started.map((s) => [s.sitting_id, Number(s.n)])),
  };
}
