// 考场编排, 监考安排 and 打印: the console's calls and the shapes the server
// answers with (packages/server/src/modules/arrangement/schemas.ts,
// packages/server/src/modules/printing/routes.ts).

import { ARRANGEMENT_STATE_NAMES } from '@kaowu/core';
import { download, request, saveBlob } from '../api';
import type { Level } from '../types';

const enc = encodeURIComponent;
const target = (planId: string, siteId: string) => `planId=${enc(planId)}&siteId=${enc(siteId)}`;

export interface ArrangementTargets {
  plans: { id: string; name: string; code: string | null; examDate: string }[];
  sites: { id: string; code: string; name: string; institutionName: string; status: string }[];
}

export interface Seat {
  seatNo: number;
  row: number;
  column: number;
  registrationId: string;
  ticketNo: string;
  name: string;
  className: string | null;
  level: Level;
  /** A same-class candidate sits left/right or in front/behind. */
  sameClassNeighbour: boolean;
}

export interface ArrangedRoom {
  id: string;
  name: string;
  location: string;
  totalSeats: number;
  capacity: number;
  /** The room's 每排座位数. */
  seatsPerRow: number;
  level: Level | null;
  levelName: string | null;
  used: number;
  adjacentSameClass: number;
  seats: Seat[];
}

export interface UnplacedCandidate {
  registrationId: string;
  ticketNo: string;
  name: string;
  level: Level;
  levelName: string;
  className: string | null;
  registeredSinceRun: boolean;
}

export type ArrangementState = 'none' | 'draft' | 'published';

export interface Arrangement {
  plan: { id: string; name: string; examDate: string };
  site: { id: string; code: string; name: string };
  state: ArrangementState;
  options: { everyOtherSeat: boolean };
  everPublished: boolean;
  publishedAt: string | null;
  publishedBy: string | null;
  updatedAt: string | null;
  problems: string[];
  totals: {
    registered: number;
    placed: number;
    unplaced: number;
    capacity: number;
    byLevel: { level: Level; levelName: string; registered: number; placed: number; rooms: number }[];
  };
  rooms: ArrangedRoom[];
  unplaced: UnplacedCandidate[];
  canPublish: boolean;
  publishBlocker: string | null;
}

export interface RunResult extends Arrangement {
  run: { kept: number; moved: number; added: number; freed: number; unplaced: number; message: string };
}

export interface Person {
  userId: string;
  name: string;
  username: string;
  roleName: string;
}

export interface ProctorRoom {
  id: string;
  name: string;
  location: string;
  level: Level | null;
  levelName: string | null;
  candidates: number;
  needed: number;
  proctors: (Person & { avoid: string[] })[];
  avoiders: { userId: string; reasons: string[] }[];
}

export interface PoolMember extends Person {
  majors: string[];
  headTeacherOf: string[];
  counsellorOf: string[];
  roomId: string | null;
  chief: boolean;
}

export interface Proctors {
  plan: { id: string; name: string; examDate: string };
  site: { id: string; code: string; name: string };
  arrangementState: ArrangementState;
  rooms: ProctorRoom[];
  pool: PoolMember[];
  chief: Person | null;
  chiefOptions: Person[];
  problems: { roomId: string | null; message: string }[];
  totals: { needed: number; assigned: number; pool: number };
}

export type PrintKind = 'tickets' | 'door' | 'desk' | 'signin';
export const PRINT_KINDS: { kind: PrintKind; label: string }[] = [
  { kind: 'tickets', label: '准考证' },
  { kind: 'door', label: '考场门贴' },
  { kind: 'desk', label: '考场桌贴' },
  { kind: 'signin', label: '签到表' },
];

export const STATE_LABELS: Record<ArrangementState, string> = ARRANGEMENT_STATE_NAMES;
export const STATE_COLORS: Record<ArrangementState, string> = { none: 'default', draft: 'warning', published: 'success' };

export const arrangementApi = {
  targets: (signal?: AbortSignal) => request<ArrangementTargets>('GET', '/api/console/arrangements/targets', { signal }),
  arrangement: (planId: string, siteId: string, signal?: AbortSignal) =>
    request<Arrangement>('GET', `/api/console/arrangements?${target(planId, siteId)}`, { signal }),
  run: (planId: string, siteId: string, everyOtherSeat: boolean) =>
    request<RunResult>('POST', '/api/console/arrangements/run', { body: { planId, siteId, everyOtherSeat } }),
  publish: (planId: string, siteId: string) => request<Arrangement>('POST', '/api/console/arrangements/publish', { body: { planId, siteId } }),

  proctors: (planId: string, siteId: string, signal?: AbortSignal) =>
    request<Proctors>('GET', `/api/console/proctor-assignments?${target(planId, siteId)}`, { signal }),
  runProctors: (planId: string, siteId: string) => request<Proctors>('POST', '/api/console/proctor-assignments/run', { body: { planId, siteId } }),
  setRoomProctors: (planId: string, roomId: string, userIds: string[]) =>
    request<Proctors>('PUT', '/api/console/proctor-assignments', { body: { planId, roomId, userIds } }),
  setChief: (planId: string, siteId: string, userId: string | null) =>
    request<Proctors>('PUT', '/api/console/proctor-assignments/chief', { body: { planId, siteId, userId } }),

  /** Downloads a PDF and hands it to the browser; resolves to its file name. */
  print: async (kind: PrintKind, planId: string, siteId: string, roomId?: string): Promise<string> => {
    const { blob, filename } = await download(`/api/console/print/${kind}?${target(planId, siteId)}${roomId ? `&roomId=${enc(roomId)}` : ''}`);
    const name = filename ?? `${PRINT_KINDS.find((k) => k.kind === kind)!.label}.pdf`;
    saveBlob(blob, name);
    return name;
  },
};
