// What the proctor console says: seat states, actions, events, in Chinese; the
// age of a save, the countdown; the order of 我的监考 (today first). Pure, so
// the unit tests run them without a browser.

import { DUTY_NAMES } from '@kaowu/core';
import type { ActionKind, Duty, ProctorAction, ProctorRoomItem, Seat, SeatCounts, SeatEvents, SeatState } from './api';

export const SEAT_STATE_LABELS: Record<SeatState, string> = {
  'not-signed-in': '未登录',
  waiting: '候考',
  answering: '作答中',
  'switch-pending': '申请换机',
  submitted: '已交卷',
  absent: '缺考',
  disqualified: '取消资格',
};

/** Ant Design tag colours. */
export const SEAT_STATE_COLORS: Record<SeatState, string> = {
  'not-signed-in': 'default',
  waiting: 'cyan',
  answering: 'processing',
  'switch-pending': 'orange',
  submitted: 'success',
  absent: 'default',
  disqualified: 'error',
};

/** The seat cell's background and border. */
export const SEAT_STATE_TINTS: Record<SeatState, { bg: string; border: string }> = {
  'not-signed-in': { bg: '#fafafa', border: '#d9d9d9' },
  waiting: { bg: '#e6fffb', border: '#87e8de' },
  answering: { bg: '#e6f4ff', border: '#91caff' },
  'switch-pending': { bg: '#fff7e6', border: '#fa8c16' },
  submitted: { bg: '#f6ffed', border: '#b7eb8f' },
  absent: { bg: '#f5f5f5', border: '#bfbfbf' },
  disqualified: { bg: '#fff1f0', border: '#ff7875' },
};

export const SEAT_STATE_ORDER: SeatState[] = ['not-signed-in', 'waiting', 'answering', 'switch-pending', 'submitted', 'absent', 'disqualified'];

/** The key of `counts` for each state. */
export const COUNT_KEYS: Record<SeatState, keyof SeatCounts> = {
  'not-signed-in': 'notSignedIn',
  waiting: 'waiting',
  answering: 'answering',
  'switch-pending': 'switchPending',
  submitted: 'submitted',
  absent: 'absent',
  disqualified: 'disqualified',
};

export const DUTY_LABELS: Record<Duty, string> = DUTY_NAMES;

export const ACTION_LABELS: Record<ActionKind, string> = {
  absence: '缺考登记',
  'absence-cancel': '撤销缺考',
  warning: '违纪：警告',
  disqualify: '违纪：取消考试资格',
  compensation: '补时',
  'force-submit': '强制交卷',
  broadcast: '广播',
  'switch-approve': '批准换机',
  'switch-reject': '拒绝换机',
  'auto-warning': '结束前 5 分钟提醒',
};

export const ACTION_COLORS: Partial<Record<ActionKind, string>> = {
  absence: 'default',
  'absence-cancel': 'default',
  warning: 'warning',
  disqualify: 'error',
  compensation: 'blue',
  'force-submit': 'volcano',
  broadcast: 'purple',
  'switch-approve': 'green',
  'switch-reject': 'orange',
  'auto-warning': 'purple',
};

export function actionLabel(kind: string): string {
  return (ACTION_LABELS as Record<string, string>)[kind] ?? kind;
}

/** The event badges on a seat, in this order (only those that happened). */
export const EVENT_BADGES: { key: keyof SeatEvents; label: string; counted: boolean }[] = [
  { key: 'fullscreenExit', label: '离开全屏', counted: true },
  { key: 'focusLoss', label: '切换窗口', counted: true },
  { key: 'reconnect', label: '重连', counted: true },
  { key: 'secondClient', label: '另一台机器', counted: false },
];

/** Every event, for the seat's details. */
export const EVENT_LABELS: Record<keyof SeatEvents, string> = {
  fullscreenExit: '离开全屏',
  focusLoss: '切换窗口',
  reconnect: '断线重连',
  reload: '刷新页面',
  offline: '离线',
  secondClient: '另一台机器',
};

/** "离开全屏 2", "另一台机器" … for the seat cell. */
export function eventBadges(events: SeatEvents): string[] {
  return EVENT_BADGES.filter((b) => (events[b.key] ?? 0) > 0).map((b) => (b.counted ? `${b.label} ${events[b.key]}` : b.label));
}

/** "刚刚", "12 秒前", "3 分钟前", "1 小时 5 分钟前"; null: "未保存". */
export function formatAge(iso: string | null, nowMs: number): string {
  if (!iso) return '未保存';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '—';
  const sec = Math.max(0, Math.floor((nowMs - t) / 1000));
  if (sec < 1) return '刚刚';
  if (sec < 60) return `${sec} 秒前`;
  const min = Math.floor(sec / 60);
  if (min < 60) return `${min} 分钟前`;
  const h = Math.floor(min / 60);
  return min % 60 ? `${h} 小时 ${min % 60} 分钟前` : `${h} 小时前`;
}

