// What survives a reload: the log-in (token, candidate, sittings) and the
// sitting being taken. The ID-card number is never stored.

import { readJSON, removeKey, writeJSON, type KV } from './storage';
import type { CandidateInfo, SittingState, SittingSummary } from './types';

const SESSION_KEY = 'kaowu.exam.session';
const ATTEMPTS_KEY = 'kaowu.exam.attempts';

export interface StoredSession {
  token: string;
  candidate: CandidateInfo;
  sittings: SittingSummary[];
  /** the sitting being entered or taken */
  sittingId?: string;
  attemptId?: string;
}

export function loadSession(kv: KV): StoredSession | null {
  const s = readJSON<StoredSession>(kv, SESSION_KEY);
  if (!s || typeof s.token !== 'string' || !s.token || !s.candidate) return null;
  if (!Array.isArray(s.sittings)) s.sittings = [];
  return s;
}

export function saveSession(kv: KV, s: StoredSession | null): void {
  if (s) writeJSON(kv, SESSION_KEY, s);
  else removeKey(kv, SESSION_KEY);
}

export function withSittingState(s: StoredSession, sittingId: string, state: SittingState): StoredSession {
  return {
    ...s,
    sittings: s.sittings.map((x) => (x.id === sittingId ? { ...x, state } : x)),
  };
}

/** Attempts this browser has entered before (to tell a reload from a first entry). */
export function knownAttempt(kv: KV, attemptId: string): boolean {
  const list = readJSON<string[]>(kv, ATTEMPTS_KEY);
  return Array.isArray(list) && list.indexOf(attemptId) >= 0;
}

export function rememberAttempt(kv: KV, attemptId: string): void {
  const list = readJSON<string[]>(kv, ATTEMPTS_KEY);
  const next = Array.isArray(list) ? list.filter((x) => x !== attemptId) : [];
  next.push(attemptId);
  writeJSON(kv, ATTEMPTS_KEY, next.slice(-20));
}

/** Sittings the candidate may try to enter now (the server decides). */
export function enterable(s: SittingSummary): boolean {
  return s.state === 'open' || s.state === 'waiting' || s.state === 'upcoming';
}

/** The sitting to enter without asking: the only one open or waiting. */
export function autoEnterTarget(sittings: SittingSummary[]): SittingSummary | null {
  const live = sittings.filter((s) => s.state === 'open' || s.state === 'waiting');
  return live.length === 1 ? (live[0] as SittingSummary) : null;
}
