// 监考 (exam day in the room, docs/proctoring.md): the console's calls and the
// shapes the server answers with (packages/server/src/modules/proctoring/).
// Every action takes a reason; errors come back as ApiError with the server's
// Chinese message.

import type { SignInState } from '@kaowu/core';
import { download, request, saveBlob } from '../api';
import type { Level, Paper } from '../types';

const enc = encodeURIComponent;

export type Duty = 'proctor' | 'chief';

/** One line of 我的监考: a room (or, for a 主考, the whole site) in one sitting. */
export interface ProctorRoomItem {
  sittingId: string;
  sittingName: string;
  paper: Paper;
  level: Level;
  startsAt: string;
  endsAt: string;
  planId: string;
  siteId: string;
  siteName: string;
  /** null: the chief examiner's entry for the whole site. */
  roomId: string | null;
  roomName: string | null;
  duty: Duty;
  seats: number;
}

export type SeatState = 'not-signed-in' | 'waiting' | 'answering' | 'switch-pending' | 'submitted' | 'absent' | 'disqualified';
export type SignInMark = SignInState | null;

export interface SeatEvents {
  fullscreenExit: number;
  focusLoss: number;
  reconnect: number;
  reload: number;
  offline: number;
  secondClient: number;
}

export interface Seat {
  seatNo: number;
  registrationId: string;
  name: string;
  ticketNo: string;
  state: SeatState;
  attemptId: string | null;
  lastSaveAt: string | null;
  deadline: string | null;
  /** Minutes granted (补时) so far. */
  extensionMin: number;
  submittedAt: string | null;
  submitReason: string | null;
  events: SeatEvents;
  warnings: number;
  /** Sign-in attempts refused (address not allowed). */
  refusals: { ip: string; at: string }[];
  signIn: SignInMark;
  switchRequest: { id: string; requestedAt: string; ip: string | null } | null;
  absentReason: string | null;
  /** Whether the candidate has a photo (proctorApi.photoUrl). */
  hasPhoto: boolean;
}

export interface SeatCounts {
  total: number;
  notSignedIn: number;
  waiting: number;
  answering: number;
  switchPending: number;
  submitted: number;
  absent: number;
  disqualified: number;
}

export interface ProctorSitting {
  id: string;
  name: string;
  paper: Paper;
  level: Level;
  startsAt: string;
  endsAt: string;
  entryClosesAt: string;
  entryClosed: boolean;
}

export type ActionKind =
  | 'absence' | 'absence-cancel' | 'warning' | 'disqualify' | 'compensation' | 'force-submit' | 'broadcast' | 'switch-approve' | 'switch-reject'
  | 'auto-warning';

export interface ProctorAction {
  id: string;
  kind: ActionKind | string;
  registrationId: string | null;
  seatNo: number | null;
  name: string | null;
  minutes: number | null;
  reason: string;
  /** Who did it (their name; 系统 for the automatic warning). */
  by: string | null;
  at: string;
}

export interface RoomView {
  serverNow: string;
  sitting: ProctorSitting;
  /** seats: the room's declared seats, all drawn; seatsPerRow: its 每排座位数, the seat map's columns. */
  room: { id: string; name: string; location: string; seats: number; seatsPerRow: number; siteId: string; siteName: string };
  proctors: { userId: string; name: string; duty: Duty }[];
  seats: Seat[];
  counts: SeatCounts;
  /** Registration ids still 未登录/候考 after entry closed. */
  suggestedAbsent: string[];
  actions: ProctorAction[];
}

export interface SiteRoom {
  roomId: string;
  name: string;
  location: string;
  proctors: { userId: string; name: string }[];
  counts: SeatCounts;
  /** Things to look at: pending machine switches + full-screen exits + refused sign-ins. */
  alerts: number;
}

export interface SiteView {
  serverNow: string;
  sitting: ProctorSitting;
  site: { id: string; name: string };
  rooms: SiteRoom[];
}

/** A line of the room record's lists (absences, violations, switches, compensations). */
export interface RecordFactLine {
  registrationId: string;
  seatNo: number | null;
  name: string | null;
  ticketNo: string | null;
  /** violations: warning | disqualify; switches: switch-approve | switch-reject. */
  kind?: string;
  minutes?: number;
  reason: string;
  by: string;
  at: string;
}

export interface RoomRecord {
  record: { incidents: string; remarks: string };
  signatures: { userId: string; name: string; duty: Duty; at: string }[];
  /** Who has to sign: the room's proctors and the site's chief. */
  signers: { userId: string; name: string; duty: Duty; signed: boolean }[];
  /** Everyone has signed: no more changes. */
  complete: boolean;
  facts: {
    seats: number;
    /** 实到: candidates who entered. */
    present: number;
    absent: number;
    /** Handed in (disqualified included). */
    submitted: number;
    disqualified: number;
    absences: RecordFactLine[];
    violations: RecordFactLine[];
    switches: RecordFactLine[];
    compensations: RecordFactLine[];
  };
  updatedAt: string | null;
}

