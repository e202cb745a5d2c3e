// 考核站点, 考场, 考试计划 (creation and the 2024 presets) and 考前准备: the
// console's calls and the shapes the server answers with
// (packages/server/src/modules/sites/schemas.ts, plans/plan-routes.ts, readiness/routes.ts).

import { AGREEMENT_STATUS_NAMES, type AgreementStatus } from '@kaowu/core';
import { request } from '../api';
import type { Level, Paper } from '../types';

export type SiteStatus = 'pending' | 'enabled' | 'rejected' | 'disabled';
export type { AgreementStatus };

export interface SiteSummary {
  id: string;
  code: string;
  name: string;
  address: string;
  contactName: string;
  contactPhone: string;
  status: SiteStatus;
  /** 审核中 / 审核通过已启用 / 未通过审核 / 已停用 */
  statusName: string;
  agreementStatus: AgreementStatus;
  agreementName: string;
  reviewNote: string | null;
  reviewedAt: string | null;
  institution: { id: string; code: string; name: string };
  createdAt: string;
  createdBy: string;
  rooms: number;
  seats: number;
}

export interface Warning {
  code: string;
  message: string;
}

export interface Room {
  id: string;
  name: string;
  location: string;
  seats: number;
  /** 每排座位数: seats are numbered row by row from the front. */
  seatsPerRow: number;
  roomType: string;
  spareMachines: number;
  ipRanges: string[];
  /** 仅允许本考场 IP 登录 */
  restrictSignIn: boolean;
  createdAt: string;
  /** Candidates placed for `SiteDetail.plan`. */
  placed: number;
  /** Proctors for that plan; null while the plan has none assigned. */
  proctors: number | null;
  warnings: Warning[];
}

export interface SiteDetail {
  site: SiteSummary;
  rooms: Room[];
  warnings: Warning[];
  plan: { id: string; name: string; examDate: string } | null;
  permissions: { editRooms: boolean; review: boolean };
}

export interface SiteApplication {
  name: string;
  address: string;
  contactName: string;
  contactPhone: string;
}

export interface RoomInput {
  name: string;
  location: string;
  seats: number;
  seatsPerRow: number;
  roomType: '机考';
  spareMachines: number;
  ipRanges: string[];
  restrictSignIn: boolean;
}

export const SITE_STATUS_COLORS: Record<SiteStatus, string> = { pending: 'processing', enabled: 'success', rejected: 'error', disabled: 'default' };
export const AGREEMENT_LABELS: Record<AgreementStatus, string> = AGREEMENT_STATUS_NAMES;
export const AGREEMENT_COLORS: Record<AgreementStatus, string> = { none: 'default', sent: 'warning', signed: 'success' };

// ---------------------------------------------------------------- plans

export interface PlanSitting {
  id: string;
  name: string;
  level: Level;
  paper: Paper;
  startsAt: string;
  endsAt: string;
}

export interface PlanDetail {
  id: string;
  code: string | null;
  name: string;
  certificate: { code: string; name: string };
  examDate: string;
  registrationDeadline: string | null;
  createdAt: string;
  started: boolean;
  candidates: number;
  sittings: PlanSitting[];
}

export interface PlanPreset {
  key: string;
  name: string;
  examDate: string;
  registrationDeadline: string;
  sittings: { level: Level; paper: Paper; startsAt: string; endsAt: string }[];
  /** The same Saturday of a coming year, late enough for registration. */
  suggestedDate: string;
  suggestedName: string;
}

export interface PlanPresets {
  certificate: string;
  deadlineRule: string;
  presets: PlanPreset[];
}

export interface NewPlanInput {
  name: string;
  examDate: string;
  /** "2027-03-06 17:00", Beijing time. */
  registrationDeadline: string;
  sittings: { level: Level; paper: Paper; startsAt: string; durationMin?: number }[];
}

// ---------------------------------------------------------------- readiness

export type ReadinessState = 'done' | 'missing' | 'upcoming' | 'overdue';

export interface ReadinessItem {
  key: string;
  phase: string;
  phaseTitle: string;
  title: string;
  description: string;
  due: string;
  state: ReadinessState;
  detail: string;
  manual: boolean;
  mark: { by: string; at: string; note: string | null } | null;
}

