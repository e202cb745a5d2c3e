/**
 * The sandbox pool: N long-lived bubblewrap sandboxes ("slots"), each running the
 * zygote (runner/zygote.py), whose supervisor is the sandbox's PID 1. A job (one
 * submission: files + checks) goes to a free slot as a JSON header and the files'
 * bytes; the slot answers with one JSON line per check, followed by what the program
 * printed as raw bytes. Node compares outputs: expected outputs never enter a sandbox.
 *
 * Layers, outside in (docs/grader.md has the why of each):
 *  - bwrap runs as uid 65534 (nobody) when we are root, so nothing in the sandbox is
 *    root on the host, not even through the user namespace mapping;
 *  - new user, PID, mount, network, IPC, UTS and cgroup namespaces, no capabilities,
 *    no nested user namespaces, a seccomp deny-list;
 *  - a read-only root with /usr and a handful of /etc files, private size-limited
 *    tmpfs for /work, /tmp and /dev/shm, no network but loopback;
 *  - per check: rlimits (CPU, address space, processes, file size, open files, core),
 *    a wall-clock kill, an output cap, and a kill of every leftover process;
 *  - per job, here: a hard timer that kills the whole sandbox.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { seccompProgram } from './seccomp.ts';

export class SandboxUnavailable extends Error {
  readonly reason: string;
  constructor(reason: string) {
    super(reason);
    this.name = 'SandboxUnavailable';
    this.reason = reason;
  }
}

export const REASON_NO_BWRAP = '未找到 bubblewrap（bwrap），无法启动判分沙箱；代码不会在沙箱外运行';
export const REASON_NO_PYTHON = '未找到判分用的 Python（/usr/bin/python3），无法启动判分沙箱';

// ---------------------------------------------------------------- job protocol

export interface JobLimits {
  cpuSec: number;
  memoryMb: number;
  processes: number;
  outputKb: number;
  fileSizeMb: number;
  openFiles: number;
}

export type JobCheck =
  | { kind: 'stdout'; stdin: string; cpuSec: number; wallSec: number }
  | { kind: 'script'; script: string; runEntry: boolean; cpuSec: number; wallSec: number };

/** What the zygote receives. Expected outputs are not part of it. */
export interface JobSpec {
  entry: string;
  files: Record<string, string>;
  data: Record<string, string>;
  /** An uploaded project (a zip archive). */
  zip?: Buffer;
  zipMaxBytes?: number;
  zipMaxFiles?: number;
  limits: JobLimits;
  checks: JobCheck[];
  /** Libraries a job helper imports once before forking the checks (when > 1 check). */
  preimport?: string[];
  /** Imports numpy/pandas-class libraries: its checks are forked from the sandbox's heavy forker. */
  heavy?: boolean;
}

export interface SetupMsg {
  t: 'setup';
  ok: boolean;
  code?: string;
  detail?: string;
  preimported?: string[];
}

export interface ExcInfo {
  type: string;
  msg: string;
  tb: string;
  where: 'entry' | 'script';
  inScript: boolean;
  errno?: number;
  line?: number;
  src?: string;
}

export interface CheckMsg {
  t: 'check';
  i: number;
  /** exited / signaled: the program ended by itself; wall / output: the supervisor killed it. */
  outcome: 'exited' | 'signaled' | 'wall' | 'output' | 'no-entry';
  code: number | null;
  signal: number | null;
  cpuMs: number;
  wallMs: number;
  maxRssKb: number;
  /** Minor page faults of the runner (what a fork costs on a slow VM). */
  faults: number;
  stdout: string;
  stdoutBytes: number;
  stderr: string;
  stderrBytes: number;
  done: boolean;
  entryDone: boolean;
  exc: ExcInfo | null;
  exit: { exit: number; msg?: string; where?: string } | null;
  clean: boolean;
}

