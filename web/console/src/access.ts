// Who may see what. The server enforces it (403); the console only hides what
// a role cannot use. Operators: everything; graders: 阅卷 only.

import type { Route } from './router';
import type { StaffRole } from './types';

export const ROLE_LABELS: Record<StaffRole, string> = { operator: '运营管理员', grader: '阅卷员' };

export function roleLabel(role: string): string {
  return (ROLE_LABELS as Record<string, string>)[role] ?? role;
}

export type Section = 'plans' | 'bank' | 'grading' | 'results';

/** The menu, in order, with the sections each role may use. */
export const SECTIONS: { key: Section; label: string; roles: readonly StaffRole[] }[] = [
  { key: 'plans', label: '考试计划', roles: ['operator'] },
  { key: 'bank', label: '题库', roles: ['operator'] },
  { key: 'grading', label: '阅卷', roles: ['operator', 'grader'] },
  { key: 'results', label: '成绩', roles: ['operator'] },
];

/** The menu section a route belongs to (null: none, e.g. not found). */
export function sectionOf(route: Route): Section | null {
  switch (route.name) {
    case 'plans':
    case 'sitting':
      return 'plans';
    case 'bank':
      return 'bank';
    case 'grading':
    case 'marking':
    case 'submission':
      return 'grading';
    case 'results':
      return 'results';
    default:
      return null;
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

/** Where a user lands after log-in: the first section they may use. */
export function homeRoute(role: string): Route {
  const first = sectionsFor(role)[0]?.key ?? 'grading';
  return { name: first };
}
