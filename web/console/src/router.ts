// A tiny hash router: "#/plans", "#/sittings/<id>", "#/bank", "#/login".

import { useEffect, useState } from 'react';

export type Route =
  | { name: 'login' }
  | { name: 'plans' }
  | { name: 'sitting'; sittingId: string }
  | { name: 'bank' }
  | { name: 'notFound'; path: string };

export function parseHash(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  if (path === '/' || path === '/plans') return { name: 'plans' };
  if (path === '/login') return { name: 'login' };
  if (path === '/bank') return { name: 'bank' };
  const m = /^\/sittings\/([^/]+)$/.exec(path);
  if (m && m[1]) return { name: 'sitting', sittingId: decodeURIComponent(m[1]) };
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
    case 'notFound':
      return `#${route.path}`;
  }
}

export function navigate(route: Route): void {
  window.location.hash = href(route);
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
