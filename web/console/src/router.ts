// A tiny hash router. Each page is one entry of ROUTES below: its pattern and
// the parameters it takes; `href` builds links back from a Route.

import { useEffect, useState } from 'react';

export type Route =
  | { name: 'login' }
  /** 院校注册 (public). */
  | { name: 'signup' }
  /** 证书负责人 registration from an invitation link (public). */
  | { name: 'invite'; token: string }
  | { name: 'home' }
  | { name: 'plans' }
  | { name: 'sitting'; sittingId: string }
  | { name: 'bank' }
  /** 阅卷: the tasks to mark. */
  | { name: 'grading' }
  /** 阅卷: the next submission of one task. */
  | { name: 'marking'; questionId: string }
  /** 阅卷: one submission, re-opened to change its mark. */
  | { name: 'submission'; markingId: string }
  /** 成绩: one plan's results (planId absent: pick one). */
  | { name: 'results'; planId?: string }
  /** 院校: review (operator) or one's own institution and its coordinators. */
  | { name: 'institutions' }
  /** 人员: teachers, majors, classes (coordinator); students (teacher). */
  | { name: 'people' }
  /** 考核站点: apply / review; one site's rooms. */
  | { name: 'sites' }
  | { name: 'site'; siteId: string }
  /** 考生管理 */
  | { name: 'candidates' }
  /** 报考管理 and 结算 */
  | { name: 'registrations' }
  /** 考场编排, 监考安排, 打印 */
  | { name: 'arrangement' }
  /** 考前准备 checklist */
  | { name: 'readiness' }
  /** 操作日志 */
  | { name: 'audit' }
  /** 监考: my rooms and sittings. */
  | { name: 'proctor' }
  /** 监考: one room in one sitting (seat map, actions, record, sign-in sheet). */
  | { name: 'proctorRoom'; sittingId: string; roomId: string }
  /** 主考: every room of a site in one sitting. */
  | { name: 'proctorSite'; sittingId: string; siteId: string }
  | { name: 'notFound'; path: string };

type Named<N extends Route['name']> = Extract<Route, { name: N }>;

/** Pages without parameters, by path. */
const FIXED: Record<string, Route['name']> = {
  '/login': 'login',
  '/signup': 'signup',
  '/home': 'home',
  '/plans': 'plans',
  '/bank': 'bank',
  '/grading': 'grading',
  '/results': 'results',
  '/institutions': 'institutions',
  '/people': 'people',
  '/sites': 'sites',
  '/candidates': 'candidates',
  '/registrations': 'registrations',
  '/arrangement': 'arrangement',
  '/readiness': 'readiness',
  '/audit': 'audit',
  '/proctor': 'proctor',
};

/** Pages with parameters: pattern, and the Route it makes from the captured (decoded) groups. */
const WITH_PARAM: [RegExp, (...v: string[]) => Route][] = [
  [/^\/sittings\/([^/]+)$/, (sittingId) => ({ name: 'sitting', sittingId })],
  [/^\/grading\/tasks\/([^/]+)$/, (questionId) => ({ name: 'marking', questionId })],
  [/^\/grading\/items\/([^/]+)$/, (markingId) => ({ name: 'submission', markingId })],
  [/^\/results\/([^/]+)$/, (planId) => ({ name: 'results', planId })],
  [/^\/sites\/([^/]+)$/, (siteId) => ({ name: 'site', siteId })],
  [/^\/invite\/([^/]+)$/, (token) => ({ name: 'invite', token })],
  [/^\/proctor\/([^/]+)\/rooms\/([^/]+)$/, (sittingId, roomId) => ({ name: 'proctorRoom', sittingId, roomId })],
  [/^\/proctor\/([^/]+)\/sites\/([^/]+)$/, (sittingId, siteId) => ({ name: 'proctorSite', sittingId, siteId })],
];

export function parseHash(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  if (path === '/') return { name: 'home' };
  const fixed = FIXED[path];
  if (fixed) return { name: fixed } as Route;
  for (const [re, make] of WITH_PARAM) {
    const m = re.exec(path);
    if (m && m[1]) {
      try {
        return make(...m.slice(1).map((g) => decodeURIComponent(g)));
      } catch {
        return { name: 'notFound', path }; // a malformed %-escape
      }
    }
  }
  return { name: 'notFound', path };
}

export function href(route: Route): string {
  const enc = encodeURIComponent;
  switch (route.name) {
    case 'sitting':
      return `#/sittings/${enc(route.sittingId)}`;
    case 'marking':
      return `#/grading/tasks/${enc(route.questionId)}`;
    case 'submission':
      return `#/grading/items/${enc(route.markingId)}`;
    case 'results':
      return route.planId ? `#/results/${enc(route.planId)}` : '#/results';
    case 'site':
      return `#/sites/${enc((route as Named<'site'>).siteId)}`;
    case 'invite':
      return `#/invite/${enc(route.token)}`;
    case 'proctorRoom':
      return `#/proctor/${enc(route.sittingId)}/rooms/${enc(route.roomId)}`;
    case 'proctorSite':
      return `#/proctor/${enc(route.sittingId)}/sites/${enc(route.siteId)}`;
    case 'notFound':
      return `#${route.path}`;
    default:
      return `#/${route.name}`;
  }
}

export function navigate(route: Route, opts: { replace?: boolean } = {}): void {
  if (opts.replace) window.location.replace(href(route));
  else window.location.hash = href(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