export type SeatActionKind = 'warning' | 'disqualify' | 'force-submit';

const sittingPath = (sittingId: string) => `/api/console/proctor/sittings/${enc(sittingId)}`;
const roomPath = (sittingId: string, roomId: string) => `${sittingPath(sittingId)}/rooms/${enc(roomId)}`;
const seatPath = (sittingId: string, roomId: string, registrationId: string) => `${roomPath(sittingId, roomId)}/seats/${enc(registrationId)}`;

async function pdf(path: string, fallback: string): Promise<string> {
  const { blob, filename } = await download(path);
  const name = filename ?? fallback;
  saveBlob(blob, name);
  return name;
}

export const proctorApi = {
  rooms: (signal?: AbortSignal) => request<{ items: ProctorRoomItem[] }>('GET', '/api/console/proctor/rooms', { signal }),
  room: (sittingId: string, roomId: string, signal?: AbortSignal) => request<RoomView>('GET', roomPath(sittingId, roomId), { signal }),
  site: (sittingId: string, siteId: string, signal?: AbortSignal) =>
    request<SiteView>('GET', `${sittingPath(sittingId)}/sites/${enc(siteId)}`, { signal }),

  absences: (sittingId: string, roomId: string, registrationIds: string[], reason: string) =>
    request<unknown>('POST', `${roomPath(sittingId, roomId)}/absences`, { body: { registrationIds, reason } }),
  cancelAbsence: (sittingId: string, roomId: string, registrationId: string, reason: string) =>
    request<unknown>('POST', `${roomPath(sittingId, roomId)}/absences/${enc(registrationId)}/cancel`, { body: { reason } }),
  seatAction: (sittingId: string, roomId: string, registrationId: string, kind: SeatActionKind, reason: string) =>
    request<unknown>('POST', `${seatPath(sittingId, roomId, registrationId)}/${kind}`, { body: { reason } }),
  compensation: (sittingId: string, roomId: string, registrationId: string, minutes: number, reason: string) =>
    request<unknown>('POST', `${seatPath(sittingId, roomId, registrationId)}/compensation`, { body: { minutes, reason } }),
  decideSwitch: (sittingId: string, roomId: string, registrationId: string, decision: 'approve' | 'reject', reason: string) =>
    request<unknown>('POST', `${seatPath(sittingId, roomId, registrationId)}/switch/${decision}`, { body: { reason } }),
  broadcastRoom: (sittingId: string, roomId: string, message: string) =>
    request<unknown>('POST', `${roomPath(sittingId, roomId)}/broadcast`, { body: { message } }),
  broadcastSite: (sittingId: string, siteId: string, message: string) =>
    request<unknown>('POST', `${sittingPath(sittingId)}/sites/${enc(siteId)}/broadcast`, { body: { message } }),
  markSignIn: (sittingId: string, roomId: string, registrationId: string, state: SignInMark) =>
    request<unknown>('PUT', `${roomPath(sittingId, roomId)}/sign-in/${enc(registrationId)}`, { body: { state } }),

  record: (sittingId: string, roomId: string, signal?: AbortSignal) => request<RoomRecord>('GET', `${roomPath(sittingId, roomId)}/record`, { signal }),
  saveRecord: (sittingId: string, roomId: string, record: RoomRecord['record']) =>
    request<RoomRecord>('PUT', `${roomPath(sittingId, roomId)}/record`, { body: record }),
  signRecord: (sittingId: string, roomId: string) => request<RoomRecord>('POST', `${roomPath(sittingId, roomId)}/record/sign`, { body: {} }),

  /** The seat's photo (with the staff token) as an object URL; the caller revokes it. */
  photoUrl: async (sittingId: string, roomId: string, registrationId: string) =>
    URL.createObjectURL((await download(`${seatPath(sittingId, roomId, registrationId)}/photo`)).blob),

  /** Downloads 考场情况记录表 as a PDF; resolves to its file name. */
  recordPdf: (sittingId: string, roomId: string) => pdf(`${roomPath(sittingId, roomId)}/record.pdf`, '考场情况记录表.pdf'),
  /** Downloads the marked 签到表 as a PDF; resolves to its file name. */
  signInPdf: (sittingId: string, roomId: string) => pdf(`${roomPath(sittingId, roomId)}/sign-in.pdf`, '签到表.pdf'),
};

/** The live socket's address on this page's host (ws: or wss:). */
export function liveUrl(loc: { protocol: string; host: string } = window.location): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/api/console/proctor/live`;
}
