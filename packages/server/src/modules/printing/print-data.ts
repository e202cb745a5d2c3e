/**
 * The printed papers' data, read from the database: the published 考场编排 of
 * one plan at one site (optionally one room) turned into the printing types.
 * Tickets need a room and a seat, so nothing is printed before the
 * arrangement is published.
 */
import { LEVEL_NAMES, PAPER_NAMES, type Level } from '@kaowu/core';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { conflict, badRequest, notFound } from '../../http/errors.ts';
import { roomLevel } from '../arrangement/arrangement-view.ts';
import { chunks } from '../../db/chunks.ts';
import { loadArrangement, loadRegistrants, loadRooms, loadSeats, type PlanRow, type Registrant, type RoomRow, type SiteRow } from '../arrangement/load.ts';
import { ID_TYPE_NAMES, type IdType } from '../sheets/index.ts';
import { maskIdNumber } from './pdf.ts';
import type { DeskStickerData, DoorStickerData, LevelName, SignInSheetData, SittingTime, TicketData } from './types.ts';

export const PRINT_KINDS = ['tickets', 'door', 'desk', 'signin'] as const;
export type PrintKind = (typeof PRINT_KINDS)[number];
export const PRINT_KIND_NAMES: Record<PrintKind, string> = { tickets: '准考证', door: '考场门贴', desk: '考场桌贴', signin: '签到表' };

export interface PrintSeat {
  seatNo: number;
  registrant: Registrant;
}

export interface PrintRoom {
  room: RoomRow;
  level: Level;
  seats: PrintSeat[];
  /** Names of the room's proctors (duty proctor), for the sign-in sheet. */
  proctors: string[];
}

export interface PrintSite {
  plan: PlanRow;
  site: SiteRow;
  certificateName: string;
  rooms: PrintRoom[];
  sittings: Map<Level, SittingTime[]>;
  institutionNames: Map<string, string>;
  /** Candidate photos (JPEG/PNG), when asked for. */
  photos: Map<string, Buffer>;
}

/** Refuses (409) unless the site's arrangement for the plan is published. */
export async function assertPublished(db: Kysely<DB>, plan: PlanRow, site: SiteRow, what = '准考证等资料'): Promise<void> {
  const row = await loadArrangement(db, plan.id, site.id);
  if (!row) {
    throw conflict('ARRANGEMENT_NOT_PUBLISHED', `考核站点“${site.name}”尚未进行考场编排，不能打印${what}：请先在“考场编排”中编排并发布`);
  }
  if (row.state !== 'published') {
    throw conflict(
      'ARRANGEMENT_NOT_PUBLISHED',
      row.published_at
        ? `考核站点“${site.name}”的考场编排有改动尚未发布，不能打印${what}：请先在“考场编排”中核对并重新发布`
        : `考核站点“${site.name}”的考场编排尚未发布，不能打印${what}：请先在“考场编排”中发布`,
    );
  }
}

const sittingName = (paper: keyof typeof PAPER_NAMES) => `${PAPER_NAMES[paper]}考试`;

export async function loadPrintSite(
  db: Kysely<DB>, plan: PlanRow, site: SiteRow, opts: { roomId?: string; photos?: boolean; what?: string } = {},
): Promise<PrintSite> {
  await assertPublished(db, plan, site, opts.what);
  const [registrants, rooms, seats, sittingRows, certificate, proctorRows] = await Promise.all([
    loadRegistrants(db, plan.id, site.id),
    loadRooms(db, site.id),
    loadSeats(db, plan.id, site.id),
    db.selectFrom('sittings').select(['level', 'paper', 'starts_at', 'ends_at']).where('plan_id', '=', plan.id).orderBy('starts_at').execute(),
    db.selectFrom('certificates').select('name').where('id', '=', plan.certificate_id).executeTakeFirst(),
    db
      .selectFrom('proctor_assignments as p')
      .innerJoin('users as u', 'u.id', 'p.user_id')
      .select(['p.room_id', 'u.display_name', 'p.created_at'])
      .where('p.plan_id', '=', plan.id)
      .where('p.site_id', '=', site.id)
      .where('p.duty', '=', 'proctor')
      .orderBy('p.created_at')
      .execute(),
  ]);
  if (opts.roomId && !rooms.some((r) => r.id === opts.roomId)) throw notFound('ROOM_NOT_FOUND', '考场不存在或不属于该考核站点');

  const byId = new Map(registrants.map((r) => [r.registrationId, r]));
  const seatsByRoom = new Map<string, PrintSeat[]>();
  for (const s of seats) {
    const registrant = byId.get(s.registrationId);
    if (!registrant) continue;
    const list = seatsByRoom.get(s.roomId);
    if (list) list.push({ seatNo: s.seatNo, registrant });
    else seatsByRoom.set(s.roomId, [{ seatNo: s.seatNo, registrant }]);
  }
  const proctorsByRoom = new Map<string, string[]>();
  for (const p of proctorRows) {
    if (!p.room_id) continue;
    const list = proctorsByRoom.get(p.room_id);
    if (list) list.push(p.display_name);
    else proctorsByRoom.set(p.room_id, [p.display_name]);
  }
  const printRooms: PrintRoom[] = [];
  for (const room of rooms) {
    if (opts.roomId && room.id !== opts.roomId) continue;
    const list = (seatsByRoom.get(room.id) ?? []).sort((a, b) => a.seatNo - b.seatNo);
    if (list.length === 0) continue;
    printRooms.push({ room, level: roomLevel(list.map((s) => s.registrant.level))!, seats: list, proctors: proctorsByRoom.get(room.id) ?? [] });
  }
  if (printRooms.length === 0) {
    throw badRequest('NOTHING_TO_PRINT', opts.roomId ? '该考场没有安排考生，没有可打印的内容' : `考核站点“${site.name}”没有已安排座位的考生，没有可打印的内容`);
  }

  const sittings = new Map<Level, SittingTime[]>();
  for (const s of sittingRows) {
    const list = sittings.get(s.level) ?? [];
    list.push({ name: sittingName(s.paper), startsAt: s.starts_at, endsAt: s.ends_at });
    sittings.set(s.level, list);
  }

  const candidateInstitutions = [...new Set(printRooms.flatMap((r) => r.seats.map((s) => s.registrant.institutionId)).filter((x): x is string => Boolean(x)))];
  const institutionNames = new Map<string, string>();
  for (const part of chunks(candidateInstitutions, 400)) {
    for (const i of await db.selectFrom('institutions').select(['id', 'name']).where('id', 'in', part).execute()) institutionNames.set(i.id, i.name);
  }
  const photos = new Map<string, Buffer>();
  if (opts.photos) {
    const ids = printRooms.flatMap((r) => r.seats.map((s) => s.registrant.candidateId));
    for (const part of chunks(ids, 200)) {
      const rows = await db.selectFrom('candidate_photos').select(['candidate_id', 'mime', 'content']).where('candidate_id', 'in', part).execute();
      for (const p of rows) if (/^image\/(jpeg|png)$/.test(p.mime)) photos.set(p.candidate_id, Buffer.from(p.content));
    }
  }
  return { plan, site, certificateName: certificate?.name ?? 'Python 程序开发', rooms: printRooms, sittings, institutionNames, photos };
}

