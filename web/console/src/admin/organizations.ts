// Institutions and their people: sign-up, review, invitations, majors, classes,
// teachers, student accounts and the audit log — the console's calls and the
// shapes the server answers with (packages/server/src/modules/organizations/).

import { ACCOUNT_STATUS_NAMES, INSTITUTION_STATUS_NAMES, type AccountStatus, type InstitutionStatus } from '@kaowu/core';
import { download, request, saveBlob, sendFile } from '../api';
import type { LoginResponse } from '../types';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export type { AccountStatus };
export const ACCOUNT_STATUS_LABELS: Record<AccountStatus, string> = ACCOUNT_STATUS_NAMES;
export const ACCOUNT_STATUS_COLORS: Record<AccountStatus, string> = { pending: 'gold', active: 'green', rejected: 'red', disabled: 'default' };

export type { InstitutionStatus };
export const INSTITUTION_STATUS_LABELS: Record<InstitutionStatus, string> = INSTITUTION_STATUS_NAMES;
export const INSTITUTION_STATUS_COLORS: Record<InstitutionStatus, string> = { pending: 'gold', approved: 'green', rejected: 'red' };

export interface Person {
  id: string;
  username: string;
  displayName: string;
  phone: string | null;
  status: AccountStatus;
}

export interface InstitutionInfo {
  id: string;
  code: string;
  name: string;
  province: string;
  status: InstitutionStatus;
  reviewNote: string | null;
  reviewedAt: string | null;
  createdAt: string;
  admins: Person[];
  counts: { coordinators: number; teachers: number; majors: number; classes: number; students: number };
}
export interface InstitutionDetail extends InstitutionInfo {
  coordinators: Person[];
}

export interface PendingAccount extends Person {
  role: string;
  createdAt: string;
  institution: { id: string; code: string; name: string; status: InstitutionStatus };
}

export type InvitationStatus = 'valid' | 'used' | 'expired' | 'revoked';
export const INVITATION_STATUS_COLORS: Record<InvitationStatus, string> = { valid: 'green', used: 'blue', expired: 'default', revoked: 'red' };
export interface Invitation {
  id: string;
  role: 'coordinator';
  status: InvitationStatus;
  statusName: string;
  createdAt: string;
  createdBy: string;
  expiresAt: string;
  usedAt: string | null;
  usedBy: { username: string; displayName: string } | null;
}
export interface InvitationInfo {
  institutionName: string;
  role: 'coordinator';
  roleName: string;
  valid: boolean;
  reason?: string;
}

export interface Major {
  id: string;
  institutionId: string;
  name: string;
  createdAt: string;
  classes: number;
  teachers: number;
  candidates: number;
}
export interface Ref {
  id: string;
  name: string;
}
export interface SchoolClass {
  id: string;
  institutionId: string;
  name: string;
  major: Ref | null;
  headTeacher: Ref | null;
  counsellor: Ref | null;
  students: number;
  createdAt: string;
}
export interface Teacher extends Person {
  institutionId: string;
  majors: Ref[];
  createdAt: string;
}
export interface Student {
  id: string;
  username: string;
  studentNo: string;
  name: string;
  phone: string | null;
  status: AccountStatus;
  class: Ref | null;
  createdAt: string;
}

/** One bad cell of an upload: the Excel row (0: the file as a whole), the column header, why. */
export interface SheetError {
  row: number;
  column: string;
  reason: string;
}
export interface CreatedAccount {
  row: number;
  studentNo: string;
  name: string;
  username: string;
  password: string;
}
export interface StudentImportResult {
  created: number;
  class: Ref;
  accounts: CreatedAccount[];
  passwordSheet: { filename: string; base64: string };
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  actingFor: string | null;
  /** 'cli' when made on the kaowu command line (as `actor`). */
  via: 'cli' | null;
  action: string;
  /** The server's Chinese name of the action. */
  actionName: string;
  entity: string;
  entityName: string;
  entityId: string;
  before: unknown;
  after: unknown;
}
/** A choice of the 对象 or 操作 filter, or a field of the snapshots, with its Chinese name. */
export interface AuditOption {
  key: string;
  name: string;
}
export interface AuditPage {
  total: number;
  page: number;
  pageSize: number;
  entries: AuditEntry[];
  entities: AuditOption[];
  actions: AuditOption[];
  /** The Chinese names of the page's before/after fields: key `entity.field` where that entity names the field apart, else `field` (see auditFieldName). */
  fields: AuditOption[];
  /** The Chinese names of the page's coded values (a status, a role, a level): `field` keyed like `fields` (see auditValueName). */
  values: AuditValue[];
}
/** A coded value of the snapshots with its Chinese name. */
export interface AuditValue {
  field: string;
  value: string;
  name: string;
}

