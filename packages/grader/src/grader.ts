import os from 'node:os';
import { FILE_PATH_RE, type CheckResult, type CheckVerdict, type GradableTask, type GradingResult, type PageCheck, type ScriptCheck, type StdoutCheck, type TaskCheck } from '@kaowu/core';
import { compareOutput, excerpt } from './compare.ts';
import { PageChecker, type PageRunStats } from './page.ts';
import { SandboxPool, SandboxUnavailable, type CheckMsg, type JobCheck, type JobSpec, type RawJobResult } from './sandbox.ts';

export interface GraderOptions {
  /** Default: `bwrap` on PATH, else /usr/bin/bwrap. */
  bwrapPath?: string;
  /** Default /usr/bin/python3 (must live under /usr: the sandbox binds only /usr). */
  pythonPath?: string;
  /** Long-lived sandboxes; default os.cpus().length. */
  slots?: number;
  /** Default /usr/bin/chromium. */
  chromiumPath?: string;
  /** Restart a sandbox after this many jobs (default 200); always after one that hit a limit. */
  recycleAfter?: number;
  log?: (msg: string, extra?: object) => void;
  /** Modules every sandbox imports once at start (default none; see docs/grader.md). */
  preload?: string[];
  /** Size of each sandbox's /work and /tmp, MB (default 128). */
  tmpfsMb?: number;
  /** What each sandbox's heavy forker imports, for tasks that use them (default numpy, pandas; [] = none). */
  heavyPreload?: string[];
}

export interface GradeAnswer {
  files?: Record<string, string>;
  zip?: Buffer;
}

const SIGNAL_NAMES: Record<number, string> = { 1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 4: 'SIGILL', 5: 'SIGTRAP', 6: 'SIGABRT', 7: 'SIGBUS', 8: 'SIGFPE', 9: 'SIGKILL', 11: 'SIGSEGV', 13: 'SIGPIPE', 14: 'SIGALRM', 15: 'SIGTERM', 24: 'SIGXCPU', 25: 'SIGXFSZ', 31: 'SIGSYS' };
const SIGKILL = 9;
const SIGXCPU = 24;
const SIGXFSZ = 25;
const EFBIG = 27;

/** Libraries worth importing once per job when several checks will import them. */
const HEAVY = new Set(['numpy', 'pandas', 'matplotlib', 'sklearn', 'scipy']);
const IMPORT_RE = /^[ \t]*(?:import|from)[ \t]+([A-Za-z_][\w.]*)/gm;

const MAX_FILES_BYTES = 8 * 1024 * 1024;
const INTERRUPTED = '沙箱运行被中断';

type SandboxCheck = StdoutCheck | ScriptCheck;

export class Grader {
  private readonly pool: SandboxPool;
  private readonly pages: PageChecker;
  private readonly log: (msg: string, extra?: object) => void;
  private probe: Promise<{ available: boolean; reason?: string }> | null = null;

  constructor(opts: GraderOptions = {}) {
    this.log = opts.log ?? (() => {});
    this.pool = new SandboxPool({
      bwrapPath: opts.bwrapPath,
      pythonPath: opts.pythonPath,
      slots: opts.slots,
      recycleAfter: opts.recycleAfter,
      preload: opts.preload,
      tmpfsMb: opts.tmpfsMb,
      heavyPreload: opts.heavyPreload,
      log: this.log,
    });
    this.pages = new PageChecker(opts.chromiumPath ?? '/usr/bin/chromium', this.log, Math.max(1, Math.min(2, opts.slots ?? os.cpus().length)));
  }

  /** Starts and probes one sandbox (a tiny program must print through it). */
  status(): Promise<{ available: boolean; reason?: string }> {
    if (this.probe) return this.probe;
    const p = (async () => {
      try {
        await this.pool.ensureStarted();
        const r = await this.pool.run(
          { entry: 'main.py', files: { 'main.py': 'print(6 * 7)' }, data: {}, limits: { cpuSec: 5, memoryMb: 256, processes: 4, outputKb: 4, fileSizeMb: 1, openFiles: 32 }, checks: [{ kind: 'stdout', stdin: '', cpuSec: 5, wallSec: 10 }] },
          30_000,
        );
        const c = r.checks[0];
        if (!c || c.stdout.trim() !== '42') return { available: false, reason: `判分沙箱自检失败：${r.crashed ?? r.aborted ?? (c ? c.stderr.slice(-300) : '没有结果')}` };
        return { available: true };
      } catch (err) {
        return { available: false, reason: err instanceof SandboxUnavailable ? err.reason : String(err) };
      }
    })();
    this.probe = p;
    // A failure is not remembered: bwrap may be installed later.
    void p.then((s) => {
      if (!s.available && this.probe === p) this.probe = null;
    });
    return p;
  }