const levelName = (level: Level) => LEVEL_NAMES[level] as LevelName;
export const seatLabel = (seatNo: number) => String(seatNo).padStart(2, '0');

function sittingsOf(data: PrintSite, level: Level, what: string): SittingTime[] {
  const list = data.sittings.get(level) ?? [];
  if (list.length === 0) throw badRequest('NO_SITTINGS', `考试计划“${data.plan.name}”没有${LEVEL_NAMES[level]}场次，不能打印${what}`);
  return list;
}

export function ticketData(data: PrintSite): TicketData[] {
  return data.rooms.flatMap((r) =>
    r.seats.map(({ seatNo, registrant: c }) => ({
      ticketNo: c.ticketNo,
      name: c.name,
      gender: c.gender ?? undefined,
      idType: ID_TYPE_NAMES[c.idType as IdType] ?? c.idType,
      idNumber: c.idNumber,
      photo: data.photos.get(c.candidateId),
      institutionName: (c.institutionId && data.institutionNames.get(c.institutionId)) || '—',
      certificateName: data.certificateName,
      level: levelName(c.level),
      siteName: data.site.name,
      siteAddress: data.site.address,
      roomName: r.room.name,
      roomLocation: r.room.location,
      seatNo: seatLabel(seatNo),
      sittings: sittingsOf(data, c.level, '准考证'),
    })),
  );
}

export function doorData(data: PrintSite): DoorStickerData[] {
  return data.rooms.map((r) => ({
    planName: data.plan.name,
    siteName: data.site.name,
    roomName: r.room.name,
    roomLocation: r.room.location,
    level: levelName(r.level),
    sittings: sittingsOf(data, r.level, '考场门贴'),
    candidates: r.seats.map((s) => ({ seatNo: seatLabel(s.seatNo), ticketNo: s.registrant.ticketNo, name: s.registrant.name })),
  }));
}

export function deskData(data: PrintSite): DeskStickerData[] {
  return data.rooms.flatMap((r) =>
    r.seats.map((s) => ({
      roomName: r.room.name,
      seatNo: seatLabel(s.seatNo),
      ticketNo: s.registrant.ticketNo,
      name: s.registrant.name,
      idNumberMasked: maskIdNumber(s.registrant.idNumber),
      level: levelName(s.registrant.level),
    })),
  );
}

/** One sheet per room per sitting of the room's level (theory and practical). */
export function signInData(data: PrintSite): SignInSheetData[] {
  return data.rooms.flatMap((r) =>
    sittingsOf(data, r.level, '签到表').map((sitting) => ({
      planName: data.plan.name,
      siteName: data.site.name,
      roomName: r.room.name,
      sitting,
      candidates: r.seats.map((s) => ({ seatNo: seatLabel(s.seatNo), ticketNo: s.registrant.ticketNo, name: s.registrant.name, idNumber: s.registrant.idNumber })),
      proctors: r.proctors,
    })),
  );
}

export const candidatesOf = (data: PrintSite) => data.rooms.reduce((n, r) => n + r.seats.length, 0);