export interface RawJobResult {
  setup: SetupMsg | null;
  /** By check index; missing when the job ended before that check reported. */
  checks: (CheckMsg | undefined)[];
  done: boolean;
  /** The supervisor died mid-job (e.g. the candidate killed it). */
  aborted: string | null;
  /** Node's hard timer fired and killed the sandbox. */
  timedOut: boolean;
  /** The sandbox process ended or spoke nonsense. */
  crashed: string | null;
  /** Enqueue to result. */
  totalMs: number;
  /** Time the job held a slot. */
  sandboxMs: number;
  slot: number;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isNumOrNull = (v: unknown) => v === null || (isNum(v) && Number.isInteger(v));
const isStrArr = (v: unknown): v is string[] => Array.isArray(v) && v.every(isStr);

function validExc(v: unknown): v is ExcInfo {
  return (
    isObj(v) &&
    isStr(v.type) &&
    isStr(v.msg) &&
    isStr(v.tb) &&
    (v.where === 'entry' || v.where === 'script') &&
    typeof v.inScript === 'boolean' &&
    (v.errno === undefined || isNum(v.errno)) &&
    (v.line === undefined || isNum(v.line)) &&
    (v.src === undefined || isStr(v.src))
  );
}

/** Largest raw sections after a check line: stdout, stderr tail, status records. */
const RAW_CAPS = [4 * 1024 * 1024, 8192, 65536];

/**
 * What the runner wrote on its status fd (JSON lines). Written by the process that
 * runs the candidate's code, so as untrusted as the rest: only well-formed records
 * are taken, the first of each kind.
 */
export function parseStatus(raw: Buffer): Pick<CheckMsg, 'done' | 'entryDone' | 'exc' | 'exit'> {
  const out: Pick<CheckMsg, 'done' | 'entryDone' | 'exc' | 'exit'> = { done: false, entryDone: false, exc: null, exit: null };
  for (const line of raw.toString('utf8').split('\n')) {
    if (!line.trim()) continue;
    let rec: unknown;
    try {
      rec = JSON.parse(line);
    } catch {
      continue;
    }
    if (!isObj(rec)) continue;
    if (rec.done === true) out.done = true;
    else if (rec.entryDone === true) out.entryDone = true;
    else if (rec.exc !== undefined && out.exc === null && out.exit === null && validExc(rec.exc)) out.exc = rec.exc;
    else if (isNum(rec.exit) && Number.isInteger(rec.exit) && out.exit === null && out.exc === null && (rec.where === 'entry' || rec.where === 'script') && (rec.msg === undefined || isStr(rec.msg))) {
      out.exit = { exit: rec.exit, where: rec.where, ...(isStr(rec.msg) ? { msg: rec.msg } : {}) };
    }
  }
  return out;
}

/** A job as bytes: a JSON header with [offset, length] references into the blob after it. */
export function encodeJob(job: JobSpec): Buffer[] {
  const parts: Buffer[] = [];
  let off = 0;
  const add = (b: Buffer): [number, number] => {
    parts.push(b);
    const ref: [number, number] = [off, b.length];
    off += b.length;
    return ref;
  };
  const header = {
    entry: job.entry,
    limits: job.limits,
    files: Object.entries(job.files).map(([p, t]) => [p, add(Buffer.from(t, 'utf8'))]),
    data: Object.entries(job.data).map(([p, t]) => [p, add(Buffer.from(t, 'utf8'))]),
    zip: job.zip ? add(job.zip) : null,
    zipMaxBytes: job.zipMaxBytes,
    zipMaxFiles: job.zipMaxFiles,
    preimport: job.preimport,
    heavy: job.heavy ?? false,
    checks: job.checks.map((c) =>
      c.kind === 'stdout'
        ? { kind: c.kind, cpuSec: c.cpuSec, wallSec: c.wallSec, stdin: add(Buffer.from(c.stdin, 'utf8')) }
        : { kind: c.kind, cpuSec: c.cpuSec, wallSec: c.wallSec, runEntry: c.runEntry, script: add(Buffer.from(c.script, 'utf8')) },
    ),
    blob: 0,
  };
  header.blob = off;
  return [Buffer.from(JSON.stringify(header) + '\n', 'utf8'), ...parts];
}

/** Bytes from a sandbox: JSON lines, some followed by raw sections they announce. */
class ByteQueue {
  private chunks: Buffer[] = [];
  length = 0;
  private scanned = 0;

  push(b: Buffer): void {
    this.chunks.push(b);
    this.length += b.length;
  }

  /** Index of the first newline, or -1. */
  newline(): number {
    let base = 0;
    for (const c of this.chunks) {
      if (base + c.length > this.scanned) {
        const i = c.indexOf(10, Math.max(0, this.scanned - base));
        if (i >= 0) return base + i;
      }
      base += c.length;
    }
    this.scanned = this.length;
    return -1;
  }