export interface Readiness {
  plan: { id: string; name: string; code: string | null; examDate: string; firstStartsAt: string | null };
  site: { id: string; code: string; name: string; status: string; statusName: string };
  now: string;
  registered: number;
  phases: { key: string; title: string }[];
  items: ReadinessItem[];
  canMark: boolean;
}

export interface ReadinessPlan {
  id: string;
  name: string;
  code: string | null;
  examDate: string;
  firstStartsAt: string | null;
}

export const READINESS_LABELS: Record<ReadinessState, string> = { done: '已完成', missing: '待完成', upcoming: '未到时间', overdue: '已逾期' };
export const READINESS_COLORS: Record<ReadinessState, string> = { done: 'success', missing: 'warning', upcoming: 'default', overdue: 'error' };

const enc = encodeURIComponent;

export const sitesApi = {
  sites: (signal?: AbortSignal, status?: SiteStatus) =>
    request<{ sites: SiteSummary[] }>('GET', `/api/console/sites${status ? `?status=${status}` : ''}`, { signal }),
  site: (siteId: string, signal?: AbortSignal) => request<SiteDetail>('GET', `/api/console/sites/${enc(siteId)}`, { signal }),
  apply: (input: SiteApplication) => request<SiteDetail>('POST', '/api/console/sites', { body: input }),
  approve: (siteId: string) => request<SiteDetail>('POST', `/api/console/sites/${enc(siteId)}/approve`),
  reject: (siteId: string, reason: string) => request<SiteDetail>('POST', `/api/console/sites/${enc(siteId)}/reject`, { body: { reason } }),
  disable: (siteId: string, reason?: string) => request<SiteDetail>('POST', `/api/console/sites/${enc(siteId)}/disable`, { body: reason ? { reason } : {} }),
  setAgreement: (siteId: string, status: AgreementStatus) => request<SiteDetail>('POST', `/api/console/sites/${enc(siteId)}/agreement`, { body: { status } }),
  addRoom: (siteId: string, room: RoomInput) => request<SiteDetail>('POST', `/api/console/sites/${enc(siteId)}/rooms`, { body: room }),
  updateRoom: (siteId: string, roomId: string, room: Partial<RoomInput>) =>
    request<SiteDetail>('PATCH', `/api/console/sites/${enc(siteId)}/rooms/${enc(roomId)}`, { body: room }),
  deleteRoom: (siteId: string, roomId: string) => request<SiteDetail>('DELETE', `/api/console/sites/${enc(siteId)}/rooms/${enc(roomId)}`),

  presets: (signal?: AbortSignal) => request<PlanPresets>('GET', '/api/console/plan-presets', { signal }),
  createPlan: (input: NewPlanInput) => request<PlanDetail>('POST', '/api/console/plans', { body: input }),
  copyPreset: (input: { preset: string; examDate?: string; name?: string; registrationDeadline?: string }) =>
    request<PlanDetail>('POST', '/api/console/plans/from-preset', { body: input }),
  plan: (planId: string, signal?: AbortSignal) => request<PlanDetail>('GET', `/api/console/plans/${enc(planId)}`, { signal }),
  updatePlan: (planId: string, patch: { name?: string; registrationDeadline?: string }) =>
    request<PlanDetail>('PATCH', `/api/console/plans/${enc(planId)}`, { body: patch }),

  readinessPlans: (signal?: AbortSignal) => request<{ plans: ReadinessPlan[] }>('GET', '/api/console/readiness/plans', { signal }),
  readiness: (planId: string, siteId: string, signal?: AbortSignal) =>
    request<Readiness>('GET', `/api/console/readiness?planId=${enc(planId)}&siteId=${enc(siteId)}`, { signal }),
  mark: (planId: string, siteId: string, item: string, note?: string) =>
    request<Readiness>('POST', '/api/console/readiness/marks', { body: { planId, siteId, item, ...(note ? { note } : {}) } }),
  unmark: (planId: string, siteId: string, item: string) =>
    request<Readiness>('DELETE', `/api/console/readiness/marks?planId=${enc(planId)}&siteId=${enc(siteId)}&item=${enc(item)}`),
};