/** "1:05:09" or "05:09". */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mmss = `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  return h ? `${h}:${mmss}` : mmss;
}

/** Where the sitting stands on the server's clock: the label and the time left. */
export function countdown(startsAt: string, endsAt: string, nowMs: number): { phase: 'before' | 'during' | 'after'; label: string; value: string } {
  const start = Date.parse(startsAt);
  const end = Date.parse(endsAt);
  if (nowMs < start) return { phase: 'before', label: '距开考', value: formatDuration(start - nowMs) };
  if (nowMs < end) return { phase: 'during', label: '距结束', value: formatDuration(end - nowMs) };
  return { phase: 'after', label: '考试已结束', value: '00:00' };
}

/** The late-entry minutes (开考 N 分钟后未入场), from the sitting's times. */
export function lateEntryMinutes(startsAt: string, entryClosesAt: string): number {
  return Math.max(0, Math.round((Date.parse(entryClosesAt) - Date.parse(startsAt)) / 60_000));
}

/** The default reason of the one-click absence. */
export function defaultAbsenceReason(startsAt: string, entryClosesAt: string): string {
  return `开考 ${lateEntryMinutes(startsAt, entryClosesAt)} 分钟后未入场`;
}

/** What may be done to a seat (the server has the last word; this only hides what cannot work). */
export function seatActions(seat: Seat, entryClosed: boolean) {
  const inProgress = seat.state === 'answering' || seat.state === 'switch-pending';
  const present = seat.attemptId !== null || seat.signIn === 'signed' || seat.state === 'waiting';
  return {
    warning: present && seat.state !== 'absent' && seat.state !== 'disqualified',
    compensation: inProgress,
    forceSubmit: inProgress,
    disqualify: seat.attemptId !== null && seat.state !== 'disqualified' && seat.state !== 'absent',
    absence: entryClosed && seat.attemptId === null && seat.state !== 'absent',
    cancelAbsence: seat.state === 'absent',
    switchDecision: seat.switchRequest !== null,
  };
}

/** A Beijing date (YYYY-MM-DD) of an instant. */
export function beijingDate(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
}

/**
 * 我的监考 by Beijing day: today first, then the days to come (soonest first),
 * then the days past (latest first); in a day, by start time then room.
 */
export function groupByDay(items: readonly ProctorRoomItem[], nowMs: number): { date: string; when: 'today' | 'coming' | 'past'; items: ProctorRoomItem[] }[] {
  const today = beijingDate(nowMs);
  const days = new Map<string, ProctorRoomItem[]>();
  for (const item of items) {
    const d = beijingDate(Date.parse(item.startsAt));
    days.set(d, [...(days.get(d) ?? []), item]);
  }
  const when = (d: string) => (d === today ? 'today' : d > today ? 'coming' : 'past') as 'today' | 'coming' | 'past';
  const rank = { today: 0, coming: 1, past: 2 };
  return [...days]
    .map(([date, list]) => ({
      date,
      when: when(date),
      items: list.sort(
        (a, b) =>
          a.startsAt.localeCompare(b.startsAt) ||
          (a.roomId === null ? -1 : 0) - (b.roomId === null ? -1 : 0) ||
          (a.roomName ?? '').localeCompare(b.roomName ?? '', 'zh-CN', { numeric: true }),
      ),
    }))
    .sort((a, b) => rank[a.when] - rank[b.when] || (a.when === 'past' ? b.date.localeCompare(a.date) : a.date.localeCompare(b.date)));
}

/** "02"-style seat numbers. */
export function seatNoLabel(n: number | null | undefined): string {
  return n == null ? '—' : String(n).padStart(2, '0');
}

/** A line of the action log: one action, or several alike (one click registering many absences). */
export interface ActionLogRow {
  key: string;
  action: ProctorAction;
  /** Everyone the line is about (more than one: a bulk absence). */
  people: ProctorAction[];
}

/** The action log newest first, each bulk absence (same time, reason and proctor) on one line. */
export function actionLog(actions: readonly ProctorAction[]): ActionLogRow[] {
  const rows: ActionLogRow[] = [];
  const sorted = [...actions].sort((a, b) => b.at.localeCompare(a.at) || (a.seatNo ?? 0) - (b.seatNo ?? 0));
  for (const a of sorted) {
    const prev = rows[rows.length - 1];
    if (prev && a.kind === 'absence' && prev.action.kind === 'absence' && prev.action.at === a.at && prev.action.reason === a.reason && prev.action.by === a.by) {
      prev.people.push(a);
    } else {
      rows.push({ key: a.id, action: a, people: [a] });
    }
  }
  return rows;
}