/** The page's `values` as a lookup for auditValueName. */
export function auditValueNames(values: readonly AuditValue[]): ReadonlyMap<string, string> {
  return new Map(values.map((v) => [JSON.stringify([v.field, v.value]), v.name]));
}

/** The Chinese name of a coded value of field `key` of an `entity` line's snapshot (`entity.key`, else `key`), or null (free text, ids, a code not named). */
export function auditValueName(values: ReadonlyMap<string, string>, entity: string, key: string, value: unknown): string | null {
  if (typeof value !== 'string') return null;
  return values.get(JSON.stringify([`${entity}.${key}`, value])) ?? values.get(JSON.stringify([key, value])) ?? null;
}

/** The Chinese name of a field of an `entity` line's snapshot, from the page's `fields`; a field not named shows its key. */
export function auditFieldName(fields: ReadonlyMap<string, string>, entity: string, key: string): string {
  return fields.get(`${entity}.${key}`) ?? fields.get(key) ?? key;
}
export interface AuditFilter {
  entity?: string;
  action?: string;
  actor?: string;
  from?: string;
  to?: string;
  page?: number;
  pageSize?: number;
}

export interface SignupInput {
  code: string;
  name: string;
  province: string;
  admin: { username: string; password: string; displayName: string; phone: string };
}
export interface AccountInput {
  username: string;
  password: string;
  displayName: string;
  phone: string;
}
export interface ClassInput {
  name: string;
  majorId: string;
  headTeacherId?: string | null;
  counsellorId?: string | null;
}

const enc = encodeURIComponent;

