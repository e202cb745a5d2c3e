// Top level: the log-in screen when signed out, else the layout with the page
// for the current hash route.

import { useEffect, useState } from 'react';
import { Button, Result } from 'antd';
import { api } from './api';
import { getToken, getUser, onSessionChange, signIn } from './session';
import { href, navigate, parseHash, useRoute, type Route } from './router';
import { ConsoleLayout } from './ConsoleLayout';
import { LoginPage } from './pages/LoginPage';
import { PlansPage } from './pages/PlansPage';
import { SittingAttemptsPage } from './pages/SittingAttemptsPage';
import { BankPage } from './pages/BankPage';

const NEXT_KEY = 'kaowu.console.next';

function useSession() {
  const [session, setSession] = useState(() => ({ token: getToken(), user: getUser() }));
  useEffect(() => onSessionChange(() => setSession({ token: getToken(), user: getUser() })), []);
  return session;
}

export function ConsoleApp() {
  const route = useRoute();
  const { token, user } = useSession();
  const signedIn = Boolean(token && user);

  // Signed out anywhere but the log-in page: remember where, go to log-in.
  useEffect(() => {
    if (!signedIn && route.name !== 'login') {
      sessionStorage.setItem(NEXT_KEY, href(route));
      window.location.replace('#/login');
    } else if (signedIn && route.name === 'login') {
      const next = sessionStorage.getItem(NEXT_KEY);
      sessionStorage.removeItem(NEXT_KEY);
      const target = next ? parseHash(next) : null;
      navigate(target && target.name !== 'login' ? target : { name: 'plans' });
    }
  }, [signedIn, route]);

  // A stored token may have expired: check it once (a 401 signs out).
  useEffect(() => {
    if (!token) return;
    api.me().then(
      (me) => {
        if (getToken() === token) signIn(token, me); // unless signed out meanwhile
      },
      () => undefined, // a 401 already signed out; anything else can wait for the next call
    );
  }, [token]);

  if (!signedIn || !user) return <LoginPage />;
  if (route.name === 'login') return null;
  return (
    <ConsoleLayout user={user} route={route}>
      <Page route={route} />
    </ConsoleLayout>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.name) {
    case 'plans':
      return <PlansPage />;
    case 'sitting':
      return <SittingAttemptsPage key={route.sittingId} sittingId={route.sittingId} />;
    case 'bank':
      return <BankPage />;
    default:
      return (
        <Result
          status="404"
          title="页面不存在"
          subTitle={`没有这个页面：${route.name === 'notFound' ? route.path : ''}`}
          extra={
            <Button type="primary" href="#/plans">
              返回考试计划
            </Button>
          }
        />
      );
  }
}