  take(n: number): Buffer {
    const out = Buffer.allocUnsafe(n);
    let got = 0;
    while (got < n) {
      const c = this.chunks[0]!;
      const k = Math.min(c.length, n - got);
      c.copy(out, got, 0, k);
      got += k;
      if (k === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(k);
    }
    this.length -= n;
    this.scanned = 0;
    return out;
  }
}

/** Every line from a sandbox is checked against the protocol; anything else is refused. */
export function parseMessage(line: string): Record<string, unknown> | null {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return null;
  }
  if (!isObj(v) || !isStr(v.t)) return null;
  switch (v.t) {
    case 'ready':
      return isNum(v.pid) && isStr(v.python) && isStrArr(v.preloaded) && isNum(v.preloadMs) ? v : null;
    case 'setup':
      return typeof v.ok === 'boolean' && (v.code === undefined || isStr(v.code)) && (v.detail === undefined || isStr(v.detail)) && (v.preimported === undefined || isStrArr(v.preimported)) ? v : null;
    case 'check': {
      const outcomes = ['exited', 'signaled', 'wall', 'output', 'no-entry'];
      if (!isNum(v.i) || !Number.isInteger(v.i) || v.i < 0 || !outcomes.includes(v.outcome as string)) return null;
      if (v.outcome === 'no-entry') return v;
      const raw = v.raw;
      const ok =
        isNumOrNull(v.code) &&
        isNumOrNull(v.signal) &&
        isNum(v.cpuMs) &&
        isNum(v.wallMs) &&
        isNum(v.maxRssKb) &&
        isNum(v.faults) &&
        isNum(v.stdoutBytes) &&
        isNum(v.stderrBytes) &&
        typeof v.clean === 'boolean' &&
        Array.isArray(raw) &&
        raw.length === 3 &&
        raw.every((n, k) => isNum(n) && Number.isInteger(n) && n >= 0 && n <= RAW_CAPS[k]!);
      return ok ? v : null;
    }
    case 'done':
      return isNum(v.ms) && (v.dirty === undefined || typeof v.dirty === 'boolean') ? v : null;
    case 'aborted':
      return isStr(v.why) ? v : null;
    case 'fatal':
      return isStr(v.msg) ? v : null;
    default:
      return null;
  }
}

// ---------------------------------------------------------------- runtime files

const ZYGOTE_SRC = path.join(path.dirname(fileURLToPath(import.meta.url)), 'runner', 'zygote.py');

/** /etc entries the interpreter and the bundled libraries need (found by trying imports). */
const ETC_BINDS = [
  '/etc/alternatives', // libblas.so.3 / liblapack.so.3 → numpy
  '/etc/ld.so.cache',
  '/etc/localtime',
  '/etc/mime.types', // mimetypes, django
  '/etc/matplotlibrc', // Debian's matplotlib refuses to import without it
  '/etc/fonts', // fontconfig (matplotlib asks fc-list)
];

export interface Runtime {
  dir: string;
  zygote: string;
  etc: string;
  seccomp: string | null;
  mplcache: string;
  sandboxUid: number | null;
}

let runtime: Runtime | null = null;

/**
 * A private directory of the files bound into every sandbox: the zygote (copied, so the
 * checkout may live where nobody cannot read), a synthetic passwd/group/hosts, the
 * seccomp program, and the matplotlib font cache. One per process, removed at exit.
 */
export function getRuntime(): Runtime {
  if (runtime && fs.existsSync(runtime.dir)) return runtime;
  const sandboxUid = process.getuid?.() === 0 ? 65534 : null;
  removeStaleRuntimes();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `kaowu-grader-${process.pid}-`));
  fs.chmodSync(dir, 0o755);
  const zygote = path.join(dir, 'zygote.py');
  fs.copyFileSync(ZYGOTE_SRC, zygote);
  fs.chmodSync(zygote, 0o644);
  const etc = path.join(dir, 'etc');
  fs.mkdirSync(etc, { mode: 0o755 });
  fs.writeFileSync(path.join(etc, 'passwd'), 'root:x:0:0:root:/root:/usr/sbin/nologin\nsandbox:x:1000:1000:sandbox:/work:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n', { mode: 0o644 });
  fs.writeFileSync(path.join(etc, 'group'), 'root:x:0:\nsandbox:x:1000:\nnogroup:x:65534:\n', { mode: 0o644 });
  fs.writeFileSync(path.join(etc, 'hosts'), '127.0.0.1\tlocalhost sandbox\n::1\tlocalhost\n', { mode: 0o644 });
  fs.writeFileSync(path.join(etc, 'hostname'), 'sandbox\n', { mode: 0o644 });
  const prog = seccompProgram();
  let seccomp: string | null = null;
  if (prog) {
    seccomp = path.join(dir, 'seccomp.bpf');
    fs.writeFileSync(seccomp, prog, { mode: 0o644 });
  }
  const mplcache = path.join(dir, 'mplcache');
  fs.mkdirSync(mplcache, { mode: 0o755 });
  if (sandboxUid !== null) fs.chownSync(mplcache, sandboxUid, sandboxUid);
  runtime = { dir, zygote, etc, seccomp, mplcache, sandboxUid };
  const cleanup = () => {
    try {
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      /* exiting anyway */
    }
  };
  process.once('exit', cleanup);
  return runtime;
}

/** Runtime folders of processes that died without their exit handler (killed). */
function removeStaleRuntimes(): void {
  let names: string[] = [];
  try {
    names = fs.readdirSync(os.tmpdir());
  } catch {
    return;
  }
  for (const name of names) {
    const m = /^kaowu-grader-(\d+)-/.exec(name);
    if (!m || Number(m[1]) === process.pid) continue;
    try {
      process.kill(Number(m[1]), 0);
      continue; // its process is alive
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EPERM') continue;
    }
    fs.rm(path.join(os.tmpdir(), name), { recursive: true, force: true }, () => {});
  }
}

export function findBwrap(explicit?: string): string | null {
  if (explicit) return isExecutable(explicit) ? explicit : null;
  for (const d of (process.env.PATH ?? '').split(':')) {
    if (!d) continue;
    const p = path.join(d, 'bwrap');
    if (isExecutable(p)) return p;
  }
  return isExecutable('/usr/bin/bwrap') ? '/usr/bin/bwrap' : null;
}

