// Display helpers. The API speaks UTC ISO strings; the console shows Beijing
// time (Asia/Shanghai, UTC+8 all year), computed with a fixed offset so the
// result does not depend on the browser's time zone.

import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import type { AttemptState, Level, Paper, QuestionType } from './types';

dayjs.extend(utc);

const SHANGHAI_OFFSET_MIN = 8 * 60;

function shanghai(iso: string | null | undefined): dayjs.Dayjs | null {
  if (!iso) return null;
  const d = dayjs.utc(iso);
  return d.isValid() ? d.utcOffset(SHANGHAI_OFFSET_MIN) : null;
}

/** "2026-11-26 08:30:00", or "—" when absent. */
export function formatDateTime(iso: string | null | undefined): string {
  return shanghai(iso)?.format('YYYY-MM-DD HH:mm:ss') ?? '—';
}

/**
 * "09:12:05" when `iso` falls on the same Beijing date as `ref` (the sitting's
 * start), else the full date and time; "—" when absent.
 */
export function formatTimeNear(iso: string | null | undefined, ref: string | null | undefined): string {
  const d = shanghai(iso);
  if (!d) return '—';
  const r = shanghai(ref);
  return r && r.format('YYYY-MM-DD') === d.format('YYYY-MM-DD') ? d.format('HH:mm:ss') : d.format('YYYY-MM-DD HH:mm:ss');
}

/** "14:05:09" in Beijing time for a local timestamp (ms). */
export function formatTimeOfDay(ms: number): string {
  return dayjs(ms).utcOffset(SHANGHAI_OFFSET_MIN).format('HH:mm:ss');
}

/** "2026-11-26 08:30–10:00" (the end's date is added when it differs). */
export function formatRange(startIso: string, endIso: string): string {
  const s = shanghai(startIso);
  const e = shanghai(endIso);
  if (!s || !e) return '—';
  const end = s.format('YYYY-MM-DD') === e.format('YYYY-MM-DD') ? e.format('HH:mm') : e.format('YYYY-MM-DD HH:mm');
  return `${s.format('YYYY-MM-DD HH:mm')}–${end}`;
}

export const LEVEL_LABELS: Record<Level, string> = { junior: '初级', intermediate: '中级', advanced: '高级' };
export const LEVEL_ORDER: Level[] = ['junior', 'intermediate', 'advanced'];
export const PAPER_LABELS: Record<Paper, string> = { theory: '理论', practical: '实操' };
export const QUESTION_TYPE_LABELS: Record<QuestionType, string> = { single: '单选题', multiple: '多选题', truefalse: '判断题' };
export const QUESTION_TYPE_ORDER: QuestionType[] = ['single', 'multiple', 'truefalse'];

export const STATE_LABELS: Record<AttemptState, string> = { not_entered: '未入场', in_progress: '作答中', submitted: '已交卷' };
export const STATE_COLORS: Record<AttemptState, string> = { not_entered: 'default', in_progress: 'processing', submitted: 'success' };

const SUBMIT_REASONS: Record<string, string> = {
  candidate: '考生交卷',
  deadline: '到时自动交卷',
  'fullscreen-exit': '离开全屏强制交卷',
  proctor: '监考强制交卷',
};

export function submitReasonLabel(reason: string | null): string {
  if (!reason) return '—';
  return SUBMIT_REASONS[reason] ?? reason;
}

export function levelLabel(level: string): string {
  return (LEVEL_LABELS as Record<string, string>)[level] ?? level;
}

/** "86 / 100", or "—" before grading. */
export function formatScore(score: number | null, maxScore: number | null): string {
  if (score === null) return '—';
  return maxScore === null ? String(score) : `${score} / ${maxScore}`;
}