  /**
   * Grades one answer. Candidate code runs only in the sandbox: when no sandbox can be
   * started this rejects with SandboxUnavailable and nothing runs.
   */
  async grade(task: GradableTask, answer: GradeAnswer, opts: { samplesOnly?: boolean } = {}): Promise<GradingResult> {
    const samplesOnly = opts.samplesOnly === true;
    const base: GradingResult = { taskId: task.id, samplesOnly, earned: 0, max: 0, checks: [], sandboxMs: 0 };
    if (task.type === 'case') return base;
    const checks = task.checks.filter((c) => !samplesOnly || c.sample);
    if (checks.length === 0) return base;
    const results: CheckResult[] = new Array(checks.length);
    const sandboxIdx: number[] = [];
    const pageIdx: number[] = [];
    checks.forEach((c, i) => (c.kind === 'page' ? pageIdx : sandboxIdx).push(i));

    const refuse = (verdict: CheckVerdict, message: string) => checks.map((c) => this.result(c, verdict, message));
    const problem = this.answerProblem(task, answer);
    if (problem) return this.total(base, refuse('error', problem), 0);

    if (sandboxIdx.length > 0) {
      const why = this.pool.staticUnavailability();
      if (why) throw new SandboxUnavailable(why);
    }
    if (pageIdx.length > 0) {
      const why = this.pages.available();
      if (why) throw new SandboxUnavailable(why);
    }

    const files = { ...task.files, ...(answer.files ?? {}) };
    let sandboxMs = 0;
    const work: Promise<void>[] = [];
    if (sandboxIdx.length > 0) {
      const sc = sandboxIdx.map((i) => checks[i] as SandboxCheck);
      work.push(
        (async () => {
          const job = buildJob(task, answer, sc);
          if (/matplotlib/.test(jobText(job))) await this.pool.ensureMplCache();
          const raw = await this.pool.run(job, jobBudgetMs(job));
          sandboxMs += raw.sandboxMs;
          sc.forEach((c, k) => (results[sandboxIdx[k]!] = this.judgeSandbox(task, c, raw, k)));
          if (raw.crashed || raw.aborted || raw.timedOut) this.log('grader: sandbox job interrupted', { taskId: task.id, crashed: raw.crashed, aborted: raw.aborted, timedOut: raw.timedOut });
        })(),
      );
    }
    if (pageIdx.length > 0) {
      work.push(
        (async () => {
          const stats: PageRunStats = { blocked: [], ms: 0 };
          const pc = pageIdx.map((i) => checks[i] as PageCheck);
          const limitMs = Math.min(task.limits.wallSec, 15) * 1000;
          // Data files win over answer files of the same path, as in the sandbox.
          const r = await this.pages.run({ ...files, ...task.data }, pc, limitMs, stats);
          sandboxMs += stats.ms;
          pc.forEach((_, k) => (results[pageIdx[k]!] = r[k]!));
          if (stats.blocked.length) this.log('grader: page requests blocked', { taskId: task.id, blocked: stats.blocked.slice(0, 5) });
        })(),
      );
    }
    await Promise.all(work);
    return this.total(base, results, sandboxMs);
  }

  async close(): Promise<void> {
    await Promise.all([this.pool.close(), this.pages.close()]);
  }

  /** The underlying pool (benchmarks read its cold-start times). */
  get sandboxPool(): SandboxPool {
    return this.pool;
  }

  // ------------------------------------------------------------ helpers

  private total(base: GradingResult, checks: CheckResult[], sandboxMs: number): GradingResult {
    for (const c of checks) c.earned = c.verdict === 'passed' ? c.points : 0;
    return {
      ...base,
      checks,
      earned: round2(checks.reduce((s, c) => s + c.earned, 0)),
      max: round2(checks.reduce((s, c) => s + c.points, 0)),
      sandboxMs: Math.round(sandboxMs),
    };
  }

  private result(c: TaskCheck, verdict: CheckVerdict, message: string, extra: Partial<CheckResult> = {}): CheckResult {
    return { id: c.id, name: c.name, sample: c.sample, verdict, points: c.points, earned: verdict === 'passed' ? c.points : 0, message, timeMs: 0, ...extra };
  }

