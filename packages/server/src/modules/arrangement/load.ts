/**
 * What 考场编排, 监考安排 and printing read for one plan at one site. Every
 * function here only reads; callers read everything first and then open their
 * transaction (SQLite has one connection: a query on ctx.db inside a
 * transaction would wait for itself).
 */
import type { Level } from '@kaowu/core';
import type { Kysely, Selectable } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { ArrangementsTable, RoomsTable, SitesTable } from '../../db/tables/administration.ts';
import { notFound } from '../../http/errors.ts';
import { siteInScope } from '../accounts/scope.ts';
import type { StaffUser } from '../accounts/staff-auth.ts';
import { chunks } from '../../db/chunks.ts';

export type SiteRow = Selectable<SitesTable>;
export type RoomRow = Selectable<RoomsTable>;

export interface PlanRow {
  id: string;
  name: string;
  code: string | null;
  exam_date: string;
  certificate_id: string;
}

export interface Target {
  plan: PlanRow;
  site: SiteRow;
}

/** The site (404 when missing or out of the caller's scope), then the plan (404 when missing). */
export async function loadTarget(db: Kysely<DB>, staff: StaffUser, planId: string, siteId: string): Promise<Target> {
  const site = await siteInScope(db, staff, siteId);
  return { plan: await loadPlan(db, planId), site };
}

export async function loadPlan(db: Kysely<DB>, planId: string): Promise<PlanRow> {
  const plan = await db.selectFrom('plans').select(['id', 'name', 'code', 'exam_date', 'certificate_id']).where('id', '=', planId).executeTakeFirst();
  if (!plan) throw notFound('PLAN_NOT_FOUND', '考试计划不存在');
  return plan;
}

/** A registration at the site, with what arranging, 回避 and printing need of its candidate. */
export interface Registrant {
  registrationId: string;
  ticketNo: string;
  level: Level;
  candidateId: string;
  name: string;
  gender: string | null;
  idType: string;
  idNumber: string;
  /** The candidate's institution (else the registering one). */
  institutionId: string | null;
  classId: string | null;
  className: string | null;
  /** The candidate's major, else their class's. */
  majorId: string | null;
  /** When the candidate registered (ISO). */
  registeredAt: string;
}

/** The site's registrations for the plan, in ticket-number order (the order they registered). */
export async function loadRegistrants(db: Kysely<DB>, planId: string, siteId: string): Promise<Registrant[]> {
  const rows = await db
    .selectFrom('registrations as r')
    .innerJoin('candidates as c', 'c.id', 'r.candidate_id')
    .leftJoin('classes as k', 'k.id', 'c.class_id')
    .select([
      'r.id', 'r.ticket_no', 'r.level', 'r.created_at', 'r.institution_id as reg_institution', 'c.id as candidate_id', 'c.name', 'c.gender', 'c.id_type', 'c.id_number',
      'c.institution_id', 'c.class_id', 'c.major_id', 'k.name as class_name', 'k.major_id as class_major',
    ])
    .where('r.plan_id', '=', planId)
    .where('r.site_id', '=', siteId)
    .orderBy('r.ticket_no')
    .execute();
  return rows.map((r) => ({
    registrationId: r.id,
    ticketNo: r.ticket_no,
    level: r.level,
    candidateId: r.candidate_id,
    name: r.name,
    gender: r.gender,
    idType: r.id_type,
    idNumber: r.id_number,
    institutionId: r.institution_id ?? r.reg_institution,
    classId: r.class_id,
    className: r.class_name ?? null,
    majorId: r.major_id ?? r.class_major ?? null,
    registeredAt: r.created_at,
  }));
}

/** The site's rooms in the order they were set up. */
export async function loadRooms(db: Kysely<DB>, siteId: string): Promise<RoomRow[]> {
  return db.selectFrom('rooms').selectAll().where('site_id', '=', siteId).orderBy('created_at').orderBy('name').execute();
}

export interface SeatRow {
  registrationId: string;
  roomId: string;
  seatNo: number;
  createdAt: string;
}

export async function loadSeats(db: Kysely<DB>, planId: string, siteId: string): Promise<SeatRow[]> {
  const rows = await db
    .selectFrom('seat_assignments')
    .select(['registration_id', 'room_id', 'seat_no', 'created_at'])
    .where('plan_id', '=', planId)
    .where('site_id', '=', siteId)
    .execute();
  return rows.map((r) => ({ registrationId: r.registration_id, roomId: r.room_id, seatNo: Number(r.seat_no), createdAt: r.created_at }));
}

export type ArrangementRow = Selectable<ArrangementsTable>;

export interface ArrangementOptions {
  /** 隔位就座: only seats 1, 3, 5, … are used. */
  everyOtherSeat: boolean;
}

export const DEFAULT_OPTIONS: ArrangementOptions = { everyOtherSeat: false };

/** Stored options; anything else there (such as the plan-wide seatsPerRow of old, now each room's) is ignored. */
export function parseOptions(json: string | null | undefined): ArrangementOptions {
  try {
    const v = JSON.parse(json ?? '{}') as Partial<ArrangementOptions> | null;
    return { everyOtherSeat: v?.everyOtherSeat === true };
  } catch {
    return { ...DEFAULT_OPTIONS };
  }
}

export function parseProblems(json: string | null | undefined): string[] {
  try {
    const v = JSON.parse(json ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export async function loadArrangement(db: Kysely<DB>, planId: string, siteId: string): Promise<ArrangementRow | undefined> {
  return db.selectFrom('arrangements').selectAll().where('plan_id', '=', planId).where('site_id', '=', siteId).executeTakeFirst();
}

/** Display names of users, by id (unknown ids are left out). */
export async function userNames(db: Kysely<DB>, ids: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const part of chunks([...new Set(ids)], 500)) {
    const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', part).execute();
    for (const r of rows) out.set(r.id, r.display_name);
  }
  return out;
}

/** Physical neighbours (left/right in a row, front/back in a column) of a seat. */
export function neighbourSeats(seatNo: number, seats: number, cols: number): number[] {
  const out: number[] = [];
  const col = (seatNo - 1) % cols;
  if (col > 0) out.push(seatNo - 1);
  if (col < cols - 1 && seatNo + 1 <= seats) out.push(seatNo + 1);
  if (seatNo - cols >= 1) out.push(seatNo - cols);
  if (seatNo + cols <= seats) out.push(seatNo + cols);
  return out;
}