function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export const orgApi = {
  // Public: 院校注册 and the invitation link
  provinces: (signal?: AbortSignal) => request<{ provinces: string[] }>('GET', '/api/public/provinces', { auth: false, signal }),
  signup: (input: SignupInput) => request<{ institutionId: string; message: string }>('POST', '/api/public/institutions/signup', { body: input, auth: false }),
  invitation: (token: string, signal?: AbortSignal) => request<InvitationInfo>('GET', `/api/public/invitations/${enc(token)}`, { auth: false, signal }),
  acceptInvitation: (token: string, input: AccountInput) =>
    request<{ status: 'pending'; message: string }>('POST', `/api/public/invitations/${enc(token)}/accept`, { body: input, auth: false }),

  // 院校 (review; one's own)
  institutions: (status?: InstitutionStatus, signal?: AbortSignal) =>
    request<{ institutions: InstitutionInfo[] }>('GET', `/api/console/institutions${query({ status })}`, { signal }),
  institution: (id: string, signal?: AbortSignal) => request<InstitutionDetail>('GET', `/api/console/institutions/${enc(id)}`, { signal }),
  approveInstitution: (id: string) => request<{ status: 'approved' }>('POST', `/api/console/institutions/${enc(id)}/approve`),
  rejectInstitution: (id: string, reason: string) => request<{ status: 'rejected' }>('POST', `/api/console/institutions/${enc(id)}/reject`, { body: { reason } }),
  pendingAccounts: (signal?: AbortSignal) => request<{ accounts: PendingAccount[] }>('GET', '/api/console/accounts/pending', { signal }),
  approveAccount: (id: string) => request<{ status: string }>('POST', `/api/console/accounts/${enc(id)}/approve`),
  rejectAccount: (id: string, reason: string) => request<{ status: string }>('POST', `/api/console/accounts/${enc(id)}/reject`, { body: { reason } }),

  // 邀请证书负责人
  invitations: (signal?: AbortSignal) => request<{ invitations: Invitation[] }>('GET', '/api/console/invitations', { signal }),
  createInvitation: () => request<{ id: string; link: string; expiresAt: string }>('POST', '/api/console/invitations'),
  revokeInvitation: (id: string) => request<{ status: 'revoked' }>('DELETE', `/api/console/invitations/${enc(id)}`),

  // 专业, 班级, 教师
  majors: (signal?: AbortSignal) => request<{ majors: Major[] }>('GET', '/api/console/majors', { signal }),
  createMajor: (name: string) => request<Major>('POST', '/api/console/majors', { body: { name } }),
  renameMajor: (id: string, name: string) => request<Ref>('PATCH', `/api/console/majors/${enc(id)}`, { body: { name } }),
  deleteMajor: (id: string) => request<{ deleted: true }>('DELETE', `/api/console/majors/${enc(id)}`),
  classes: (signal?: AbortSignal) => request<{ classes: SchoolClass[] }>('GET', '/api/console/classes', { signal }),
  createClass: (input: ClassInput) => request<SchoolClass>('POST', '/api/console/classes', { body: input }),
  updateClass: (id: string, input: Partial<ClassInput>) => request<SchoolClass>('PATCH', `/api/console/classes/${enc(id)}`, { body: input }),
  deleteClass: (id: string) => request<{ deleted: true }>('DELETE', `/api/console/classes/${enc(id)}`),
  teachers: (signal?: AbortSignal) => request<{ teachers: Teacher[] }>('GET', '/api/console/teachers', { signal }),
  createTeacher: (input: AccountInput & { majorIds: string[] }) => request<Teacher>('POST', '/api/console/teachers', { body: input }),
  updateTeacher: (id: string, input: { displayName?: string; phone?: string; majorIds?: string[] }) =>
    request<Teacher>('PATCH', `/api/console/teachers/${enc(id)}`, { body: input }),
  setTeacherEnabled: (id: string, enabled: boolean) => request<Teacher>('POST', `/api/console/teachers/${enc(id)}/${enabled ? 'enable' : 'disable'}`),
  resetTeacherPassword: (id: string) => request<{ username: string; password: string }>('POST', `/api/console/teachers/${enc(id)}/reset-password`),
  /** 登录此账号 (audited). */
  actAs: (userId: string) => request<LoginResponse>('POST', '/api/staff/act-as', { body: { userId } }),

  // 学生账号
  students: (classId: string | undefined, signal?: AbortSignal) => request<{ students: Student[] }>('GET', `/api/console/students${query({ classId })}`, { signal }),
  downloadStudentTemplate: async (classId: string, className: string) => {
    const { blob } = await download(`/api/console/students/template${query({ classId })}`);
    saveBlob(blob, `学生账号导入模板-${className}.xlsx`);
  },
  importStudents: (classId: string, file: Blob) => sendFile<StudentImportResult>('POST', `/api/console/students/import${query({ classId })}`, file, XLSX_MIME),
  resetStudentPassword: (id: string) => request<{ username: string; password: string }>('POST', `/api/console/students/${enc(id)}/reset-password`),

  // 操作日志
  audit: (filter: AuditFilter, signal?: AbortSignal) => request<AuditPage>('GET', `/api/console/audit${query({ ...filter })}`, { signal }),
};

/** Saves the 初始密码 list that came with an import (it is not kept on the server). */
export function savePasswordSheet(result: StudentImportResult): void {
  const bytes = Uint8Array.from(atob(result.passwordSheet.base64), (c) => c.charCodeAt(0));
  saveBlob(new Blob([bytes], { type: XLSX_MIME }), result.passwordSheet.filename);
}

/** The full address of an invitation link the server gave as a path. */
export function absoluteLink(link: string): string {
  return new URL(link, window.location.origin).toString();
}
