// 考生管理, 报考管理 and 结算: the console's calls and the shapes the server
// answers with (packages/server/src/modules/registration/schemas.ts).

import { download, request, saveBlob, sendFile } from '../api';
import type { Level } from '../types';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** The largest photo archive the server takes (考生照片批量上传). */
export const PHOTO_ARCHIVE_MAX_BYTES = 50 * 1024 * 1024;

export interface Institution {
  id: string;
  code: string;
  name: string;
}
export interface Major {
  id: string;
  name: string;
  institutionId: string;
}
export interface SchoolClass {
  id: string;
  name: string;
  majorId?: string | null;
  institutionId: string;
}
export interface ScopeOptions {
  institutions: Institution[];
  majors: Major[];
  classes: SchoolClass[];
}

export interface CandidateRegistration {
  id: string;
  planId: string;
  planName: string;
  level: Level;
  ticketNo: string;
  siteId: string | null;
  siteName: string | null;
  roomName: string | null;
  seatNo: number | null;
}

export interface Candidate {
  id: string;
  name: string;
  idType: string;
  idNumber: string;
  gender: string | null;
  institutionId: string | null;
  institutionName: string | null;
  majorId: string | null;
  majorName: string | null;
  classId: string | null;
  className: string | null;
  phone: string | null;
  photoName: string | null;
  hasPhoto: boolean;
  createdAt: string;
  registration: CandidateRegistration | null;
}

export interface Page<T> {
  total: number;
  page: number;
  pageSize: number;
  rows: T[];
}

export interface CandidateFilter {
  institutionId?: string;
  majorId?: string;
  classId?: string;
  q?: string;
  /** Show each candidate's registration in this plan. */
  planId?: string;
}

export interface ImportReport {
  imported: number;
  institutions: { institutionId: string; institutionName: string; count: number }[];
}

/** One problem of an upload: the Excel row (0: the file as a whole), the column header, the reason. */
export interface ImportProblem {
  row: number;
  column: string;
  reason: string;
}

export interface PhotoBatchReport {
  stored: number;
  /** Of those, how many replaced a photo the candidate already had. */
  replaced: number;
  /** Candidates in the user's scope still without a photo. */
  missing: number;
}

/** One bad file of a photo archive: its path inside the .zip and why. */
export interface PhotoFileProblem {
  file: string;
  reason: string;
}

export interface CandidatePatch {
  name?: string;
  phone?: string | null;
  gender?: '男' | '女';
  majorId?: string | null;
  classId?: string | null;
  idType?: string;
  idNumber?: string;
}

export const ID_TYPE_LABELS: Record<string, string> = {
  resident: '居民身份证',
  passport: '护照',
  hk_macau: '港澳居民来往内地通行证',
  taiwan: '台湾居民来往大陆通行证',
};

export interface PlanOption {
  id: string;
  name: string;
  code: string | null;
  examDate: string;
  deadline: string | null;
  levels: Level[];
  open: boolean;
}
export interface SiteOption {
  id: string;
  code: string;
  name: string;
  institutionId: string;
  institutionName: string;
  own: boolean;
}
export interface RegistrationOptions {
  now: string;
  plans: PlanOption[];
  sites: SiteOption[];
  institutions: Institution[];
}

export interface RegisterResult {
  registered: number;
  registrations: { id: string; candidateId: string; name: string; ticketNo: string }[];
}
export interface RegisterProblem {
  candidateId: string;
  name: string;
  reason: string;
}

export interface Registration {
  id: string;
  planId: string;
  planName: string;
  level: Level;
  ticketNo: string;
  siteId: string | null;
  siteName: string | null;
  institutionId: string | null;
  institutionName: string | null;
  candidateId: string;
  name: string;
  idNumber: string;
  gender: string | null;
  className: string | null;
  majorName: string | null;
  createdAt: string;
  /** Made by the caller's institution: they may withdraw it. */
  mine: boolean;
}

