// The signed-in staff member, kept in localStorage so a reload stays signed in.

import type { StaffUser } from './types';

const TOKEN_KEY = 'kaowu.console.token';
const USER_KEY = 'kaowu.console.user';

type Listener = () => void;
const listeners = new Set<Listener>();

export function getToken(): string | null {
  return localStorage.getItem(TOKEN_KEY);
}

export function getUser(): StaffUser | null {
  const raw = localStorage.getItem(USER_KEY);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as StaffUser;
  } catch {
    return null;
  }
}

export function signIn(token: string, user: StaffUser): void {
  localStorage.setItem(TOKEN_KEY, token);
  localStorage.setItem(USER_KEY, JSON.stringify(user));
  listeners.forEach((l) => l());
}

let signOutReason: string | null = null;

/** Signs out; `reason` (e.g. "登录已失效，请重新登录") is shown once on the log-in page. */
export function signOut(reason?: string): void {
  signOutReason = reason ?? null;
  localStorage.removeItem(TOKEN_KEY);
  localStorage.removeItem(USER_KEY);
  listeners.forEach((l) => l());
}

/** Why the last sign-out happened, if not by the user; cleared by reading. */
export function takeSignOutReason(): string | null {
  const reason = signOutReason;
  signOutReason = null;
  return reason;
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