  private answerProblem(task: GradableTask, answer: GradeAnswer): string | null {
    const files = answer.files ?? {};
    let bytes = 0;
    for (const [p, v] of Object.entries(files)) {
      if (!FILE_PATH_RE.test(p)) return `作答文件路径不合法：${p.slice(0, 100)}`;
      if (typeof v !== 'string') return `作答文件内容不合法：${p}`;
      bytes += Buffer.byteLength(v);
    }
    if (bytes > MAX_FILES_BYTES) return '作答文件过大';
    if (task.type === 'upload') {
      if (!answer.zip && Object.keys(files).length === 0) return '没有上传项目文件';
      if (answer.zip && answer.zip.length > task.maxUploadKb * 1024) return `上传的压缩包超过 ${task.maxUploadKb} KB`;
    }
    return null;
  }

  private judgeSandbox(task: GradableTask, c: SandboxCheck, raw: RawJobResult, k: number): CheckResult {
    const L = task.limits;
    const { cpuSec, wallSec } = checkTimes(task, c);
    const m = raw.checks[k];
    if (raw.setup && !raw.setup.ok) return this.result(c, setupVerdict(raw.setup.code), setupMessage(raw.setup.code, raw.setup.detail, task));
    if (!m) {
      const why = raw.timedOut ? `${INTERRUPTED}（超出判分总时限）` : INTERRUPTED;
      return this.result(c, 'killed', why);
    }
    const io = c.sample ? { stdout: excerpt(m.stdout), stderr: excerpt(m.stderr) } : {};
    const r = (verdict: CheckVerdict, message: string) => this.result(c, verdict, message, { ...io, timeMs: Math.round(m.wallMs) });
    if (m.outcome === 'no-entry') return this.result(c, 'error', `找不到入口文件 ${task.entry}`);
    if (m.outcome === 'output') return r('output-limit', `输出超过 ${L.outputKb} KB 上限，程序已被终止`);
    if (m.outcome === 'wall') return r('timeout', `运行超时：超过 ${fmtSec(wallSec)} 秒，程序已被终止`);
    const memoryHint = /MemoryError|Cannot allocate memory|bad_alloc|out of memory/i.test(m.stderr);
    if (m.signal !== null) {
      if (m.signal === SIGXCPU || (m.signal === SIGKILL && m.cpuMs >= cpuSec * 1000 - 50)) return r('timeout', `CPU 时间超过 ${fmtSec(cpuSec)} 秒，程序已被终止`);
      if (m.signal === SIGXFSZ) return r('output-limit', `写入的文件超过 ${L.fileSizeMb} MB 上限`);
      if (memoryHint) return r('memory', `内存超限（上限 ${L.memoryMb} MB）`);
      return r('killed', `程序被信号 ${SIGNAL_NAMES[m.signal] ?? m.signal} 终止`);
    }
    if (m.exc) {
      const e = m.exc;
      if (e.type === 'MemoryError') return r('memory', `内存超限（上限 ${L.memoryMb} MB）`);
      if (e.errno === EFBIG) return r('output-limit', `写入的文件超过 ${L.fileSizeMb} MB 上限`);
      if (c.kind === 'script' && e.where === 'script' && e.inScript && e.type === 'AssertionError') {
        const detail = e.msg || (c.sample && e.line ? `检查脚本第 ${e.line} 行的断言未通过：${e.src ?? ''}` : '');
        return r('failed', detail ? `检查未通过：${detail}` : '检查未通过');
      }
      const head = c.kind === 'script' && e.where === 'entry' ? '运行入口程序出错' : '运行出错';
      if (c.sample) return r('error', `${head}：\n${e.tb || `${e.type}: ${e.msg}`}`.slice(0, 2000));
      // Hidden checks: the error itself, not the traceback (it could quote the check script).
      return r('error', `${head}：${e.type}${e.msg && !e.inScript ? `: ${e.msg.slice(0, 200)}` : ''}`);
    }
    if (m.exit) {
      if (m.exit.where === 'script') return r('failed', m.exit.msg ? `检查未通过：${m.exit.msg}` : '检查未通过');
      return r('error', `程序以退出码 ${m.exit.exit} 结束`);
    }
    if (m.code !== 0) return r('error', `程序以退出码 ${m.code} 结束`);
    if (c.kind === 'script') {
      if (!m.done) return r('error', '检查脚本没有运行完：程序提前退出了');
      return r('passed', '通过');
    }
    const cmp = compareOutput(c.stdout, m.stdout, c.compare, c.tolerance);
    if (cmp.ok) return r('passed', '通过');
    if (!c.sample) return r('failed', '输出与预期不符');
    return r('failed', `输出与预期不符：${cmp.diff}\n预期输出：\n${excerpt(c.stdout, 600)}\n实际输出：\n${excerpt(m.stdout, 600)}`);
  }
}

