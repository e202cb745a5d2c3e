import type { Kysely } from 'kysely';
import { parseCidr, rangesOverlap, roomWarnings, siteWarnings, type IpRange } from '@kaowu/core';
import type { DB } from '../../db/schema.ts';
import { notFound } from '../../http/errors.ts';
import { shanghaiDate } from '../../time-format.ts';
import type { StaffUser } from '../accounts/staff-auth.ts';
import { AGREEMENT_STATUS_NAMES } from '@kaowu/core';
import { SITE_STATUS_NAMES } from './labels.ts';
import { parseRanges } from './room-service.ts';
import type { SiteRow } from './site-service.ts';
import type { RoomView, SiteDetail, SiteSummary } from './schemas.ts';

/** Who may change rooms: the site's coordinator, or the operator. */
export const ROOM_EDITORS = ['operator', 'coordinator'] as const;

/** Sites as lists show them: with the institution, the applicant and room totals. */
export async function siteSummaries(db: Kysely<DB>, sites: SiteRow[]): Promise<SiteSummary[]> {
  if (sites.length === 0) return [];
  const institutionIds = [...new Set(sites.map((s) => s.institution_id))];
  const userIds = [...new Set(sites.map((s) => s.created_by))];
  const siteIds = sites.map((s) => s.id);
  const [institutions, users, rooms] = await Promise.all([
    db.selectFrom('institutions').select(['id', 'code', 'name']).where('id', 'in', institutionIds).execute(),
    db.selectFrom('users').select(['id', 'display_name', 'username']).where('id', 'in', userIds).execute(),
    db
      .selectFrom('rooms')
      .select(['site_id', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.sum<number>('seats').as('seats')])
      .where('site_id', 'in', siteIds)
      .groupBy('site_id')
      .execute(),
  ]);
  return sites.map((s) => {
    const inst = institutions.find((i) => i.id === s.institution_id);
    const user = users.find((u) => u.id === s.created_by);
    const r = rooms.find((x) => x.site_id === s.id);
    return {
      id: s.id,
      code: s.code,
      name: s.name,
      address: s.address,
      contactName: s.contact_name,
      contactPhone: s.contact_phone,
      status: s.status,
      statusName: SITE_STATUS_NAMES[s.status],
      agreementStatus: s.agreement_status,
      agreementName: AGREEMENT_STATUS_NAMES[s.agreement_status],
      reviewNote: s.review_note,
      reviewedAt: s.reviewed_at,
      institution: { id: s.institution_id, code: inst?.code ?? '', name: inst?.name ?? '' },
      createdAt: s.created_at,
      createdBy: user ? `${user.display_name}（${user.username}）` : '',
      rooms: Number(r?.n ?? 0),
      seats: Number(r?.seats ?? 0),
    };
  });
}

/**
 * The plan the room figures are about: the one asked for, else the nearest
 * plan still to come that has candidates placed or proctors at the site.
 */
async function contextPlan(db: Kysely<DB>, siteId: string, planId: string | undefined, now: number) {
  if (planId) {
    const plan = await db.selectFrom('plans').select(['id', 'name', 'exam_date']).where('id', '=', planId).executeTakeFirst();
    if (!plan) throw notFound('PLAN_NOT_FOUND', '考试计划不存在');
    return plan;
  }
  return (
    (await db
      .selectFrom('plans')
      .select(['id', 'name', 'exam_date'])
      .where('exam_date', '>=', shanghaiDate(now))
      .where((eb) =>
        eb.or([
          eb.exists(eb.selectFrom('seat_assignments').select('room_id').whereRef('seat_assignments.plan_id', '=', 'plans.id').where('seat_assignments.site_id', '=', siteId)),
          eb.exists(eb.selectFrom('proctor_assignments').select('id').whereRef('proctor_assignments.plan_id', '=', 'plans.id').where('proctor_assignments.site_id', '=', siteId)),
        ]),
      )
      .orderBy('exam_date')
      .orderBy('created_at')
      .limit(1)
      .executeTakeFirst()) ?? null
  );
}

/** A site with its rooms and the manual's warnings (they inform, they never block). */
export async function siteDetail(db: Kysely<DB>, staff: StaffUser, site: SiteRow, planId: string | undefined, now: number): Promise<SiteDetail> {
  const [summary] = await siteSummaries(db, [site]);
  const rooms = await db.selectFrom('rooms').selectAll().where('site_id', '=', site.id).orderBy('created_at').orderBy('id').execute();
  const plan = await contextPlan(db, site.id, planId, now);
  const placed = new Map<string, number>();
  const proctors = new Map<string, number>();
  let proctorsAssigned = false;
  if (plan) {
    const seats = await db
      .selectFrom('seat_assignments')
      .select(['room_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('plan_id', '=', plan.id)
      .where('site_id', '=', site.id)
      .groupBy('room_id')
      .execute();
    for (const s of seats) placed.set(s.room_id, Number(s.n));
    const ps = await db
      .selectFrom('proctor_assignments')
      .select(['room_id', 'duty'])
      .where('plan_id', '=', plan.id)
      .where('site_id', '=', site.id)
      .execute();
    proctorsAssigned = ps.length > 0;
    for (const p of ps) if (p.duty === 'proctor' && p.room_id) proctors.set(p.room_id, (proctors.get(p.room_id) ?? 0) + 1);
  }

  const views: RoomView[] = rooms.map((r) => {
    const facts = {
      seats: r.seats,
      spareMachines: r.spare_machines,
      placed: placed.get(r.id) ?? 0,
      proctors: proctorsAssigned ? proctors.get(r.id) ?? 0 : null,
    };
    return {
      id: r.id,
      name: r.name,
      location: r.location,
      seats: r.seats,
      seatsPerRow: r.seats_per_row,
      roomType: r.room_type,
      spareMachines: r.spare_machines,
      ipRanges: parseRanges(r.ip_ranges),
      restrictSignIn: r.restrict_sign_in === 1,
      createdAt: r.created_at,
      placed: facts.placed,
      proctors: facts.proctors,
      warnings: roomWarnings(facts),
    };
  });

  // Two rooms whose machine ranges overlap cannot be told apart at sign-in.
  const parsed = views.map((v) => ({ name: v.name, ranges: v.ipRanges.map(parseCidr).filter((x): x is IpRange => x !== null) }));
  const overlapping: [string, string][] = [];
  for (let i = 0; i < parsed.length; i++) {
    for (let j = i + 1; j < parsed.length; j++) {
      if (parsed[i]!.ranges.some((a) => parsed[j]!.ranges.some((b) => rangesOverlap(a, b)))) overlapping.push([parsed[i]!.name, parsed[j]!.name]);
    }
  }

  return {
    site: summary!,
    rooms: views,
    warnings: siteWarnings({ status: site.status, agreementStatus: site.agreement_status, rooms: rooms.length, overlappingRooms: overlapping }),
    plan: plan ? { id: plan.id, name: plan.name, examDate: plan.exam_date } : null,
    permissions: {
      editRooms: (ROOM_EDITORS as readonly string[]).includes(staff.role) && (site.status === 'pending' || site.status === 'enabled'),
      review: staff.role === 'operator',
    },
  };
}