export interface RegistrationFilter {
  planId?: string;
  siteId?: string;
  level?: Level;
  institutionId?: string;
  q?: string;
}

export interface SettlementLine {
  institutionId: string;
  institutionName: string;
  registrations: number;
  payable: number;
  refund: number;
  net: number;
  mode: string;
}
export interface SettlementTotals {
  registrations: number;
  payable: number;
  refund: number;
  net: number;
  operatorShare: number;
  siteShare: number;
}
export interface SiteSettlement {
  siteId: string;
  siteCode: string;
  siteName: string;
  siteInstitutionId: string;
  siteInstitutionName: string;
  partial: boolean;
  lines: SettlementLine[];
  totals: SettlementTotals;
}
export interface Settlements {
  plan: { id: string; name: string; examDate: string };
  rule: string;
  sites: SiteSettlement[];
  totals: SettlementTotals;
}

function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

const enc = encodeURIComponent;

export const registrationApi = {
  // 考生管理
  scopeOptions: (signal?: AbortSignal) => request<ScopeOptions>('GET', '/api/console/candidates/options', { signal }),
  candidates: (filter: CandidateFilter, page: number, pageSize: number, signal?: AbortSignal) =>
    request<Page<Candidate>>('GET', `/api/console/candidates${query({ ...filter, page, pageSize })}`, { signal }),
  importCandidates: (file: File) => sendFile<ImportReport>('POST', '/api/console/candidates/import', file, XLSX_MIME),
  updateCandidate: (id: string, patch: CandidatePatch) => request<Candidate>('PATCH', `/api/console/candidates/${enc(id)}`, { body: patch }),
  deleteCandidate: (id: string) => request<{ deleted: true }>('DELETE', `/api/console/candidates/${enc(id)}`),
  uploadPhotoArchive: (file: File) => sendFile<PhotoBatchReport>('POST', '/api/console/candidates/photos', file, 'application/zip'),
  uploadPhoto: (id: string, file: File) => sendFile<{ mime: string; size: number; photoName: string }>('PUT', `/api/console/candidates/${enc(id)}/photo`, file),
  /** The photo as an object URL (an <img> cannot send the token); revoke it when done. */
  photoUrl: async (id: string) => URL.createObjectURL((await download(`/api/console/candidates/${enc(id)}/photo`)).blob),
  downloadTemplate: async () => saveBlob((await download('/api/console/candidates/template')).blob, '考生信息导入模板.xlsx'),
  exportCandidates: async (filter: CandidateFilter) => saveBlob((await download(`/api/console/candidates/export${query({ ...filter })}`)).blob, '考生名单.xlsx'),

  // 报考管理
  registrationOptions: (signal?: AbortSignal) => request<RegistrationOptions>('GET', '/api/console/registrations/options', { signal }),
  registrations: (filter: RegistrationFilter, page: number, pageSize: number, signal?: AbortSignal) =>
    request<Page<Registration>>('GET', `/api/console/registrations${query({ ...filter, page, pageSize })}`, { signal }),
  register: (body: { planId: string; siteId: string; level: Level; candidateIds: string[] }) =>
    request<RegisterResult>('POST', '/api/console/registrations', { body }),
  withdraw: (id: string) => request<{ deleted: true }>('DELETE', `/api/console/registrations/${enc(id)}`),

  // 结算
  settlements: (planId: string, siteId?: string, signal?: AbortSignal) =>
    request<Settlements>('GET', `/api/console/settlements${query({ planId, siteId })}`, { signal }),
  exportSettlement: async (planId: string, site: { siteId: string; siteName: string }, planName: string) =>
    saveBlob((await download(`/api/console/settlements/export${query({ planId, siteId: site.siteId })}`)).blob, `结算单-${planName}-${site.siteName}.xlsx`),
};

/** ¥33,000.00 */
export function formatYuan(n: number): string {
  return `¥${n.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