function isExecutable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

export interface SandboxEnvOptions {
  pythonPath: string;
  tmpfsMb: number;
  shmMb: number;
  /** Imported by the supervisor, hence by every forker. */
  preload: string[];
  /** Imported by the heavy forker, made when a job first needs it. */
  heavy: string[];
}

export const SANDBOX_ENV: Record<string, string> = {
  PATH: '/usr/local/bin:/usr/bin:/bin',
  HOME: '/work',
  USER: 'sandbox',
  LOGNAME: 'sandbox',
  LANG: 'C.UTF-8',
  LC_ALL: 'C.UTF-8',
  TMPDIR: '/tmp',
  PYTHONIOENCODING: 'utf-8',
  PYTHONDONTWRITEBYTECODE: '1',
  PYTHONHASHSEED: '0',
  PYTHONUNBUFFERED: '',
  MPLBACKEND: 'Agg',
  MPLCONFIGDIR: '/tmp/matplotlib',
  OPENBLAS_NUM_THREADS: '1',
  OMP_NUM_THREADS: '1',
  MKL_NUM_THREADS: '1',
  NUMEXPR_NUM_THREADS: '1',
  // glibc gives each thread a 64 MB arena of address space; RLIMIT_AS would count them.
  MALLOC_ARENA_MAX: '2',
};

/** The bwrap command line of one slot (fd 3 carries the seccomp program). */
export function bwrapArgs(rt: Runtime, o: SandboxEnvOptions, extraBinds: string[] = []): string[] {
  const a: string[] = [
    '--unshare-all',
    '--unshare-user',
    '--disable-userns',
    '--die-with-parent',
    '--new-session',
    '--as-pid-1',
    '--cap-drop',
    'ALL',
    '--ro-bind',
    '/usr',
    '/usr',
  ];
  for (const [link, target] of [
    ['/lib', 'usr/lib'],
    ['/lib64', 'usr/lib64'],
    ['/lib32', 'usr/lib32'],
    ['/bin', 'usr/bin'],
    ['/sbin', 'usr/sbin'],
  ] as const) {
    if (fs.existsSync(path.join('/usr', target.slice(4)))) a.push('--symlink', target, link);
  }
  for (const p of ETC_BINDS) a.push('--ro-bind-try', p, p);
  for (const f of ['passwd', 'group', 'hosts', 'hostname']) a.push('--ro-bind', path.join(rt.etc, f), `/etc/${f}`);
  a.push('--proc', '/proc', '--dev', '/dev');
  a.push('--perms', '1777', '--size', String(o.shmMb * 1024 * 1024), '--tmpfs', '/dev/shm');
  a.push('--perms', '1777', '--size', String(o.tmpfsMb * 1024 * 1024), '--tmpfs', '/tmp');
  a.push('--perms', '0755', '--size', String(o.tmpfsMb * 1024 * 1024), '--tmpfs', '/work');
  a.push('--ro-bind', rt.zygote, '/opt/kaowu/zygote.py');
  a.push('--ro-bind', rt.mplcache, '/opt/kaowu/mplcache');
  a.push(...extraBinds);
  a.push('--remount-ro', '/dev', '--remount-ro', '/');
  a.push('--uid', '1000', '--gid', '1000', '--hostname', 'sandbox', '--chdir', '/');
  a.push('--clearenv');
  for (const [k, v] of Object.entries(SANDBOX_ENV)) if (v !== '') a.push('--setenv', k, v);
  if (rt.seccomp) a.push('--seccomp', '3');
  const config = { sandboxed: true, work: '/work', tmp: '/tmp', shm: '/dev/shm', mplcache: '/opt/kaowu/mplcache', preload: o.preload, heavy: o.heavy };
  // -s: no user site-packages; -B: no .pyc writes. Not -E: PYTHONHASHSEED must apply.
  a.push('--', o.pythonPath, '-s', '-B', '/opt/kaowu/zygote.py', JSON.stringify(config));
  return a;
}

// ---------------------------------------------------------------- one slot

export interface SlotOptions extends SandboxEnvOptions {
  bwrapPath: string;
  /** Test and benchmark only: run the zygote WITHOUT bwrap — no isolation at all. */
  unsandboxed?: boolean;
  startTimeoutMs: number;
  log: (msg: string, extra?: object) => void;
}

type Waiter = { onMsg: (m: Record<string, unknown>) => void; onEnd: (why: string) => void };

export class Slot {
  proc: ChildProcess | null = null;
  state: 'stopped' | 'starting' | 'idle' | 'busy' = 'stopped';
  jobs = 0;
  lastStartMs = 0;
  python = '';
  private q = new ByteQueue();
  private pendingRaw: { msg: Record<string, unknown>; lens: number[] } | null = null;
  private stderrTail = '';
  private waiter: Waiter | null = null;
  private hostDirs: string[] = [];
  /** Bumped by every start and kill: events of an older process are ignored. */
  private gen = 0;
  /** Set by the pool: a sandbox that dies between jobs is restarted. */
  onUnexpectedExit?: (why: string) => void;

