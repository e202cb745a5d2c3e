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
  signedOutByUser = false;
  localStorage.setItem(TOKEN_KEY, token);
  localStorage.setItem(USER_KEY, JSON.stringify(user));
  listeners.forEach((l) => l());
}

let signOutReason: string | null = null;
let signedOutByUser = false;

/**
 * Signs out; `reason` (e.g. "登录已失效，请重新登录") is shown once on the log-in page.
 * Without a reason it is the user's own 退出: whoever signs in next starts at
 * their own home page, not where this user was.
 */
export function signOut(reason?: string): void {
  signOutReason = reason ?? null;
  signedOutByUser = reason === undefined;
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

/** Whether the last sign-out was the user's own (退出), not an expired session. */
export function wasSignedOutByUser(): boolean {
  return signedOutByUser;
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
