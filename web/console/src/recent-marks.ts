// The submissions this grader marked in this browser tab, newest first, so
// one can be re-opened to change its mark. Kept per user in sessionStorage:
// the server knows a submission only by its marking id, and so do we.

import { getUser } from './session';

export interface RecentMark {
  markingId: string;
  questionId: string;
  code: string;
  round: number;
  total: number;
  /** ms since epoch */
  at: number;
}

const MAX = 50;

function key(): string | null {
  const user = getUser();
  return user ? `kaowu.console.recentMarks.${user.id}` : null;
}

export function recentMarks(questionId?: string): RecentMark[] {
  const k = key();
  if (!k) return [];
  try {
    const list = JSON.parse(sessionStorage.getItem(k) ?? '[]') as RecentMark[];
    return Array.isArray(list) ? list.filter((m) => !questionId || m.questionId === questionId) : [];
  } catch {
    return [];
  }
}

/** Records a mark given or changed (a change moves it to the top). */
export function rememberMark(mark: RecentMark): void {
  const k = key();
  if (!k) return;
  const list = [mark, ...recentMarks().filter((m) => m.markingId !== mark.markingId)].slice(0, MAX);
  sessionStorage.setItem(k, JSON.stringify(list));
}