  constructor(
    readonly id: number,
    private readonly opts: SlotOptions,
  ) {}

  /** Starts the sandbox and waits for the zygote's "ready". Rejects with a reason. */
  start(): Promise<number> {
    const t0 = performance.now();
    const gen = ++this.gen;
    this.state = 'starting';
    this.jobs = 0;
    this.q = new ByteQueue();
    this.pendingRaw = null;
    this.stderrTail = '';
    const rt = getRuntime();
    let cmd: string;
    let args: string[];
    let seccompFd: number | null = null;
    const env: Record<string, string> = {};
    if (this.opts.unsandboxed) {
      // Same zygote, same protocol, no namespaces: only to measure the sandbox's own cost.
      const base = fs.mkdtempSync(path.join(os.tmpdir(), 'kaowu-unsandboxed-'));
      fs.chmodSync(base, 0o755);
      const work = path.join(base, 'work');
      const tmp = path.join(base, 'tmp');
      fs.mkdirSync(work);
      fs.mkdirSync(tmp);
      if (rt.sandboxUid !== null) for (const d of [work, tmp]) fs.chownSync(d, rt.sandboxUid, rt.sandboxUid);
      this.hostDirs.push(base);
      Object.assign(env, SANDBOX_ENV, { HOME: work, TMPDIR: tmp, MPLCONFIGDIR: path.join(tmp, 'matplotlib') });
      for (const k of Object.keys(env)) if (env[k] === '') delete env[k];
      cmd = this.opts.pythonPath;
      const config = { sandboxed: false, work, tmp, shm: null, mplcache: null, preload: this.opts.preload, heavy: this.opts.heavy };
      args = ['-s', '-B', rt.zygote, JSON.stringify(config)];
    } else {
      cmd = this.opts.bwrapPath;
      args = bwrapArgs(rt, this.opts);
      if (rt.seccomp) seccompFd = fs.openSync(rt.seccomp, 'r');
    }
    return new Promise<number>((resolve, reject) => {
      let settled = false;
      const fail = (why: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.waiter = null;
        this.kill();
        reject(new Error(why));
      };
      let proc: ChildProcess;
      try {
        proc = spawn(cmd, args, {
          stdio: ['pipe', 'pipe', 'pipe', seccompFd ?? 'ignore'],
          // Own process group: a wall-clock kill takes bwrap and, through
          // --die-with-parent and the PID namespace, everything inside.
          detached: true,
          env,
          ...(rt.sandboxUid !== null ? { uid: rt.sandboxUid, gid: rt.sandboxUid } : {}),
        });
      } catch (err) {
        if (seccompFd !== null) fs.closeSync(seccompFd);
        this.state = 'stopped';
        reject(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      if (seccompFd !== null) fs.closeSync(seccompFd); // bwrap has its own copy now
      this.proc = proc;
      const timer = setTimeout(() => fail(`沙箱启动超时（${this.opts.startTimeoutMs} ms）：${this.stderrTail.trim()}`), this.opts.startTimeoutMs);
      proc.on('error', (err) => {
        if (gen === this.gen) fail(`无法启动 ${cmd}：${err.message}`);
      });
      proc.stdin!.on('error', () => {
        /* EPIPE when the sandbox died; the exit handler reports it */
      });
      proc.stderr!.setEncoding('utf8');
      proc.stderr!.on('data', (d: string) => {
        this.stderrTail = (this.stderrTail + d).slice(-4000);
      });
      proc.stdout!.on('data', (d: Buffer) => {
        if (gen === this.gen) this.onData(d);
      });
      proc.on('exit', (code, signal) => {
        if (gen !== this.gen) return; // killed on purpose; whoever killed it has reported
        const why = `沙箱进程已退出（${signal ?? `退出码 ${code}`}）${this.stderrTail ? '：' + this.stderrTail.trim().slice(-500) : ''}`;
        this.proc = null;
        this.state = 'stopped';
        if (!settled) {
          fail(why);
          return;
        }
        const w = this.waiter;
        this.waiter = null;
        if (w) w.onEnd(why);
        else this.onUnexpectedExit?.(why); // died while idle
      });
      this.waiter = {
        onMsg: (m) => {
          if (m.t === 'ready') {
            settled = true;
            clearTimeout(timer);
            this.waiter = null;
            this.python = String(m.python);
            this.state = 'idle';
            this.lastStartMs = performance.now() - t0;
            resolve(this.lastStartMs);
          } else fail(`沙箱启动失败：${JSON.stringify(m).slice(0, 300)}`);
        },
        onEnd: fail,
      };
    });
  }

  private onData(d: Buffer): void {
    const q = this.q;
    q.push(d);
    for (;;) {
      if (this.pendingRaw) {
        const p = this.pendingRaw;
        const need = p.lens[0]! + p.lens[1]! + p.lens[2]!;
        if (q.length < need) return;
        this.pendingRaw = null;
        const raw = q.take(need);
        const stdout = raw.subarray(0, p.lens[0]!);
        const stderr = raw.subarray(p.lens[0]!, p.lens[0]! + p.lens[1]!);
        const st = raw.subarray(p.lens[0]! + p.lens[1]!);
        const msg = { ...p.msg, stdout: stdout.toString('utf8'), stderr: stderr.toString('utf8'), ...parseStatus(st) };
        delete (msg as Record<string, unknown>).raw;
        this.deliver(msg);
        continue;
      }
      const nl = q.newline();
      if (nl < 0) {
        if (q.length > 1024 * 1024) this.protocolError('消息行过长');
        return;
      }
      const line = q.take(nl + 1).toString('utf8').trim();
      if (!line) continue;
      const msg = parseMessage(line);
      if (!msg) {
        this.protocolError(`无法识别的消息：${line.slice(0, 200)}`);
        return;
      }
      if (msg.t === 'check' && Array.isArray(msg.raw)) this.pendingRaw = { msg, lens: msg.raw as number[] };
      else if (msg.t === 'check') this.deliver({ ...msg, code: null, signal: null, cpuMs: 0, wallMs: 0, maxRssKb: 0, faults: 0, stdout: '', stdoutBytes: 0, stderr: '', stderrBytes: 0, done: false, entryDone: false, exc: null, exit: null, clean: true });
      else this.deliver(msg);
    }
  }

  private deliver(msg: Record<string, unknown>): void {
    if (this.waiter) this.waiter.onMsg(msg);
    else this.opts.log('sandbox: message outside a job', { slot: this.id, t: msg.t });
  }

  private protocolError(why: string): void {
    this.opts.log('sandbox: protocol error', { slot: this.id, why });
    const w = this.waiter;
    this.waiter = null;
    this.kill();
    w?.onEnd(`沙箱协议错误：${why}`);
  }

  /** Runs one job. Never rejects: failures are in the result. */
  run(job: JobSpec, budgetMs: number): Promise<Omit<RawJobResult, 'totalMs' | 'slot'>> {
    const t0 = performance.now();
    this.state = 'busy';
    this.jobs++;
    const res: Omit<RawJobResult, 'totalMs' | 'slot'> = { setup: null, checks: [], done: false, aborted: null, timedOut: false, crashed: null, sandboxMs: 0 };
    return new Promise((resolve) => {
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        this.waiter = null;
        res.sandboxMs = performance.now() - t0;
        if (this.state === 'busy') this.state = 'idle';
        resolve(res);
      };
      // The hard wall-clock limit of the whole job: kills the sandbox's process group.
      const timer = setTimeout(() => {
        res.timedOut = true;
        this.opts.log('sandbox: job over its time budget, killing the slot', { slot: this.id, budgetMs });
        this.waiter = null;
        this.kill();
        finish();
      }, budgetMs);
      this.waiter = {
        onMsg: (m) => {
          if (m.t === 'setup') res.setup = m as unknown as SetupMsg;
          else if (m.t === 'check') {
            const c = m as unknown as CheckMsg;
            if (c.i < job.checks.length) res.checks[c.i] = c;
          } else if (m.t === 'done') {
            res.done = true;
            if (m.dirty) res.crashed = '沙箱未能清理残留进程';
            finish();
          } else if (m.t === 'aborted') {
            res.aborted = String(m.why);
            finish();
          } else {
            res.crashed = `意外的消息 ${String(m.t)}`;
            this.waiter = null;
            this.kill();
            finish();
          }
        },
        onEnd: (why) => {
          res.crashed = why;
          finish();
        },
      };
      if (!this.proc?.stdin?.writable) {
        res.crashed = '沙箱未在运行';
        finish();
        return;
      }
      for (const part of encodeJob(job)) this.proc.stdin.write(part);
    });
  }

  kill(): void {
    this.gen++;
    const p = this.proc;
    this.proc = null;
    this.state = 'stopped';
    if (p?.pid) {
      try {
        process.kill(-p.pid, 'SIGKILL');
      } catch {
        try {
          p.kill('SIGKILL');
        } catch {
          /* gone */
        }
      }
    }
    for (const d of this.hostDirs.splice(0)) fs.rm(d, { recursive: true, force: true }, () => {});
  }
}

// ---------------------------------------------------------------- the pool

export interface PoolOptions {
  bwrapPath?: string;
  pythonPath?: string;
  slots?: number;
  recycleAfter?: number;
  preload?: string[];
  tmpfsMb?: number;
  shmMb?: number;
  startTimeoutMs?: number;
  /** Test and benchmark only: run the zygote WITHOUT bwrap. Never for candidates' code. */
  unsandboxed?: boolean;
  /** What each sandbox's heavy forker imports (default numpy, pandas; [] = none). */
  heavyPreload?: string[];
  log?: (msg: string, extra?: object) => void;
}

interface Pending {
  job: JobSpec;
  budgetMs: number;
  enqueued: number;
  /** Tries so far (a job whose sandbox died before running anything is tried again). */
  tries: number;
  resolve: (r: RawJobResult) => void;
  reject: (e: Error) => void;
}

export class SandboxPool {
  readonly slots: Slot[];
  private readonly queue: Pending[] = [];
  private readonly opts: Required<Omit<PoolOptions, 'bwrapPath'>> & { bwrapPath: string | null };
  private probing: Promise<void> | null = null;
  private healthy = false;
  private closed = false;
  private failures = 0;
  private mplBuild: Promise<void> | null = null;
  /** Cold starts (bwrap + zygote ready), ms. */
  readonly startTimes: number[] = [];

