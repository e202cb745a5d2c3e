// Top level: the log-in screen when signed out, else the layout with the page
// for the current hash route.

import { useEffect, useState } from 'react';
import { Button, Result } from 'antd';
import { api } from './api';
import { getToken, getUser, onSessionChange, signIn, wasSignedOutByUser } from './session';
import { href, navigate, parseHash, useRoute, type Route } from './router';
import { ConsoleLayout } from './ConsoleLayout';
import { LoginPage } from './pages/LoginPage';
import { PlansPage } from './pages/PlansPage';
import { SittingAttemptsPage } from './pages/SittingAttemptsPage';
import { BankPage } from './pages/BankPage';
import { GradingTasksPage } from './pages/GradingTasksPage';
import { MarkingPage } from './pages/MarkingPage';
import { ResultsPage } from './pages/ResultsPage';
import { SignupPage } from './pages/admin/SignupPage';
import { InvitePage } from './pages/admin/InvitePage';
import { InstitutionsPage } from './pages/admin/InstitutionsPage';
import { PeoplePage } from './pages/admin/PeoplePage';
import { SitesPage } from './pages/admin/SitesPage';
import { SitePage } from './pages/admin/SitePage';
import { CandidatesPage } from './pages/admin/CandidatesPage';
import { RegistrationsPage } from './pages/admin/RegistrationsPage';
import { ArrangementPage } from './pages/admin/ArrangementPage';
import { ReadinessPage } from './pages/admin/ReadinessPage';
import { AuditPage } from './pages/admin/AuditPage';
import { HomePage } from './pages/HomePage';
import { MyRoomsPage } from './pages/proctor/MyRoomsPage';
import { RoomPage } from './pages/proctor/RoomPage';
import { ChiefSitePage } from './pages/proctor/ChiefSitePage';
import { canOpen, homeRoute } from './access';
import type { StaffUser } from './types';

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
  const role = user?.role ?? '';

  const publicPage = route.name === 'signup' || route.name === 'invite';

  // Signed out anywhere but the log-in and public pages: remember where, go to log-in.
  useEffect(() => {
    if (publicPage) return;
    if (!signedIn && route.name !== 'login') {
      if (wasSignedOutByUser()) sessionStorage.removeItem(NEXT_KEY);
      else sessionStorage.setItem(NEXT_KEY, href(route));
      window.location.replace('#/login');
    } else if (signedIn && route.name === 'login') {
      const next = sessionStorage.getItem(NEXT_KEY);
      sessionStorage.removeItem(NEXT_KEY);
      const target = next ? parseHash(next) : null;
      navigate(target && target.name !== 'login' && canOpen(role, target) ? target : homeRoute(role));
    }
  }, [signedIn, route, role, publicPage]);

  // "#/" is the first section of the user's menu (or the welcome page when there is none).
  useEffect(() => {
    if (signedIn && route.name === 'home' && homeRoute(role).name !== 'home') navigate(homeRoute(role), { replace: true });
  }, [signedIn, role, route]);

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

  if (route.name === 'signup') return <SignupPage />;
  if (route.name === 'invite') return <InvitePage key={route.token} token={route.token} />;
  if (!signedIn || !user) return <LoginPage />;
  if (route.name === 'login') return null;
  return (
    <ConsoleLayout user={user} route={route}>
      {/* Nothing to work on until a generated or reset password is changed (the layout asks for it). */}
      {!user.mustChangePassword && <Page route={route} user={user} />}
    </ConsoleLayout>
  );
}

function Page({ route, user }: { route: Route; user: StaffUser }) {
  if (!canOpen(user.role, route)) {
    const home = homeRoute(user.role);
    return (
      <Result
        status="403"
        title="无权访问"
        subTitle="您的账号没有使用该功能的权限。"
        extra={
          <Button type="primary" href={href(home)}>
            返回首页
          </Button>
        }
      />
    );
  }
  switch (route.name) {
    case 'plans':
      return <PlansPage />;
    case 'sitting':
      return <SittingAttemptsPage key={route.sittingId} sittingId={route.sittingId} />;
    case 'bank':
      return <BankPage />;
    case 'grading':
      return <GradingTasksPage operator={user.role === 'operator'} />;
    case 'marking':
      return <MarkingPage key={`task:${route.questionId}`} source={{ kind: 'next', questionId: route.questionId }} />;
    case 'submission':
      return <MarkingPage key={`item:${route.markingId}`} source={{ kind: 'item', markingId: route.markingId }} />;
    case 'results':
      return <ResultsPage key={route.planId ?? ''} planId={route.planId} />;
    case 'home':
      return <HomePage user={user} />;
    case 'institutions':
      return <InstitutionsPage />;
    case 'people':
      return <PeoplePage />;
    case 'sites':
      return <SitesPage />;
    case 'site':
      return <SitePage key={route.siteId} siteId={route.siteId} />;
    case 'candidates':
      return <CandidatesPage />;
    case 'registrations':
      return <RegistrationsPage />;
    case 'arrangement':
      return <ArrangementPage />;
    case 'readiness':
      return <ReadinessPage />;
    case 'audit':
      return <AuditPage />;
    case 'proctor':
      return <MyRoomsPage />;
    case 'proctorRoom':
      return <RoomPage key={`${route.sittingId}/${route.roomId}`} sittingId={route.sittingId} roomId={route.roomId} />;
    case 'proctorSite':
      return <ChiefSitePage key={`${route.sittingId}/${route.siteId}`} sittingId={route.sittingId} siteId={route.siteId} />;
    default:
      return (
        <Result
          status="404"
          title="页面不存在"
          subTitle={`没有这个页面：${route.name === 'notFound' ? route.path : ''}`}
          extra={
            <Button type="primary" href={href(homeRoute(user.role))}>
              返回首页
            </Button>
          }
        />
      );
  }
}