// ---------------------------------------------------------------- job building

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function fmtSec(s: number): string {
  return Number.isInteger(s) ? String(s) : s.toFixed(1);
}

/** Per-check CPU and wall limits: the check's timeoutSec, within the task's limits. */
export function checkTimes(task: GradableTask, c: TaskCheck): { cpuSec: number; wallSec: number } {
  const L = task.limits;
  return { cpuSec: Math.min(c.timeoutSec ?? L.cpuSec, L.cpuSec), wallSec: Math.min(c.timeoutSec ?? L.wallSec, L.wallSec) };
}

/** The job the sandbox receives for these checks; expected outputs stay here. */
export function buildJob(task: GradableTask, answer: GradeAnswer, checks: SandboxCheck[]): JobSpec {
  const L = task.limits;
  const jobChecks: JobCheck[] = checks.map((c) => {
    const { cpuSec, wallSec } = checkTimes(task, c);
    return c.kind === 'stdout' ? { kind: 'stdout', stdin: c.stdin, cpuSec, wallSec } : { kind: 'script', script: c.script, runEntry: c.runEntry, cpuSec, wallSec };
  });
  const job: JobSpec = {
    entry: task.entry,
    files: { ...task.files, ...(answer.files ?? {}) },
    data: task.data,
    limits: { cpuSec: L.cpuSec, memoryMb: L.memoryMb, processes: L.processes, outputKb: L.outputKb, fileSizeMb: L.fileSizeMb, openFiles: L.openFiles },
    checks: jobChecks,
  };
  if (answer.zip) {
    job.zip = answer.zip;
    job.zipMaxBytes = 64 * 1024 * 1024;
    job.zipMaxFiles = 1000;
  }
  const mods = new Set<string>();
  for (const m of jobText(job).matchAll(IMPORT_RE)) {
    const name = m[1]!;
    if (HEAVY.has(name.split('.')[0]!)) mods.add(name === 'matplotlib' ? 'matplotlib.pyplot' : name);
  }
  if (mods.size) {
    job.heavy = true;
    // Several checks: what the heavy forker lacks is imported once, by a job helper.
    if (jobChecks.length > 1) job.preimport = [...mods].sort();
  }
  return job;
}

function jobText(job: JobSpec): string {
  return [...Object.values(job.files), ...job.checks.map((c) => (c.kind === 'script' ? c.script : ''))].join('\n');
}

/** Node's hard limit for a whole job: every check's wall time, setup, and a margin. */
export function jobBudgetMs(job: JobSpec): number {
  const checks = job.checks.reduce((s, c) => s + c.wallSec * 1000 + 1500, 0);
  // Heavy: the sandbox may first have to make its numpy/pandas forker (and a helper).
  const setup = 5000 + (job.zip ? 10_000 : 0) + (job.heavy ? 30_000 : 0);
  return Math.min(checks + setup + 2000, 15 * 60 * 1000);
}

function setupVerdict(code: string | undefined): CheckVerdict {
  return code === 'io' ? 'sandbox-error' : 'error';
}

function setupMessage(code: string | undefined, detail: string | undefined, task: GradableTask): string {
  switch (code) {
    case 'zip-unsafe':
      return `上传的压缩包含有不安全的路径（${detail ?? ''}），已拒绝：不能含有 ..、绝对路径或符号链接`;
    case 'zip-bad':
      return '上传的文件不是有效的 zip 压缩包';
    case 'zip-encrypted':
      return '上传的压缩包有密码，无法解压';
    case 'zip-too-big':
      return '压缩包解压后过大';
    case 'zip-too-many':
      return `压缩包内文件过多（${detail ?? ''} 个）`;
    case 'no-space':
      return '文件总大小超过沙箱工作目录的容量';
    case 'bad-path':
      return `文件路径不合法：${detail ?? ''}`;
    default:
      return `准备运行环境失败（${task.id}）：${detail ?? code ?? ''}`;
  }
}

export type { CheckMsg };