  constructor(opts: PoolOptions = {}) {
    const log = opts.log ?? (() => {});
    this.opts = {
      bwrapPath: findBwrap(opts.bwrapPath),
      pythonPath: opts.pythonPath ?? '/usr/bin/python3',
      slots: Math.max(1, opts.slots ?? os.cpus().length),
      recycleAfter: opts.recycleAfter ?? 200,
      preload: opts.preload ?? [],
      tmpfsMb: opts.tmpfsMb ?? 128,
      shmMb: opts.shmMb ?? 16,
      startTimeoutMs: opts.startTimeoutMs ?? 30_000,
      unsandboxed: opts.unsandboxed ?? false,
      heavyPreload: opts.heavyPreload ?? ['numpy', 'pandas'],
      log,
    };
    const slotOpts: SlotOptions = {
      heavy: this.opts.heavyPreload,
      bwrapPath: this.opts.bwrapPath ?? '',
      pythonPath: this.opts.pythonPath,
      tmpfsMb: this.opts.tmpfsMb,
      shmMb: this.opts.shmMb,
      preload: this.opts.preload,
      unsandboxed: this.opts.unsandboxed,
      startTimeoutMs: this.opts.startTimeoutMs,
      log,
    };
    this.slots = Array.from({ length: this.opts.slots }, (_, i) => new Slot(i, slotOpts));
    for (const slot of this.slots) {
      slot.onUnexpectedExit = (why) => {
        this.opts.log('sandbox: slot died while idle', { slot: slot.id, why });
        this.restart(slot);
      };
    }
  }

