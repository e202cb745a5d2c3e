// Who may see what. The server enforces it (403/404); the console only hides
// what a role cannot use.

import type { Route } from './router';
import type { StaffRole } from './types';

export const ROLE_LABELS: Record<StaffRole, string> = {
  operator: '运营管理员',
  institution_admin: '院校管理员',
  coordinator: '证书负责人',
  teacher: '教师',
  student: '学生',
  proctor: '监考员',
  site_technician: '考场技术支持',
  grader: '阅卷员',
};

export function roleLabel(role: string): string {
  return (ROLE_LABELS as Record<string, string>)[role] ?? role;
}

export type Section =
  | 'institutions' | 'people' | 'sites' | 'plans' | 'candidates' | 'registrations' | 'arrangement' | 'readiness'
  | 'proctor' | 'bank' | 'grading' | 'results' | 'audit';

/** The menu, in order, with the sections each role may use. */
export const SECTIONS: { key: Section; label: string; roles: readonly StaffRole[] }[] = [
  { key: 'plans', label: '考试计划', roles: ['operator'] },
  { key: 'institutions', label: '院校', roles: ['operator', 'institution_admin', 'coordinator'] },
  { key: 'people', label: '人员与班级', roles: ['institution_admin', 'coordinator', 'teacher'] },
  { key: 'sites', label: '考核站点', roles: ['operator', 'institution_admin', 'coordinator', 'site_technician'] },
  { key: 'candidates', label: '考生管理', roles: ['operator', 'coordinator', 'teacher'] },
  { key: 'registrations', label: '报考与结算', roles: ['operator', 'coordinator'] },
  { key: 'arrangement', label: '考场编排', roles: ['operator', 'coordinator'] },
  { key: 'readiness', label: '考前准备', roles: ['operator', 'coordinator', 'site_technician'] },
  // Those who may be assigned to a room (or as 主考); the operator, for support.
  { key: 'proctor', label: '监考', roles: ['proctor', 'teacher', 'coordinator', 'institution_admin', 'operator'] },
  { key: 'bank', label: '题库', roles: ['operator'] },
  { key: 'grading', label: '阅卷', roles: ['operator', 'grader'] },
  { key: 'results', label: '成绩', roles: ['operator'] },
  { key: 'audit', label: '操作日志', roles: ['operator', 'institution_admin', 'coordinator'] },
];

/** The menu section a route belongs to (null: none, e.g. home or not found). */
export function sectionOf(route: Route): Section | null {
  switch (route.name) {
    case 'sitting':
      return 'plans';
    case 'marking':
    case 'submission':
      return 'grading';
    case 'site':
      return 'sites';
    case 'proctorRoom':
    case 'proctorSite':
      return 'proctor';
    case 'login':
    case 'signup':
    case 'invite':
    case 'home':
    case 'notFound':
      return null;
    default:
      return route.name;
  }
}

export function sectionsFor(role: string): typeof SECTIONS {
  return SECTIONS.filter((s) => s.roles.includes(role as StaffRole));
}

/** Whether `role` may open `route` (pages outside any section, like 404, are open to all). */
export function canOpen(role: string, route: Route): boolean {
  const section = sectionOf(route);
  return section === null || sectionsFor(role).some((s) => s.key === section);
}

/** Where a user lands after log-in: the first section they may use, or the welcome page. */
export function homeRoute(role: string): Route {
  const first = sectionsFor(role)[0]?.key;
  return first ? { name: first } : { name: 'home' };
}
