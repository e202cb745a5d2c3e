/**
 * Comparing what a program printed with what a stdout check expects. Runs in Node,
 * outside the sandbox: the expected output never enters it, so the candidate's code
 * cannot read it from memory nor tamper with the comparison.
 */

export type CompareMode = 'exact' | 'trim' | 'numeric';

export interface CompareResult {
  ok: boolean;
  /** Chinese, one line: where the first difference is (null when ok). */
  diff: string | null;
}

/** Strip trailing whitespace of each line and trailing blank lines; CRLF counts as LF. */
export function trimOutput(s: string): string {
  const lines = s.replace(/\r\n?/g, '\n').split('\n').map((l) => l.replace(/[ \t\r\f\v\u00a0\u3000]+$/u, ''));
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.join('\n');
}

const NUMBER_RE = /[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?/g;

type Piece = { kind: 'text'; value: string } | { kind: 'num'; value: number; raw: string };

/** Numbers and the text between them (whitespace-collapsed, empty text dropped). */
export function numericPieces(s: string): Piece[] {
  const out: Piece[] = [];
  let last = 0;
  const pushText = (t: string) => {
    const v = t.replace(/\s+/g, ' ').trim();
    if (v) out.push({ kind: 'text', value: v });
  };
  for (const m of s.matchAll(NUMBER_RE)) {
    pushText(s.slice(last, m.index));
    out.push({ kind: 'num', value: Number(m[0]), raw: m[0] });
    last = (m.index ?? 0) + m[0].length;
  }
  pushText(s.slice(last));
  return out;
}

const show = (s: string, max = 60) => {
  const one = JSON.stringify(s.length > max ? s.slice(0, max) + '…' : s);
  return one;
};

function firstLineDiff(expected: string, got: string): string {
  const e = expected.split('\n');
  const g = got.split('\n');
  const n = Math.max(e.length, g.length);
  for (let i = 0; i < n; i++) {
    if (e[i] !== g[i]) {
      if (i >= g.length) return `输出少了内容：第 ${i + 1} 行应为 ${show(e[i] ?? '')}，实际没有这一行`;
      if (i >= e.length) return `输出多了内容：第 ${i + 1} 行 ${show(g[i] ?? '')} 是多出来的`;
      return `第 ${i + 1} 行不同：预期 ${show(e[i] ?? '')}，实际 ${show(g[i] ?? '')}`;
    }
  }
  return '输出不同';
}

export function compareOutput(expected: string, got: string, mode: CompareMode, tolerance = 1e-6): CompareResult {
  if (mode === 'exact') {
    if (got === expected) return { ok: true, diff: null };
    const e = expected.replace(/\r\n?/g, '\n');
    const g = got.replace(/\r\n?/g, '\n');
    if (e === g) return { ok: false, diff: '换行符不同（要求完全一致）' };
    if (trimOutput(e) === trimOutput(g)) return { ok: false, diff: '行尾空格或末尾空行不同（要求完全一致）' };
    return { ok: false, diff: firstLineDiff(e, g) };
  }
  if (mode === 'trim') {
    const e = trimOutput(expected);
    const g = trimOutput(got);
    return e === g ? { ok: true, diff: null } : { ok: false, diff: firstLineDiff(e, g) };
  }
  const e = numericPieces(expected);
  const g = numericPieces(got);
  const n = Math.max(e.length, g.length);
  let numIndex = 0;
  for (let i = 0; i < n; i++) {
    const a = e[i];
    const b = g[i];
    if (!a) return { ok: false, diff: `输出多了内容：${show(b!.kind === 'num' ? b!.raw : b!.value)}` };
    if (!b) return { ok: false, diff: `输出少了内容：应有 ${show(a.kind === 'num' ? a.raw : a.value)}` };
    if (a.kind === 'num') numIndex++;
    if (a.kind !== b.kind) {
      return {
        ok: false,
        diff: a.kind === 'num' ? `第 ${numIndex} 个数应为 ${a.raw}，实际是 ${show(b.kind === 'text' ? b.value : '')}` : `应为 ${show(a.value)}，实际是数 ${(b as { raw: string }).raw}`,
      };
    }
    if (a.kind === 'num' && b.kind === 'num') {
      if (!(Math.abs(a.value - b.value) <= tolerance)) return { ok: false, diff: `第 ${numIndex} 个数不同：预期 ${a.raw}，实际 ${b.raw}（允许误差 ${tolerance}）` };
    } else if (a.kind === 'text' && b.kind === 'text' && a.value !== b.value) {
      return { ok: false, diff: `文字不同：预期 ${show(a.value)}，实际 ${show(b.value)}` };
    }
  }
  return { ok: true, diff: null };
}

/** At most `max` bytes of UTF-8, cut on a character boundary, with a note when cut. */
export function excerpt(s: string, max = 2048): string {
  const buf = Buffer.from(s, 'utf8');
  if (buf.length <= max) return s;
  let end = max - 32;
  while (end > 0 && (buf[end]! & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString('utf8') + `\n…（共 ${buf.length} 字节，已截断）`;
}