  /** Why no sandbox can run here, checked without starting one; null when it may. */
  staticUnavailability(): string | null {
    if (this.opts.unsandboxed) return isExecutable(this.opts.pythonPath) ? null : REASON_NO_PYTHON;
    if (!this.opts.bwrapPath) return REASON_NO_BWRAP;
    if (!isExecutable(this.opts.pythonPath)) return REASON_NO_PYTHON;
    if (!this.opts.pythonPath.startsWith('/usr/')) return `判分用的 Python 必须位于 /usr 下（沙箱只挂载 /usr）：${this.opts.pythonPath}`;
    return null;
  }

  /**
   * Starts the first slot (the probe) and, once it is ready, the others in the
   * background. Rejects with SandboxUnavailable when the probe fails.
   */
  ensureStarted(): Promise<void> {
    if (this.closed) return Promise.reject(new SandboxUnavailable('判分沙箱已关闭'));
    if (this.healthy) return Promise.resolve();
    if (this.probing) return this.probing;
    const reason = this.staticUnavailability();
    if (reason) return Promise.reject(new SandboxUnavailable(reason));
    this.probing = (async () => {
      const first = this.slots.find((s) => s.state === 'idle') ?? this.slots[0]!;
      try {
        if (first.state !== 'idle') {
          first.kill();
          this.startTimes.push(await first.start());
        }
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        this.opts.log('sandbox: probe failed', { error: msg });
        throw new SandboxUnavailable(`无法创建判分沙箱（${explainBwrapError(msg)}）；代码不会在沙箱外运行`);
      } finally {
        this.probing = null;
      }
      this.healthy = true;
      this.opts.log('sandbox: ready', { slots: this.slots.length, python: first.python, coldStartMs: Math.round(first.lastStartMs), unsandboxed: this.opts.unsandboxed });
      for (const s of this.slots) if (s !== first && s.state === 'stopped') this.restart(s);
      this.dispatch();
    })();
    return this.probing;
  }

