// Formatting in Asia/Shanghai (UTC+8, no daylight saving) computed by hand, so
// it does not depend on the machine's time zone or on Intl time-zone data.

import { parseTime } from './clock';

const SHANGHAI_OFFSET_MS = 8 * 3600_000;

function pad(n: number, width = 2): string {
  let s = String(n);
  while (s.length < width) s = '0' + s;
  return s;
}

function shanghaiParts(at: string | number): Date | null {
  const ms = parseTime(at);
  if (!isFinite(ms)) return null;
  return new Date(ms + SHANGHAI_OFFSET_MS);
}

/** "2026-11-26 08:30:00" */
export function formatDateTime(at: string | number): string {
  const d = shanghaiParts(at);
  if (!d) return '—';
  return (
    d.getUTCFullYear() +
    '-' +
    pad(d.getUTCMonth() + 1) +
    '-' +
    pad(d.getUTCDate()) +
    ' ' +
    pad(d.getUTCHours()) +
    ':' +
    pad(d.getUTCMinutes()) +
    ':' +
    pad(d.getUTCSeconds())
  );
}

/** "08:30" */
export function formatClock(at: string | number): string {
  const d = shanghaiParts(at);
  if (!d) return '—';
  return pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes());
}

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];

/** "2026年11月26日（星期四）" */
export function formatDate(at: string | number): string {
  const d = shanghaiParts(at);
  if (!d) return '—';
  return (
    d.getUTCFullYear() +
    '年' +
    (d.getUTCMonth() + 1) +
    '月' +
    d.getUTCDate() +
    '日（星期' +
    WEEKDAYS[d.getUTCDay()] +
    '）'
  );
}

/** "2026年11月26日（星期四） 08:30–10:00" */
export function formatRange(start: string | number, end: string | number): string {
  return formatDate(start) + ' ' + formatClock(start) + '–' + formatClock(end);
}

/**
 * A countdown, "01:29:59" (hours always shown). Rounded up to the second so it
 * reads 00:00:00 only when the time is really over; never negative.
 */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return pad(h) + ':' + pad(m) + ':' + pad(s);
}

/** "1 小时 5 分钟" / "3 分钟" / "45 秒" — for sentences. */
export function formatDurationWords(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  if (total < 60) return total + ' 秒';
  const minutes = Math.ceil(total / 60);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return m + ' 分钟';
  return m === 0 ? h + ' 小时' : h + ' 小时 ' + m + ' 分钟';
}

export const LEVEL_NAMES: Record<string, string> = {
  junior: '初级',
  intermediate: '中级',
  advanced: '高级',
};

export const PAPER_NAMES: Record<string, string> = {
  theory: '理论',
  practical: '实操',
};

export const TYPE_NAMES: Record<string, string> = {
  single: '单选题',
  multiple: '多选题',
  truefalse: '判断题',
  code: '编程题',
  webpage: '网页题',
  case: '案例分析题',
  upload: '项目上传题',
};

/** Verdicts of a sample run, as @kaowu/core's CHECK_VERDICT_NAMES (copied: the client does not import core). */
export const CHECK_VERDICT_NAMES: Record<string, string> = {
  passed: '通过',
  failed: '结果错误',
  error: '运行出错',
  timeout: '超时',
  memory: '内存超限',
  'output-limit': '输出超限',
  killed: '被终止',
  'sandbox-error': '沙箱异常',
};

/** "860 B", "12.5 KB", "1.8 MB" */
export function formatSize(bytes: number): string {
  if (!isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1024) return bytes + ' B';
  if (bytes < 1024 * 1024) return (Math.round((bytes / 1024) * 10) / 10).toString() + ' KB';
  return (Math.round((bytes / 1024 / 1024) * 10) / 10).toString() + ' MB';
}

export function levelName(level: string | undefined): string {
  return (level && LEVEL_NAMES[level]) || level || '';
}

/** Option label by position: A, B, C … */
export function optionLabel(index: number): string {
  return String.fromCharCode(65 + index);
}
