// A tiny hash router: "#/plans", "#/sittings/<id>", "#/bank", "#/grading",
// "#/grading/tasks/<questionId>", "#/grading/items/<markingId>",
// "#/results[/<planId>]", "#/login".

import { useEffect, useState } from 'react';

export type Route =
  | { name: 'login' }
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
  | { name: 'notFound'; path: string };

export function parseHash(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  if (path === '/' || path === '/plans') return { name: 'plans' };
  if (path === '/login') return { name: 'login' };
  if (path === '/bank') return { name: 'bank' };
  if (path === '/grading') return { name: 'grading' };
  if (path === '/results') return { name: 'results' };
  const one = (re: RegExp) => {
    const m = re.exec(path);
    return m && m[1] ? decodeURIComponent(m[1]) : null;
  };
  const sittingId = one(/^\/sittings\/([^/]+)$/);
  if (sittingId) return { name: 'sitting', sittingId };
  const questionId = one(/^\/grading\/tasks\/([^/]+)$/);
  if (questionId) return { name: 'marking', questionId };
  const markingId = one(/^\/grading\/items\/([^/]+)$/);
  if (markingId) return { name: 'submission', markingId };
  const planId = one(/^\/results\/([^/]+)$/);
  if (planId) return { name: 'results', planId };
  return { name: 'notFound', path };
}

export function href(route: Route): string {
  switch (route.name) {
    case 'login':
      return '#/login';
    case 'plans':
      return '#/plans';
    case 'bank':
      return '#/bank';
    case 'sitting':
      return `#/sittings/${encodeURIComponent(route.sittingId)}`;
    case 'grading':
      return '#/grading';
    case 'marking':
      return `#/grading/tasks/${encodeURIComponent(route.questionId)}`;
    case 'submission':
      return `#/grading/items/${encodeURIComponent(route.markingId)}`;
    case 'results':
      return route.planId ? `#/results/${encodeURIComponent(route.planId)}` : '#/results';
    case 'notFound':
      return `#${route.path}`;
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