  /** Queues a job for a free slot. Rejects only with SandboxUnavailable. */
  async run(job: JobSpec, budgetMs: number): Promise<RawJobResult> {
    await this.ensureStarted();
    return new Promise<RawJobResult>((resolve, reject) => {
      this.queue.push({ job, budgetMs, enqueued: performance.now(), tries: 0, resolve, reject });
      this.dispatch();
    });
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Hands queued jobs to idle slots, first come first served. */
  private dispatch(): void {
    for (;;) {
      if (this.queue.length === 0) return;
      const slot = this.slots.find((s) => s.state === 'idle');
      if (!slot) return;
      const p = this.queue.shift()!;
      p.tries++;
      void slot.run(p.job, p.budgetMs).then((r) => {
        const full: RawJobResult = { ...r, totalMs: performance.now() - p.enqueued, slot: slot.id };
        // The sandbox was already dead, or died before reporting any check (a
        // sandbox killed from outside can still read the job and report "setup"
        // in the moment before bwrap's death reaches it): the job goes to another
        // slot once. A job that kills its own sandbox each time fails on the second.
        const retry = r.crashed !== null && r.checks.length === 0 && !r.timedOut && p.tries < 2;
        if (retry) {
          this.opts.log('sandbox: job retried on another slot', { slot: slot.id, why: r.crashed });
          this.queue.unshift(p);
        }
        if (this.needsRecycle(slot, full)) this.restart(slot);
        if (!retry) p.resolve(full);
        this.dispatch();
      });
    }
  }

  private needsRecycle(slot: Slot, r: RawJobResult): boolean {
    if (slot.state !== 'idle') return true; // killed or died
    if (r.aborted || r.timedOut || r.crashed || !r.done) return true;
    if (slot.jobs >= this.opts.recycleAfter) return true;
    // A job that hit a limit: start over from a fresh sandbox, whatever it left behind.
    return r.checks.some((c) => c && (c.outcome === 'wall' || c.outcome === 'output' || c.signal !== null || c.exc?.type === 'MemoryError' || !c.clean));
  }

  private restart(slot: Slot): void {
    if (this.closed) return;
    slot.kill();
    slot.state = 'starting';
    slot
      .start()
      .then((ms) => {
        this.failures = 0;
        this.startTimes.push(ms);
        if (this.closed) slot.kill();
        this.dispatch();
      })
      .catch((err: Error) => {
        this.failures++;
        this.opts.log('sandbox: slot restart failed', { slot: slot.id, error: err.message, failures: this.failures });
        slot.state = 'stopped';
        if (this.slots.every((s) => s.state === 'stopped' || s.state === 'starting') && this.failures >= 3 * this.slots.length) {
          // Nothing can run: fail the waiting jobs rather than hold them forever.
          this.healthy = false;
          const reason = `判分沙箱无法启动（${explainBwrapError(err.message)}）；代码不会在沙箱外运行`;
          for (const p of this.queue.splice(0)) p.reject(new SandboxUnavailable(reason));
          return;
        }
        setTimeout(() => this.restart(slot), Math.min(5000, 100 * 2 ** Math.min(this.failures, 6))).unref();
      });
  }

  /**
   * Builds matplotlib's font cache once, in a sandbox of its own with the cache folder
   * writable; slots see it read-only and copy it per job. Without it every job that
   * imports matplotlib spends ~1 s rebuilding the list.
   */
  ensureMplCache(): Promise<void> {
    if (this.opts.unsandboxed || !this.opts.bwrapPath) return Promise.resolve();
    if (this.mplBuild) return this.mplBuild;
    const rt = getRuntime();
    if (fs.readdirSync(rt.mplcache).some((f) => f.endsWith('.json'))) return (this.mplBuild = Promise.resolve());
    const args = bwrapArgs(rt, { pythonPath: this.opts.pythonPath, tmpfsMb: 64, shmMb: 1, preload: [], heavy: [] }, ['--bind', rt.mplcache, '/opt/kaowu/mplcache-rw']);
    const sep = args.indexOf('--');
    const cmd = [...args.slice(0, sep), '--setenv', 'MPLCONFIGDIR', '/opt/kaowu/mplcache-rw', '--', this.opts.pythonPath, '-s', '-B', '-c', 'import matplotlib.font_manager'];
    this.mplBuild = new Promise<void>((resolve) => {
      const fd = rt.seccomp ? fs.openSync(rt.seccomp, 'r') : null;
      const p = spawn(this.opts.bwrapPath!, cmd, { stdio: ['ignore', 'ignore', 'pipe', fd ?? 'ignore'], detached: true, env: {}, ...(rt.sandboxUid !== null ? { uid: rt.sandboxUid, gid: rt.sandboxUid } : {}) });
      if (fd !== null) fs.closeSync(fd);
      const t = setTimeout(() => {
        try {
          process.kill(-p.pid!, 'SIGKILL');
        } catch {
          /* gone */
        }
      }, 60_000);
      p.on('error', () => resolve());
      p.on('exit', () => {
        clearTimeout(t);
        this.opts.log('sandbox: matplotlib font cache built', { files: fs.existsSync(rt.mplcache) ? fs.readdirSync(rt.mplcache) : [] });
        resolve();
      });
    });
    return this.mplBuild;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.healthy = false;
    for (const p of this.queue.splice(0)) p.reject(new SandboxUnavailable('判分沙箱已关闭'));
    for (const s of this.slots) s.kill();
  }
}

function explainBwrapError(msg: string): string {
  if (/ENOENT/.test(msg)) return '找不到 bwrap 或 Python';
  if (/EACCES|EPERM/.test(msg)) return '没有权限运行 bwrap';
  if (/namespace|uid map|setting up uid|Operation not permitted|Permission denied/i.test(msg)) return `bubblewrap 无法创建命名空间：${msg.slice(0, 300)}`;
  return msg.slice(0, 300);
}
