// Display helpers. The API speaks UTC ISO strings; the console shows Beijing
// time (Asia/Shanghai, UTC+8 all year), computed with a fixed offset so the
// result does not depend on the browser's time zone.

import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import { CHECK_VERDICT_NAMES, ITEM_TYPES, MARKING_STATE_NAMES, QUESTION_TYPE_NAMES, TASK_TYPE_NAMES } from '@kaowu/core';
import type { AttemptState, CheckVerdict, CombinedScoreSettings, GradingStatus, ItemType, Level, MarkingState, Paper, PaperResultState } from './types';

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
/** Theory question types and practical task types alike (单选题 … 项目上传题). */
export const QUESTION_TYPE_LABELS: Record<ItemType, string> = { ...QUESTION_TYPE_NAMES, ...TASK_TYPE_NAMES };
export const QUESTION_TYPE_ORDER: readonly ItemType[] = ITEM_TYPES;

export const STATE_LABELS: Record<AttemptState, string> = { not_entered: '未入场', in_progress: '作答中', submitted: '已交卷' };
export const STATE_COLORS: Record<AttemptState, string> = { not_entered: 'default', in_progress: 'processing', submitted: 'success' };

const SUBMIT_REASONS: Record<string, string> = {
  candidate: '考生交卷',
  deadline: '到时自动交卷',
  'fullscreen-exit': '离开全屏强制交卷',
  proctor: '监考强制交卷',
  disqualified: '取消考试资格',
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

// ---------------------------------------------------------------------------
// 阅卷 and 成绩
// ---------------------------------------------------------------------------

/** 待评 / 待二评 / 待仲裁 / 已定分. */
export const MARKING_STATE_LABELS: Record<MarkingState, string> = MARKING_STATE_NAMES;
export const MARKING_STATE_COLORS: Record<MarkingState, string> = {
  'needs-first': 'blue',
  'needs-second': 'geekblue',
  'needs-arbitration': 'orange',
  final: 'green',
};

/** 通过 / 结果错误 / 运行出错 / 超时 … */
export const CHECK_VERDICT_LABELS: Record<CheckVerdict, string> = CHECK_VERDICT_NAMES;

export function checkVerdictLabel(verdict: string): string {
  return (CHECK_VERDICT_LABELS as Record<string, string>)[verdict] ?? verdict;
}

/** 编程题 / 网页题 / 案例分析题 / 项目上传题 (and the theory types, for completeness). */
export function itemTypeLabel(type: string): string {
  return (QUESTION_TYPE_LABELS as Record<string, string>)[type] ?? type;
}

/** Which marking a grader gives: 第 1 评, 第 2 评, or 仲裁 (round 3). */
export function roundLabel(round: number | null): string {
  if (round === null) return '—';
  return round >= 3 ? '仲裁' : `第 ${round} 评`;
}

/** A paper's state on the results page. */
export const PAPER_RESULT_LABELS: Record<PaperResultState, string> = {
  not_entered: '未参加',
  in_progress: '作答中',
  grading: '判分中',
  final: '已定分',
  disqualified: '取消考试资格',
  absent: '缺考',
};
export const PAPER_RESULT_COLORS: Record<PaperResultState, string> = {
  not_entered: 'default',
  in_progress: 'processing',
  grading: 'warning',
  final: 'success',
  disqualified: 'error',
  absent: 'default',
};

/** A grading job's state (the automatic checks). */
const AUTO_STATE_LABELS: Record<string, string> = { queued: '排队中', running: '判分中', done: '已完成', failed: '判分失败' };

export function autoStateLabel(state: string | null): string {
  if (!state) return '—';
  return AUTO_STATE_LABELS[state] ?? state;
}

export const GRADING_MODE_LABELS: Record<GradingStatus['mode'], string> = {
  'in-process': '本机判分',
  bullmq: '判分集群（BullMQ）',
  off: '本节点未启用判分',
};

/** Points without binary noise or trailing zeros: 8.5, 17, 62.25. */
export function formatPoints(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  return String(Math.round(n * 100) / 100);
}

/** "综合成绩 = 0.4 × 理论 + 0.6 × 实操，60 分合格" from the certificate's settings. */
export function combinedFormula(s: CombinedScoreSettings): string {
  return `综合成绩 = ${formatPoints(s.weights.theory)} × 理论 + ${formatPoints(s.weights.practical)} × 实操，${formatPoints(s.passMark)} 分合格`;
}

/** 合格 / 不合格 / 待定. */
export function passLabel(passed: boolean | null): { text: string; color: string } {
  if (passed === null) return { text: '待定', color: 'default' };
  return passed ? { text: '合格', color: 'success' } : { text: '不合格', color: 'error' };
}

/** A room's layout, "每排 8 座 / 5 排": seats are numbered row by row, so the back row may be short. */
export function seatLayoutLabel(seats: number, seatsPerRow: number): string {
  return `每排 ${seatsPerRow} 座 / ${Math.ceil(seats / seatsPerRow)} 排`;
}

/** "512 B", "3.4 KB", "1.2 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** How auditValueLabel names the keys, and the coded values, of an object nested in a snapshot. */
export interface AuditNames {
  field(key: string): string;
  value(key: string, value: unknown): string | null;
}

/** A time as the server stores it (ISO 8601, UTC). */
const STORED_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/**
 * A value of an audit snapshot as staff read it: 是/否, times in Beijing time,
 * lists joined, 空 for null; an object as 名称：值 pairs, a list of objects (a
 * plan's sittings) a line each.
 */
export function auditValueLabel(v: unknown, names?: AuditNames): string {
  if (v === undefined) return '';
  if (v === null) return '（空）';
  if (typeof v === 'string') return STORED_TIME.test(v) ? formatDateTime(v) : v;
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (Array.isArray(v)) {
    if (v.length === 0) return '（无）';
    const ofObjects = v.some((x) => typeof x === 'object' && x !== null);
    return v.map((x) => auditValueLabel(x, names)).join(ofObjects ? '\n' : '、');
  }
  if (typeof v === 'object') {
    return Object.entries(v)
      .map(([key, x]) => `${names ? names.field(key) : key}：${names?.value(key, x) ?? auditValueLabel(x, names)}`)
      .join('，');
  }
  return String(v);
}
